// Package policy decides what comes of a platform's answer: retry it
// automatically, leave it safe to resend, or wait for a person. The console's
// retry queue, `submit --wait` and the importer all ask here, so they can
// never disagree about the same answer; what differs between platforms comes
// from their platforms.Traits, never from their names.
package policy

import (
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// Codes the transport gives an answer it could not read: it says nothing
// about whether the platform applied the request.
const (
	codeBadBody  = "BAD_BODY"
	codeTooLarge = "TOO_LARGE"
)

// Action is what comes of one platform's answer.
type Action int

const (
	// Done: a verdict (ok, partial, rejected); nothing more is automatic.
	Done Action = iota
	// Retry: send again automatically, after a backoff.
	Retry
	// Resend: not worth retrying unchanged, but sending again cannot create
	// a second customer, so a re-run or a person may.
	Resend
	// Person: the request may have been applied and a resend could create
	// the customer twice; a person checks the platform, then resends or drops.
	Person
)

func (a Action) String() string {
	switch a {
	case Done:
		return "done"
	case Retry:
		return "retry"
	case Resend:
		return "resend-safe"
	case Person:
		return "person"
	}
	return "action?"
}

// Next is the action for an answer (or a state read from history): the
// result, its outcome and the HTTP status it came with (0: no answer).
func Next(t platforms.Traits, r platforms.Result, status int) Action {
	switch r.Outcome {
	case platforms.Failed, platforms.Unknown:
	default:
		return Done
	}
	switch {
	case ShouldRetry(t, r, status):
		return Retry
	case ResendSafe(t, r.Outcome, r, status):
		return Resend
	}
	return Person
}

// ShouldRetry reports whether an answer is worth sending again automatically.
// Verdicts never are: the platform read the request and would say the same.
//
// On an idempotent platform every answer that is not a verdict is retried
// when it may pass next time: retryable failures, unknown outcomes (timeout
// after sending, connection lost, crash while in flight, a 2xx too large to
// read) and answers that could not be read, since the replay tells what the
// first attempt did.
//
// On a platform that is not idempotent, only a retryable failure that
// certainly created nothing (see notApplied) is retried.
func ShouldRetry(t platforms.Traits, r platforms.Result, status int) bool {
	switch r.Outcome {
	case platforms.Failed, platforms.Unknown:
	default:
		return false
	}
	if t.Idempotent {
		return r.Retryable || r.Code == codeBadBody
	}
	return r.Retryable && notApplied(r.Outcome, r, status)
}

// ResendSafe reports whether sending a submission again cannot create the
// customer a second time, given its state: never answered ("" outcome) or
// refused, nothing was created; on an idempotent platform any resend is safe;
// otherwise only one whose earlier attempt cannot have been applied. An ok
// state is never resent.
func ResendSafe(t platforms.Traits, outcome platforms.Outcome, r platforms.Result, status int) bool {
	switch outcome {
	case platforms.OK:
		return false
	case "", platforms.Rejected:
		return true
	}
	return t.Idempotent || notApplied(outcome, r, status)
}

// notApplied reports an attempt that cannot have created the customer:
//   - a rate limit, however it came: the call was turned away unprocessed;
//   - failed with no HTTP answer: the transport classifies a failure after
//     the request was written as unknown, so this one never left (refused,
//     DNS, TLS, timeout while connecting);
//   - HTTP 429 or 503: refused without being processed;
//   - a 2xx answer in the platform's own envelope saying it failed (a
//     system-busy code), unless the body could not be read: an unreadable
//     or oversized answer may hide a success.
//
// 500, 502, 504 and every unknown: the backend may have been part way through.
func notApplied(outcome platforms.Outcome, r platforms.Result, status int) bool {
	if r.RateLimited {
		return true
	}
	if outcome != platforms.Failed {
		return false
	}
	switch {
	case status == 0:
		return true
	case status == http.StatusTooManyRequests, status == http.StatusServiceUnavailable:
		return true
	case status >= 200 && status < 300:
		return r.Code != codeBadBody && r.Code != codeTooLarge
	}
	return false
}

// Backoff is the pause before a retry: doubling from Base up to Ceiling,
// drawn from the upper half of that. Spreading retries keeps many failed
// customers (or two consoles) from hitting a recovering platform in one
// burst, while never retrying sooner than half the nominal pause.
type Backoff struct {
	Base, Ceiling time.Duration
}

// Queue is the console's background retry queue: from 1 s to 5 min, about
// eight hours of retries over its 100 attempts.
var Queue = Backoff{Base: time.Second, Ceiling: 5 * time.Minute}

// Import is the importer's in-run retry: from 200 ms to 5 s, since the
// import is waited on and a re-run picks up what is left.
var Import = Backoff{Base: 200 * time.Millisecond, Ceiling: 5 * time.Second}

// Pause is the wait before retry number attempt+1, given attempt failures so
// far (1 after the first).
func (b Backoff) Pause(attempt int) time.Duration {
	nominal := b.Base
	for i := 1; i < attempt && nominal < b.Ceiling; i++ {
		nominal *= 2
	}
	nominal = min(nominal, b.Ceiling)
	if nominal <= 0 {
		return 0
	}
	return nominal/2 + rand.N(nominal/2+1)
}

// After is the wait before retrying answer r: the backoff, or longer when the
// platform asked for a longer pause (Retry-After, a ban time).
func (b Backoff) After(attempt int, r platforms.Result) time.Duration {
	return max(b.Pause(attempt), r.RetryAfter)
}
