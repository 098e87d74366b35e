package importer

import (
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

func TestMayResend(t *testing.T) {
	failed := func(code string, retryable bool) platforms.Result {
		return platforms.Result{Outcome: platforms.Failed, Code: code, Retryable: retryable}
	}
	unknown := platforms.Result{Outcome: platforms.Unknown, Code: "TIMEOUT", Retryable: true}
	limited := platforms.Result{Outcome: platforms.Failed, Code: "7", Retryable: true, RateLimited: true}
	cases := []struct {
		name     string
		platform string
		outcome  platforms.Outcome
		r        platforms.Result
		status   int
		want     bool
	}{
		{"ok never", "alsc", platforms.OK, platforms.Result{Outcome: platforms.OK}, 200, false},
		{"never answered", "youzan", "", platforms.Result{}, 0, true},
		{"refused", "youzan", platforms.Rejected, platforms.Result{Outcome: platforms.Rejected}, 200, true},
		{"alsc unknown: request_id replay", "alsc", platforms.Unknown, unknown, 0, true},
		{"nxlink unreadable answer", "nxlink", platforms.Failed, failed("BAD_BODY", false), 200, true},
		{"youzan unknown", "youzan", platforms.Unknown, unknown, 0, false},
		{"youzan interrupted by a crash", "youzan", platforms.Unknown, platforms.Result{Outcome: platforms.Unknown, Code: "INTERRUPTED"}, 0, false},
		{"youzan unreadable 200", "youzan", platforms.Failed, failed("BAD_BODY", false), 200, false},
		{"youzan oversized 200", "youzan", platforms.Failed, failed("TOO_LARGE", false), 200, false},
		{"youzan never left", "youzan", platforms.Failed, failed("CONN_REFUSED", true), 0, true},
		{"youzan 503", "youzan", platforms.Failed, failed("HTTP 503", true), 503, true},
		{"youzan 500", "youzan", platforms.Failed, failed("HTTP 500", true), 500, false},
		{"youzan 504", "youzan", platforms.Failed, failed("HTTP 504", true), 504, false},
		{"youzan system busy envelope", "youzan", platforms.Failed, failed("500", true), 200, true},
		{"youzan rate limited", "youzan", platforms.Failed, limited, 429, true},
		{"unknown platform is treated as not idempotent", "other", platforms.Unknown, unknown, 0, false},
	}
	for _, c := range cases {
		if got := mayResend(c.platform, c.outcome, c.r, c.status); got != c.want {
			t.Errorf("%s: mayResend = %v, want %v", c.name, got, c.want)
		}
	}
}

// In a run, only what the dispatcher would retry is retried, and never a
// verdict.
func TestRetryNow(t *testing.T) {
	cases := []struct {
		platform string
		r        platforms.Result
		status   int
		want     bool
	}{
		{"alsc", platforms.Result{Outcome: platforms.Rejected, Code: "41"}, 200, false},
		{"alsc", platforms.Result{Outcome: platforms.Failed, Code: "15", Retryable: true}, 200, true},
		{"alsc", platforms.Result{Outcome: platforms.Failed, Code: "TLS"}, 0, false},
		{"nxlink", platforms.Result{Outcome: platforms.Failed, Code: "BAD_BODY"}, 200, true},
		{"youzan", platforms.Result{Outcome: platforms.Failed, Code: "BAD_BODY"}, 200, false},
		{"youzan", platforms.Result{Outcome: platforms.Unknown, Code: "CONN_LOST", Retryable: true}, 0, false},
		{"youzan", platforms.Result{Outcome: platforms.Failed, Code: "HTTP 503", Retryable: true}, 503, true},
	}
	for _, c := range cases {
		if got := retryNow(c.platform, c.r, c.status); got != c.want {
			t.Errorf("%s %+v status %d: retryNow = %v, want %v", c.platform, c.r, c.status, got, c.want)
		}
	}
}
