package dispatch

import (
	"net/http"

	"github.com/custdesk/custdesk/platforms"
)

// Which answers are retried automatically, per platform.
//
// Rejected is never retried: the platform read the request and said no, and
// would say it again.
//
// ALSC and NXLink are idempotent: ALSC replays the answer of a request_id it
// has seen (the same request_id is sent on every attempt), and NXLink keys
// customers by their contact and, with the configured type reused, returns
// the existing customer instead of creating another. A second attempt can
// therefore never create a second customer, so any answer that is not a
// verdict is retried: failed when retryable, failed with an unreadable body
// (it may have been created; the replay tells), and unknown (timeout after
// sending, connection lost, crash while in flight).
//
// Youzan has no idempotency key: a second attempt after one that reached the
// platform may create the member twice. It is retried automatically only when
// the first attempt certainly created nothing:
//   - no HTTP answer and outcome failed: the transport classifies a failure
//     after the request was written as unknown, so failed with status 0 means
//     the request never left (connection refused, DNS, timeout before write);
//   - HTTP 429 or 503: the service refused the request without processing it;
//   - an answer in Youzan's own envelope marked retryable (a system-busy code).
//
// Any other failure (500, 502, 504, an unreadable 200) and every unknown wait
// for a person to choose resend or drop.
func Retryable(platform string, ex platforms.Exchange, idempotent func(string) bool) bool {
	r := ex.Result
	switch r.Outcome {
	case platforms.Failed, platforms.Unknown:
	default:
		return false
	}
	if idempotent(platform) {
		return r.Retryable || r.Code == "BAD_BODY"
	}
	if r.Outcome != platforms.Failed || !r.Retryable {
		return false
	}
	switch {
	case ex.Status == 0:
		return true
	case ex.Status == http.StatusTooManyRequests, ex.Status == http.StatusServiceUnavailable:
		return true
	case ex.Status >= 200 && ex.Status < 300:
		return true
	}
	return false
}

// DefaultIdempotent names the platforms whose sends can be replayed safely.
func DefaultIdempotent(platform string) bool {
	return platform == "alsc" || platform == "nxlink"
}
