package importer

import (
	"net/http"

	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/platforms"
)

// Resending is safe or not per platform, and an import resends a lot: within a
// run when an answer is retryable, and on every re-run for rows not yet ok.
// Which platforms are idempotent, and which answers are retried on the spot,
// is the dispatcher's rule (dispatch.Retryable): an import and the console's
// retry queue must never disagree about the same row.
//
//   - alsc, nxlink (idempotent): a re-run resends every row that is not ok.
//   - youzan, and any platform not idempotent: a re-run resends a row only
//     when its earlier attempt cannot have created the customer (notApplied);
//     otherwise the row waits for a person (--resend-unknown, or resend from
//     history).

// Idempotent reports whether resending a submission to the platform can never
// create the customer twice.
func Idempotent(platform string) bool { return dispatch.DefaultIdempotent(platform) }

// mayResend decides for a platform state read from history (a re-run) or an
// answer just received whether sending again is safe.
func mayResend(platform string, outcome platforms.Outcome, r platforms.Result, status int) bool {
	switch outcome {
	case platforms.OK:
		return false
	case "", platforms.Rejected:
		// Never answered (written ahead, nothing sent: an attempt that was in
		// flight is Unknown after Recover), or refused: nothing was created.
		return true
	}
	return Idempotent(platform) || notApplied(outcome, r, status)
}

// notApplied reports an attempt that cannot have created the customer, by the
// same reading of statuses as dispatch.Retryable.
func notApplied(outcome platforms.Outcome, r platforms.Result, status int) bool {
	if r.RateLimited {
		return true // a throttled call is turned away before it is processed
	}
	if outcome != platforms.Failed {
		return false // Unknown: sent, and no verdict came back
	}
	switch {
	case status == 0:
		// No answer and Failed rather than Unknown: the transport saw the
		// failure before the request was written (refused, DNS, TLS,
		// timeout while connecting).
		return true
	case status == http.StatusTooManyRequests, status == http.StatusServiceUnavailable:
		return true // refused without being processed
	case status >= 200 && status < 300:
		// The platform's own envelope said it failed (Youzan's 系统繁忙);
		// an answer that could not be read says nothing, it may hide success.
		return r.Code != "BAD_BODY" && r.Code != "TOO_LARGE"
	}
	return false // 500, 502, 504: the backend may have been part way through
}

// retryNow decides whether an answer just received is worth another attempt
// within this run: the dispatcher's rule, so that an import retries exactly
// what the console's queue would.
func retryNow(platform string, r platforms.Result, status int) bool {
	return dispatch.Retryable(platform, platforms.Exchange{Platform: platform, Status: status, Result: r}, Idempotent)
}
