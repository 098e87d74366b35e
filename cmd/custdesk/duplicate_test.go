package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/importer"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// submit refuses a member enrolled already, naming the earlier submission,
// and enrols it again only with --allow-duplicate.
func TestSubmitRefusesAnEnrolledMember(t *testing.T) {
	isolate(t)
	if r := runCLI(t, wang, "submit"); r.code != exitOK {
		t.Fatalf("first submit: exit %d\n%s", r.code, r.stderr)
	}
	again := `{"name":"王小二","mobile":"+8613411111111"}`
	r := runCLI(t, again, "submit")
	if r.code != exitBadInput {
		t.Fatalf("second submit: exit %d, want %d\n%s\n%s", r.code, exitBadInput, r.stdout, r.stderr)
	}
	for _, want := range []string{"already enrolled: alsc in submission 1 (ok ", "nothing was sent", "--allow-duplicate"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	r = runCLI(t, again, "submit", "--allow-duplicate", "--output", "json")
	if r.code != exitOK {
		t.Fatalf("--allow-duplicate: exit %d\n%s", r.code, r.stderr)
	}
	h := runCLI(t, "", "history", "--search", "13411111111", "--output", "json")
	var recs []store.Record
	if err := json.Unmarshal([]byte(h.stdout), &recs); err != nil || len(recs) != 2 {
		t.Fatalf("history after a confirmed duplicate: %v, %d records\n%s", err, len(recs), h.stdout)
	}
}

// import skips rows whose member is enrolled already (by an earlier
// submission, or an earlier row of the same file), says why, and sends them
// with --allow-duplicates.
func TestImportSkipsEnrolledMembers(t *testing.T) {
	dir := isolate(t)
	data := filepath.Join(dir, "history")
	if r := runCLI(t, wang, "submit", "--data-dir", data); r.code != exitOK {
		t.Fatalf("submit: exit %d\n%s", r.code, r.stderr)
	}
	file := filepath.Join(dir, "members.csv")
	csv := "name,mobile\n王小二,13411111111\n李四,13411111112\n李四又一次,13411111112\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "import", file, "--data-dir", data)
	if r.code != exitOK {
		t.Fatalf("import: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"already enrolled (submission 1)", "already enrolled by an earlier submission"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("import output lacks %q:\n%s", want, r.stdout)
		}
	}
	r = runCLI(t, "", "import", file, "--data-dir", data, "--output", "json")
	var sum importer.Summary
	if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	for _, p := range sum.Platforms {
		// Re-run: 李四 is ok from the first run, 王小二 and the second 李四
		// are held by other submissions.
		if p.AlreadyOK != 1 || p.Enrolled != 2 || p.Requests != 0 {
			t.Errorf("%s on the re-run: %+v", p.Platform, p)
		}
	}
	r = runCLI(t, "", "import", file, "--data-dir", data, "--allow-duplicates", "--output", "json")
	if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	for _, p := range sum.Platforms {
		if p.OK != 2 || p.AlreadyOK != 1 {
			t.Errorf("%s with --allow-duplicates: %+v", p.Platform, p)
		}
	}
}

// history --outcome attention lists exactly the sends waiting for a person,
// and a dropped send has its own word.
func TestHistoryAttentionAndDropped(t *testing.T) {
	dir := isolate(t)
	data := filepath.Join(dir, "history")
	st, err := store.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var ids []int64
	for i, mobile := range []string{"13411111121", "13411111122", "13411111123"} {
		sub := store.Submission{Customer: platforms.Customer{Name: "顾客", Mobile: mobile}, Platforms: []string{"youzan"}}
		if err := st.Begin(ctx, &sub); err != nil {
			t.Fatal(err)
		}
		ex := platforms.Exchange{Platform: "youzan", Started: time.Now(),
			Result: platforms.Result{Outcome: platforms.Unknown, Code: "TIMEOUT"}}
		if i == 0 {
			ex.Result = platforms.Result{Outcome: platforms.OK, CustomerIDs: []string{"Y1"}}
		}
		if _, err := st.Record(ctx, sub.ID, ex); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, sub.ID)
	}
	if err := st.Drop(ctx, ids[2], "youzan"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	for outcome, want := range map[string]int64{"attention": ids[1], "dropped": ids[2]} {
		r := runCLI(t, "", "history", "--data-dir", data, "--outcome", outcome, "--output", "json")
		var recs []store.Record
		if err := json.Unmarshal([]byte(r.stdout), &recs); err != nil || len(recs) != 1 || recs[0].ID != want {
			t.Fatalf("--outcome %s: %v %+v\n%s", outcome, err, recs, r.stderr)
		}
		if got := recs[0].Platforms[0].Outcome; outcome == "dropped" && got != "dropped" {
			t.Errorf("a dropped send's outcome word is %q", got)
		}
	}
}
