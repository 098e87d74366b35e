// Package policytest loads the answers every user of internal/policy is
// tested against (internal/policy/testdata/answers.json), so that the queue,
// `submit --wait` and the importer are held to one table.
package policytest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

// Case is one answer and what must come of it.
type Case struct {
	Platform    string            `json:"platform"`
	Outcome     platforms.Outcome `json:"outcome"`
	Code        string            `json:"code"`
	SubCode     string            `json:"sub_code"`
	Status      int               `json:"status"`
	Retryable   bool              `json:"retryable"`
	RateLimited bool              `json:"rate_limited"`
	// Want is the policy.Action, as its String: done, retry, resend-safe, person.
	Want string `json:"want"`
	// Resend: a re-run may send the row again.
	Resend bool   `json:"resend"`
	Note   string `json:"note"`
}

// Result is the case's answer as a Result.
func (c Case) Result() platforms.Result {
	return platforms.Result{Outcome: c.Outcome, Code: c.Code, SubCode: c.SubCode, Retryable: c.Retryable, RateLimited: c.RateLimited}
}

// Exchange is the case's answer as an Exchange.
func (c Case) Exchange() platforms.Exchange {
	return platforms.Exchange{Platform: c.Platform, Status: c.Status, Result: c.Result()}
}

// Cases reads the table.
func Cases(t testing.TB) []Case {
	t.Helper()
	_, here, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the policy fixtures")
	}
	raw, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "testdata", "answers.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Cases []Case }
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) == 0 {
		t.Fatal("no policy cases")
	}
	return f.Cases
}
