package importer

import (
	"testing"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/policy/policytest"
	"github.com/custdesk/custdesk/platforms"
)

// An import retries within a run, and resends on a re-run, exactly what the
// one policy says for every answer of its fixtures: the console's queue is
// held to the same table (dispatch.TestRetryablePolicy).
func TestImportFollowsThePolicyTable(t *testing.T) {
	ps, err := config.Sandbox("http://127.0.0.1:1").Build()
	if err != nil {
		t.Fatal(err)
	}
	traits := map[string]platforms.Traits{}
	for _, p := range ps {
		traits[p.Name()] = p.Traits()
	}
	for _, c := range policytest.Cases(t) {
		tr := traits[c.Platform]
		if got := retryNow(tr, c.Result(), c.Status); got != (c.Want == "retry") {
			t.Errorf("%s %s %s status %d: retryNow = %v, want %s", c.Platform, c.Outcome, c.Code, c.Status, got, c.Want)
		}
		if got := mayResend(tr, c.Outcome, c.Result(), c.Status); got != c.Resend {
			t.Errorf("%s %s %s status %d: mayResend = %v, want %v", c.Platform, c.Outcome, c.Code, c.Status, got, c.Resend)
		}
	}
	if !mayResend(platforms.Traits{}, "", platforms.Result{}, 0) {
		t.Error("a row written ahead and never sent is always sent")
	}
}
