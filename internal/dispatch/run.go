package dispatch

import (
	"context"
	"sync"
	"time"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// shutdownGrace is how long attempts in flight may finish after Run's context
// ends, so quitting does not turn answers that are on their way into unknowns.
const shutdownGrace = 3 * time.Second

// Run retries queued sends in the background until ctx ends, reporting each
// attempt on events (nil: not reported). It also settles what crashed
// processes left behind (see store.Recover) and queues what they left
// retryable. Several processes may run it on one directory: each queued row
// is claimed by one of them.
func (d *Dispatcher) Run(ctx context.Context, events chan<- Event) {
	sendCtx, stopSends := context.WithCancel(context.WithoutCancel(ctx))
	defer stopSends()
	var wg sync.WaitGroup
	defer wg.Wait()
	go func() {
		<-ctx.Done()
		select {
		case <-time.After(shutdownGrace):
			stopSends()
		case <-sendCtx.Done():
		}
	}()

	// Only platforms configured here: another console on the same directory
	// may send to platforms this one cannot.
	names := make([]string, len(d.ps))
	for i, p := range d.ps {
		names[i] = p.Name()
	}
	slots := make(chan struct{}, d.opts.Concurrency)
	done := make(chan struct{}, d.opts.Concurrency)
	d.sweep(ctx, true)
	lastSweep := time.Now()
	for ctx.Err() == nil {
		if time.Since(lastSweep) >= d.opts.Poll {
			d.sweep(ctx, false)
			lastSweep = time.Now()
		}
		free := cap(slots) - len(slots)
		claims, err := d.st.ClaimDue(ctx, time.Now(), free, names...)
		for _, c := range claims {
			slots <- struct{}{}
			wg.Go(func() {
				defer func() { <-slots; done <- struct{}{} }()
				d.retry(sendCtx, c, events, ctx)
			})
		}
		wait := d.opts.Poll
		if next, ok, nerr := d.st.NextDue(ctx, names...); err == nil && nerr == nil && ok {
			wait = min(wait, max(time.Until(next), 0))
		}
		if err == nil && len(claims) == free && free > 0 {
			wait = 0 // there may be more due right now
		}
		if wait == 0 && len(slots) == cap(slots) {
			wait = d.opts.Poll // every slot busy: a finishing attempt wakes us
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-d.wake:
		case <-done:
		case <-timer.C:
		}
		timer.Stop()
		drain(done)
	}
}

func drain(c chan struct{}) {
	for {
		select {
		case <-c:
		default:
			return
		}
	}
}

// sweep recovers crashed processes' rows and queues states that policy says
// to retry but that are not queued (left unknown by a crash, or a record
// that failed). The full scan runs at start and after a recovery; errors are
// left for the next sweep (another process may hold the lock briefly).
func (d *Dispatcher) sweep(ctx context.Context, full bool) {
	n, err := d.st.Recover(ctx)
	if err != nil || (n == 0 && !full) {
		return
	}
	open, err := d.st.Unsettled(ctx)
	if err != nil {
		return
	}
	for _, o := range open {
		ex := platforms.Exchange{Platform: o.Platform, Status: o.Status, Result: o.Result}
		if o.Attempts < d.opts.MaxAttempts && d.Retryable(ex) && d.byID[o.Platform] != nil {
			_ = d.st.Queue(ctx, o.SubmissionID, o.Platform, time.Now())
		}
	}
}

// retry sends one claimed attempt and reports it.
func (d *Dispatcher) retry(ctx context.Context, c store.Claim, events chan<- Event, runCtx context.Context) {
	sub, err := d.st.Get(ctx, c.SubmissionID)
	var ex platforms.Exchange
	p := d.byID[c.Platform]
	switch {
	case err != nil:
		ex = localFailure(store.Submission{ID: c.SubmissionID}, c.Platform, "HISTORY", "not sent: "+err.Error())
	case p == nil:
		ex = localFailure(sub, c.Platform, "UNKNOWN_PLATFORM", "platform "+c.Platform+" is no longer configured")
	default:
		d.pace(ctx, c.Platform)
		ex = d.sendClaimed(ctx, sub, p)
		d.slowed(ex)
	}
	// A retry cut short by shutdown stays queued by policy like any other
	// failure: nobody chose to stop it.
	queued := d.record(ctx, store.Submission{ID: c.SubmissionID, RequestID: sub.RequestID}, c.Attempt, &ex, false)
	if events == nil {
		return
	}
	select {
	case events <- Event{SubmissionID: c.SubmissionID, Platform: c.Platform, Exchange: ex, Final: !queued}:
	case <-runCtx.Done():
	}
}
