package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// `custdesk history` reads the console's grammar: filter flags, filters
// inside --search, --until, and one platform's states only when it is named.
func TestHistoryFiltersAreTheConsoles(t *testing.T) {
	dir := isolate(t)
	data := filepath.Join(dir, "history")
	if r := runCLI(t, "", "history", "--data-dir", data); r.code != exitOK || !strings.Contains(r.stdout, "no submissions match") {
		t.Fatalf("an empty history: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	st, err := store.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	names := []string{"p1", "p2"}
	sub := store.Submission{Customer: platforms.Customer{Name: "王小二", Mobile: "13411111131"}, Platforms: names}
	if err := st.Begin(ctx, &sub); err != nil {
		t.Fatal(err)
	}
	for i, name := range names {
		ex := platforms.Exchange{Platform: name, Started: time.Now(), Result: platforms.Result{Outcome: platforms.Failed, Code: "E"}}
		if i == 0 {
			ex.Result = platforms.Result{Outcome: platforms.OK, CustomerIDs: []string{"C1"}}
		}
		if _, err := st.Record(ctx, sub.ID, ex); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	r := runCLI(t, "", "history", "--data-dir", data, "--platform", "p2", "--outcome", "failed")
	if r.code != exitOK || !strings.Contains(r.stdout, "p2:failed") || strings.Contains(r.stdout, "p1:") {
		t.Errorf("--platform p2 --outcome failed: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "", "history", "--data-dir", data, "--search", "王 outcome:ok platform:p1", "--since", "today")
	if r.code != exitOK || !strings.Contains(r.stdout, "p1:ok(C1)") {
		t.Errorf("filters in --search: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "", "history", "--data-dir", data, "--until", "yesterday")
	if r.code != exitOK || !strings.Contains(r.stdout, "no submissions match") {
		t.Errorf("--until yesterday: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "", "history", "--data-dir", data, "--outcome", "great")
	if r.code != exitBadInput || !strings.Contains(r.stderr, `outcome "great"`) {
		t.Errorf("a bad outcome: exit %d\n%s", r.code, r.stderr)
	}
}
