// Package dispatch sends submissions to platforms through the durable
// history: every submission is written ahead, every attempt is claimed before
// its request leaves and recorded when its answer arrives, and what can be
// retried safely is queued and retried in the background.
package dispatch

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/custdesk/custdesk/internal/policy"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// Event reports one background attempt.
type Event struct {
	SubmissionID int64
	Platform     string
	Exchange     platforms.Exchange
	// Final: no more automatic retries are coming for this platform.
	Final bool
}

// Options tune retries. The zero value is sensible.
type Options struct {
	// Backoff is the pause before retry number attempt+1, given attempts so
	// far (1 after the first failure). Nil: policy.Queue, from 1 s doubling
	// up to 5 min, with jitter.
	Backoff func(attempt int) time.Duration
	// MaxAttempts bounds automatic attempts per platform (the first send
	// included); past it the platform waits for a person. 0: 100, about eight
	// hours of retries at the 5-minute cap, enough to ride out a day offline
	// for a shop that closes at night.
	MaxAttempts int
	// Concurrency bounds background retries in flight at once. 0: 8.
	Concurrency int
	// Poll is how often Run looks for work another process queued and for
	// crashed processes' rows. 0: 2 s.
	Poll time.Duration
	// Guard, when set, is asked before each send whether another terminal
	// holds the member on that platform (see Guard).
	Guard Guard
	// Budgets, when set, pace each platform's sends (by name) with a rate
	// budget shared with the chain's other machines.
	Budgets map[string]Budget
}

// Dispatcher is safe for concurrent use.
type Dispatcher struct {
	st   *store.Store
	ps   []platforms.Platform
	byID map[string]platforms.Platform
	opts Options
	wake chan struct{}
}

// New returns a dispatcher over the given store and configured platforms.
func New(st *store.Store, ps []platforms.Platform, opts Options) *Dispatcher {
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 100
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 8
	}
	if opts.Poll <= 0 {
		opts.Poll = 2 * time.Second
	}
	d := &Dispatcher{st: st, ps: ps, byID: map[string]platforms.Platform{}, opts: opts, wake: make(chan struct{}, 1)}
	for _, p := range ps {
		d.byID[p.Name()] = p
	}
	if d.opts.Backoff == nil {
		d.opts.Backoff = policy.Queue.Pause
	}
	return d
}

// Platforms are the configured platforms, in configuration order.
func (d *Dispatcher) Platforms() []platforms.Platform { return d.ps }

// Store is the history the dispatcher writes to.
func (d *Dispatcher) Store() *store.Store { return d.st }

// Begin writes the submission ahead. It validates nothing: callers validate.
// A member enrolled already on one of the platforms is refused whole (a
// *store.DuplicateError) unless allowDuplicate.
func (d *Dispatcher) Begin(ctx context.Context, c platforms.Customer, names []string, source string, allowDuplicate bool) (store.Submission, error) {
	for _, n := range names {
		if d.byID[n] == nil {
			return store.Submission{}, fmt.Errorf("platform %q is not configured", n)
		}
	}
	sub := store.Submission{Customer: c, Platforms: append([]string(nil), names...), Source: source, AllowDuplicate: allowDuplicate}
	if err := d.st.Begin(ctx, &sub); err != nil {
		return store.Submission{}, err
	}
	return sub, nil
}

// Send sends one platform of a begun submission and records the exchange.
// When the answer may be retried safely (see Retryable), the platform is
// queued for Run. A send a person cancelled (its context ended: the cancel
// key, or quitting) is never abandoned: an idempotent platform goes back on
// the retry queue, where replaying it cannot create a second customer; any
// other waits in the attention inbox for a person to resend or drop it.
func (d *Dispatcher) Send(ctx context.Context, sub store.Submission, platform string) platforms.Exchange {
	p := d.byID[platform]
	if p == nil {
		return localFailure(sub, platform, "UNKNOWN_PLATFORM", fmt.Sprintf("platform %q is not configured", platform))
	}
	if ctx.Err() != nil {
		return d.cancelledBeforeSend(ctx, sub, platform)
	}
	attempt, err := d.st.StartAttempt(ctx, sub.ID, platform)
	if err != nil {
		if ctx.Err() != nil {
			// The claim rolled back with the cancelled context: nothing left.
			return d.cancelledBeforeSend(ctx, sub, platform)
		}
		return d.notStarted(sub, platform, err)
	}
	ex, held := GuardBefore(ctx, d.opts.Guard, sub, platform)
	if !held {
		d.pace(ctx, platform)
		ex = d.sendClaimed(ctx, sub, p)
		d.slowed(ex)
	}
	d.record(ctx, sub, attempt, &ex, ctx.Err() != nil)
	GuardAfter(ctx, d.opts.Guard, sub, platform, ex.Result)
	return ex
}

// CodeCancelled is the result code of a send a person cancelled before its
// request left.
const CodeCancelled = "CANCELLED"

// cancelledBeforeSend records a platform a person cancelled before its
// request left. Left alone it would stay pending, reserved by this process.
// It is recorded as failed CANCELLED and, like any cancelled send, queued
// again when the platform is idempotent, else left for a person; the write
// uses a context that is not cancelled, since the caller's is. A platform
// that already has a verdict (a resend cancelled before it began) keeps it.
func (d *Dispatcher) cancelledBeforeSend(ctx context.Context, sub store.Submission, platform string) platforms.Exchange {
	ex := localFailure(sub, platform, CodeCancelled, "cancelled before sending")
	ex.Error = ""
	wctx := context.WithoutCancel(ctx)
	cur, err := d.st.Get(wctx, sub.ID)
	if err != nil {
		ex.Error = "the cancellation could not be saved in history: " + err.Error()
		return ex
	}
	if st, ok := cur.States[platform]; ok && (st.Outcome != "" || st.InFlight) {
		return ex
	}
	if _, err := d.st.RecordAfter(wctx, sub.ID, ex, store.After{Retry: d.afterCancel(platform, 0)}); err != nil {
		ex.Error = "the cancellation could not be saved in history: " + err.Error()
	}
	return ex
}

// afterCancel is when a cancelled send of platform goes out again by itself:
// after the usual pause when replaying it is safe, never otherwise.
func (d *Dispatcher) afterCancel(platform string, attempt int) time.Time {
	if !d.idempotent(platform) {
		return time.Time{}
	}
	return time.Now().Add(d.opts.Backoff(max(attempt, 1)))
}

// notStarted is the exchange for a send refused before anything left:
// nothing is sent unless its attempt is durably in history first.
func (d *Dispatcher) notStarted(sub store.Submission, platform string, err error) platforms.Exchange {
	if errors.Is(err, store.ErrInFlight) {
		return localFailure(sub, platform, "IN_FLIGHT", "already being sent (by the retry queue or another window); wait for its answer")
	}
	return localFailure(sub, platform, "HISTORY", "not sent: the history could not be written ("+err.Error()+")")
}

func localFailure(sub store.Submission, platform, code, msg string) platforms.Exchange {
	return platforms.Exchange{Platform: platform, RequestID: sub.RequestID, Started: time.Now(), Error: msg,
		Result: platforms.Result{Outcome: platforms.Failed, Code: code, Message: msg}}
}

// sendClaimed sends an attempt already claimed in the store.
func (d *Dispatcher) sendClaimed(ctx context.Context, sub store.Submission, p platforms.Platform) platforms.Exchange {
	ex := p.Send(ctx, platforms.Single(sub.RequestID, sub.Customer))
	if ex.Platform == "" {
		ex.Platform = p.Name()
	}
	if ex.RequestID == "" {
		ex.RequestID = sub.RequestID
	}
	return ex
}

// record commits the exchange, queueing a retry when policy allows, and
// reports whether one was queued. stopped: a person cancelled it while it
// was on its way (see Send).
func (d *Dispatcher) record(ctx context.Context, sub store.Submission, attempt int, ex *platforms.Exchange, stopped bool) bool {
	var next time.Time
	if stopped {
		next = d.afterCancel(ex.Platform, attempt)
	} else if attempt < d.opts.MaxAttempts && d.Retryable(*ex) {
		next = time.Now().Add(max(d.opts.Backoff(attempt), ex.Result.RetryAfter))
	}
	// What the caller shows or prints is what the history holds: masked.
	*ex = d.st.Redact(*ex)
	// The answer must be kept even when the caller gave up waiting for it.
	if _, err := d.st.RecordAfter(context.WithoutCancel(ctx), sub.ID, *ex, store.After{Retry: next}); err != nil {
		ex.Error = joinText(ex.Error, "the answer could not be saved in history: "+err.Error())
		ex.Unrecorded = err.Error()
		return false
	}
	if !next.IsZero() {
		d.poke()
	}
	return !next.IsZero()
}

func joinText(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func (d *Dispatcher) poke() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// SendAll writes the submission ahead and sends it to every named platform
// at once (`custdesk submit`). Exchanges come back in the order of names. A
// member enrolled already is refused as Begin refuses it.
func (d *Dispatcher) SendAll(ctx context.Context, c platforms.Customer, names []string, source string, allowDuplicate bool) (store.Submission, []platforms.Exchange, error) {
	sub, err := d.Begin(ctx, c, names, source, allowDuplicate)
	if err != nil {
		return sub, nil, err
	}
	exs := make([]platforms.Exchange, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() { exs[i] = d.Send(ctx, sub, name) })
	}
	wg.Wait()
	if fresh, err := d.st.Get(context.WithoutCancel(ctx), sub.ID); err == nil {
		sub = fresh
	}
	return sub, exs, nil
}

// Resend sends a platform again because a person chose to (for instance a
// Youzan outcome of unknown, which is never retried automatically).
func (d *Dispatcher) Resend(ctx context.Context, subID int64, platform string) platforms.Exchange {
	sub, err := d.st.Get(ctx, subID)
	if err != nil {
		return localFailure(store.Submission{ID: subID}, platform, "HISTORY", "not sent: "+err.Error())
	}
	if _, ok := sub.States[platform]; !ok {
		return localFailure(sub, platform, "UNKNOWN_PLATFORM", fmt.Sprintf("submission %d was not sent to %q", subID, platform))
	}
	return d.Send(ctx, sub, platform)
}

// Drop records that a person chose not to send a platform again.
func (d *Dispatcher) Drop(ctx context.Context, subID int64, platform string) error {
	return d.st.Drop(ctx, subID, platform)
}

// Queued is how many platform sends wait for an automatic retry.
func (d *Dispatcher) Queued(ctx context.Context) (int, error) {
	st, err := d.st.Stats(ctx)
	return st.Queued, err
}

// Stats is the queue as the status bar shows it.
func (d *Dispatcher) Stats(ctx context.Context) (store.QueueStats, error) { return d.st.Stats(ctx) }
