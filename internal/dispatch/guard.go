package dispatch

import (
	"context"
	"strings"
	"time"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// Guard holds a member on a platform across several terminals (the chain's
// central store): asked before each send leaves, it says whether another
// terminal holds the member there. Without one, the local history's guard
// is the only one.
type Guard interface {
	// Claim takes the member on platform for this submission. held is
	// non-empty, saying who holds it, when another submission does; err
	// means the guard could not be asked, and the send goes ahead on the
	// local check alone (a terminal never stops for the central store).
	Claim(ctx context.Context, sub store.Submission, platform string) (held string, err error)
	// Release gives the member back after a definite rejection.
	Release(ctx context.Context, sub store.Submission, platform string)
}

// Budget is a rate budget shared with other machines (the chain's central
// store): Wait takes one request's token, Slow tells every machine to back
// off after a rate-limit answer.
type Budget interface {
	Wait(ctx context.Context) error
	Slow(d time.Duration)
}

// pace waits for the platform's shared budget, if any. A budget that cannot
// be reached paces locally (it never stops a send).
func (d *Dispatcher) pace(ctx context.Context, platform string) {
	if b := d.opts.Budgets[platform]; b != nil {
		_ = b.Wait(ctx) // only a cancelled context ends it early; the send then sees it
	}
}

// slowed passes a rate-limit answer on to the platform's shared budget.
func (d *Dispatcher) slowed(ex platforms.Exchange) {
	if b := d.opts.Budgets[ex.Platform]; b != nil && ex.Result.RateLimited {
		b.Slow(max(ex.Result.RetryAfter, time.Second))
	}
}

// CodeEnrolledElsewhere is the result code of a send the guard stopped: the
// member is enrolled on that platform at another terminal. Nothing was sent.
const CodeEnrolledElsewhere = "ENROLLED_ELSEWHERE"

// GuardBefore asks guard (nil: none) before sub's send to platform leaves;
// held elsewhere, it returns the exchange to record instead of sending. A
// guard that cannot be asked never stops a send. Every path that sends (the
// dispatcher's, the import's) asks through it.
func GuardBefore(ctx context.Context, guard Guard, sub store.Submission, platform string) (platforms.Exchange, bool) {
	if guard == nil {
		return platforms.Exchange{}, false
	}
	held, err := guard.Claim(ctx, sub, platform)
	if err != nil || held == "" {
		return platforms.Exchange{}, false
	}
	ex := localFailure(sub, platform, CodeEnrolledElsewhere, heldPrefix+held)
	ex.Result.Outcome = platforms.Rejected
	ex.Error = "" // nothing failed: the result says why nothing was sent
	return ex, true
}

// heldPrefix starts the message of a send the guard held; the rest says who
// holds the member.
const heldPrefix = "not sent: "

// HeldBy says who holds the member when r is the result of a send the guard
// held ("already enrolled at store-007/pos-1 on …"), and whether it is.
func HeldBy(r platforms.Result) (string, bool) {
	if r.Code != CodeEnrolledElsewhere {
		return "", false
	}
	return strings.TrimPrefix(r.Message, heldPrefix), true
}

// GuardAfter releases the claim when the platform said no for good.
func GuardAfter(ctx context.Context, guard Guard, sub store.Submission, platform string, r platforms.Result) {
	if guard != nil && r.Outcome == platforms.Rejected && r.Code != CodeEnrolledElsewhere {
		guard.Release(context.WithoutCancel(ctx), sub, platform)
	}
}
