package importer

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// pacer keeps one platform's pace: a token bucket at the configured rate,
// which slows down when the platform says so and climbs back when it stops
// saying so, and a pause every worker waits out after a throttled answer.
type pacer struct {
	limiter *rate.Limiter
	ceiling rate.Limit // the configured rate; slowing down never goes above it

	mu         sync.Mutex
	pauseUntil time.Time
	changed    time.Time // when the rate last moved
	winStart   time.Time // a one-second window of requests, to know the pace
	winCount   int
	lastPace   float64
}

// newPacer paces at perSecond requests a second; 0 or less is no cap.
func newPacer(perSecond float64) *pacer {
	limit := rate.Inf
	if perSecond > 0 {
		limit = rate.Limit(perSecond)
	}
	return &pacer{limiter: rate.NewLimiter(limit, 1), ceiling: limit}
}

// limit is the bucket's current rate.
func (p *pacer) limit() rate.Limit { return p.limiter.Limit() }

// turn waits out a pause the platform asked for, then the token bucket.
func (p *pacer) turn(ctx context.Context) error {
	if err := p.pause(ctx); err != nil {
		return err
	}
	if err := p.limiter.Wait(ctx); err != nil {
		return err
	}
	p.paced()
	return nil
}

// pause waits out a pause the platform asked for.
func (p *pacer) pause(ctx context.Context) error {
	for {
		p.mu.Lock()
		d := time.Until(p.pauseUntil)
		p.mu.Unlock()
		if d <= 0 {
			return nil
		}
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
}

// sleep waits d, or until ctx ends (its error).
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// paced counts a request in the current one-second window.
func (p *pacer) paced() {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if el := now.Sub(p.winStart); el >= time.Second {
		p.lastPace = float64(p.winCount) / el.Seconds()
		p.winStart, p.winCount = now, 0
	}
	p.winCount++
}

// throttled slows down after an answer that asked for it (a platform's
// rate-limit code, HTTP 429): every worker pauses for retryAfter (1 s when
// the platform gave none) and the bucket's rate halves, once per pause
// however many answers in flight come back throttled. It returns the pause
// this answer began, 0 when one was on already.
func (p *pacer) throttled(retryAfter time.Duration) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if retryAfter <= 0 {
		retryAfter = time.Second
	}
	now := time.Now()
	alreadyPaused := now.Before(p.pauseUntil)
	if until := now.Add(retryAfter); until.After(p.pauseUntil) {
		p.pauseUntil = until
	}
	p.changed = now
	if alreadyPaused {
		return 0
	}
	cur := p.limiter.Limit()
	if cur == rate.Inf {
		// No configured rate: start from the pace that was too fast.
		cur = rate.Limit(max(p.lastPace, float64(p.winCount)/max(now.Sub(p.winStart).Seconds(), 0.001)))
	}
	p.limiter.SetLimit(max(cur/2, 1))
	return retryAfter
}

// ok is told of every ok answer: every second without a throttled answer
// the rate climbs back by a quarter, up to the configured rate.
func (p *pacer) ok() {
	p.mu.Lock()
	defer p.mu.Unlock()
	cur := p.limiter.Limit()
	now := time.Now()
	if cur == p.ceiling || now.Before(p.pauseUntil) || now.Sub(p.changed) < time.Second {
		return
	}
	p.changed = now
	next := cur * 1.25
	// With no configured rate the climb ends somewhere: well past the pace
	// that was throttled, the bucket is lifted.
	if next >= p.ceiling || (p.ceiling == rate.Inf && float64(next) > 4*max(p.lastPace, 1)) {
		next = p.ceiling
	}
	p.limiter.SetLimit(next)
}
