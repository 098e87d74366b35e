package importer

import (
	"net/http"

	"github.com/custdesk/custdesk/platforms"
)

// Resending is safe or not per platform, and an import resends a lot: within a
// run when an answer is retryable, and on every re-run for rows not yet ok.
//
//   - alsc: the submission's request_id is ALSC's idempotency key, and a
//     resend reuses it, so the platform answers a replay with its first
//     answer instead of creating again. Any non-ok state may be resent.
//   - nxlink: customers are keyed by their contact; re-creating an existing
//     one returns its ID (type 0 replaces with the same data, 1 merges the
//     same data, 2 keeps the old), so a resend cannot create a second
//     customer. Any non-ok state may be resent.
//   - youzan, and any platform not named here: nothing makes a resend
//     idempotent, so a row is resent only when the earlier attempt cannot
//     have created the customer (see notApplied). Otherwise it waits for a
//     person (--resend-unknown, or resend in the console's history).
var idempotent = map[string]bool{"alsc": true, "nxlink": true}

// Idempotent reports whether resending a submission to the platform can never
// create the customer twice.
func Idempotent(platform string) bool { return idempotent[platform] }

// mayResend decides for a platform state read from history (a re-run) or an
// answer just received (a retry within a run) whether sending again is safe.
func mayResend(platform string, outcome platforms.Outcome, r platforms.Result, status int) bool {
	switch outcome {
	case platforms.OK:
		return false
	case "", platforms.Rejected:
		// Never answered (written ahead, nothing sent: an attempt that was in
		// flight is Unknown after Recover), or refused: nothing was created.
		return true
	}
	return idempotent[platform] || notApplied(outcome, r, status)
}

// notApplied reports an attempt that cannot have created the customer.
func notApplied(outcome platforms.Outcome, r platforms.Result, status int) bool {
	if r.RateLimited {
		return true // a throttled call is turned away before it is processed
	}
	if outcome != platforms.Failed {
		return false // Unknown: sent, and no verdict came back
	}
	switch {
	case status == 0:
		// No answer and Failed rather than Unknown: the transport layer saw
		// the failure before the request was written (refused, DNS, timeout
		// while connecting).
		return true
	case status == http.StatusBadGateway, status == http.StatusServiceUnavailable:
		// A gateway or load balancer answered for a backend it could not
		// reach or that refused work. 500 and 504 are left out: the backend
		// may have been part way through.
		return true
	case status >= 200 && status < 300:
		// The platform's own envelope said it failed (e.g. Youzan's 系统繁忙);
		// an answer that could not be read says nothing, it may hide success.
		return r.Code != "BAD_BODY" && r.Code != "TOO_LARGE"
	}
	return false
}

// retryNow decides whether an answer just received is worth another attempt
// within this run (as opposed to leaving it for a person or a re-run).
func retryNow(platform string, r platforms.Result, status int) bool {
	switch r.Outcome {
	case platforms.OK, platforms.Rejected, platforms.Partial:
		return false
	}
	if !mayResend(platform, r.Outcome, r, status) {
		return false
	}
	// An unreadable answer is not marked retryable by the platforms (resending
	// blindly is unsafe in general) but a replay to an idempotent platform is
	// how to learn the verdict.
	return r.Retryable || r.RateLimited || (idempotent[platform] && r.Code == "BAD_BODY")
}
