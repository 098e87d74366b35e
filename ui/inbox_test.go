package ui

import (
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

// r asks first exactly where the send policy leaves the send to a person:
// a platform without an idempotency key, whose last attempt may have been
// applied.
func TestResendAsksWhereItMayDuplicate(t *testing.T) {
	e := newEnv(t)
	d := newDetail(e.model(t, "en").c, rowKey{id: 1}, false)
	for _, tc := range []struct {
		platform string
		result   platforms.Result
		status   int
		asks     bool
	}{
		{"youzan", platforms.Result{Outcome: platforms.Unknown, Code: "CONN_LOST"}, 0, true},
		{"youzan", platforms.Result{Outcome: platforms.Failed, Code: "BAD_BODY"}, 200, true},
		{"youzan", platforms.Result{Outcome: platforms.Failed, Code: "HTTP_503", Retryable: true}, 503, false},
		{"alsc", platforms.Result{Outcome: platforms.Unknown, Code: "CONN_LOST"}, 0, false},
		{"youzan", platforms.Result{Outcome: platforms.Rejected, Code: "4001"}, 200, false},
	} {
		v := exchangeView{platform: tc.platform, has: true, ex: platforms.Exchange{Platform: tc.platform, Status: tc.status, Result: tc.result}}
		if got := d.mayDuplicate(v); got != tc.asks {
			t.Errorf("%s %s %s (HTTP %d): asks %v, want %v", tc.platform, tc.result.Outcome, tc.result.Code, tc.status, got, tc.asks)
		}
	}
}
