package policy

import (
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/policy/policytest"
	"github.com/custdesk/custdesk/platforms"
)

// realTraits are the configured platforms' own traits, as the console has them.
func realTraits(t *testing.T) map[string]platforms.Traits {
	t.Helper()
	ps, err := config.Sandbox("http://127.0.0.1:1").Build()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]platforms.Traits{}
	for _, p := range ps {
		m[p.Name()] = p.Traits()
	}
	return m
}

// Every answer of the fixtures, with each platform's real traits.
func TestPolicyTable(t *testing.T) {
	traits := realTraits(t)
	seen := map[string]map[platforms.Outcome]bool{}
	for _, c := range policytest.Cases(t) {
		tr, ok := traits[c.Platform]
		if !ok {
			t.Fatalf("no platform %q", c.Platform)
		}
		if seen[c.Platform] == nil {
			seen[c.Platform] = map[platforms.Outcome]bool{}
		}
		seen[c.Platform][c.Outcome] = true
		if got := Next(tr, c.Result(), c.Status).String(); got != c.Want {
			t.Errorf("%s %s %s status %d: %s, want %s", c.Platform, c.Outcome, c.Code, c.Status, got, c.Want)
		}
		if got := ResendSafe(tr, c.Outcome, c.Result(), c.Status); got != c.Resend {
			t.Errorf("%s %s %s status %d: resend %v, want %v", c.Platform, c.Outcome, c.Code, c.Status, got, c.Resend)
		}
		if retry := ShouldRetry(tr, c.Result(), c.Status); retry != (c.Want == "retry") {
			t.Errorf("%s %s %s status %d: ShouldRetry %v, want %s", c.Platform, c.Outcome, c.Code, c.Status, retry, c.Want)
		}
	}
	for name := range traits {
		for _, o := range []platforms.Outcome{platforms.OK, platforms.Rejected, platforms.Failed, platforms.Unknown} {
			if !seen[name][o] {
				t.Errorf("the fixtures have no %s answer of %s", o, name)
			}
		}
	}
}

// A state never answered, or a platform no longer configured.
func TestResendSafeStates(t *testing.T) {
	none := platforms.Traits{}
	if !ResendSafe(none, "", platforms.Result{}, 0) {
		t.Error("a state written ahead and never sent is safe to send")
	}
	if ResendSafe(none, platforms.Unknown, platforms.Result{Outcome: platforms.Unknown, Code: "TIMEOUT", Retryable: true}, 0) {
		t.Error("without traits an unknown outcome is not safe to resend")
	}
	// The state's outcome decides, not a stale result kept beside it.
	stale := platforms.Result{Outcome: platforms.Failed, Code: "CONN_REFUSED", Retryable: true}
	if ResendSafe(none, platforms.Unknown, stale, 0) {
		t.Error("an attempt recovered as unknown may have been applied")
	}
}

func TestBackoffGrowsWithJitter(t *testing.T) {
	for _, b := range []Backoff{Queue, Import} {
		for _, attempt := range []int{1, 2, 3, 8, 30, 500} {
			nominal := b.Base
			for i := 1; i < attempt; i++ {
				nominal = min(nominal*2, b.Ceiling)
			}
			seen := map[time.Duration]bool{}
			for range 50 {
				p := b.Pause(attempt)
				if p < nominal/2 || p > nominal {
					t.Fatalf("%v Pause(%d) = %v, want within [%v, %v]", b, attempt, p, nominal/2, nominal)
				}
				seen[p] = true
			}
			if len(seen) < 10 {
				t.Errorf("%v Pause(%d) has no jitter: %d distinct values in 50", b, attempt, len(seen))
			}
		}
	}
	if got := Queue.Pause(1 << 20); got > Queue.Ceiling {
		t.Errorf("a huge attempt count overflowed: %v", got)
	}
	if got := Import.After(1, platforms.Result{RetryAfter: time.Minute}); got != time.Minute {
		t.Errorf("After should honour the platform's pause: %v", got)
	}
}
