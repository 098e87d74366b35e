package importer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

// chainGuard holds one mobile on every platform, as the central store does
// for a member another terminal enrolled, and lets a confirmed duplicate
// through; it counts what it was asked.
type chainGuard struct {
	mobile string
	mu     sync.Mutex
	asked  int
}

func (g *chainGuard) Claim(_ context.Context, sub store.Submission, _ string) (string, error) {
	g.mu.Lock()
	g.asked++
	g.mu.Unlock()
	if sub.AllowDuplicate || sub.Customer.Mobile != g.mobile {
		return "", nil
	}
	return "already enrolled at store-007/pos-1 on 11-03 10:00 (submission 4 there)", nil
}

func (g *chainGuard) Release(context.Context, store.Submission, string) {}

var _ dispatch.Guard = (*chainGuard)(nil)

// An import at one terminal asks the chain's guard before each send, as the
// console does: a row whose member another terminal enrolled is not sent to
// any platform (NXLink's batch included), is counted as already enrolled
// with where, and stays so on a re-run; --allow-duplicates sends it.
func TestImportRespectsTheChainsGuard(t *testing.T) {
	ctx := context.Background()
	sb := startSandbox(t)
	sb.CountByMobile()
	dir := t.TempDir()
	file := filepath.Join(dir, "members.csv")
	if err := os.WriteFile(file, []byte("name,mobile\n王小二,13411111111\n李四,13411111112\n张三,13411111113\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	st := openStore(t, filepath.Join(dir, "data"))
	g := &chainGuard{mobile: "13411111112"}
	opts := Options{Platforms: sandboxPlatforms(t, sb.URL), Store: st, Concurrency: 2, Guard: g}
	_, sum, err := importFile(t, ctx, Input{Path: file}, opts, filepath.Join(dir, "report.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range sum.Platforms {
		if p.OK != 2 || p.Enrolled != 1 || p.Rejected != 0 {
			t.Errorf("%s: %+v, want 2 ok and 1 enrolled elsewhere", p.Platform, p)
		}
	}
	held := 0
	for _, n := range sum.NotOK {
		if n.Row == 3 && strings.Contains(n.Message, "already enrolled at store-007/pos-1") {
			held++
		}
	}
	if held != 3 {
		t.Errorf("notes %+v, want row 3 held on 3 platforms", sum.NotOK)
	}
	for _, path := range []string{sandbox.PathALSC, sandbox.PathYouzan, sandbox.PathNXLink} {
		if n := sb.CreatedFor(path, "13411111112"); n != 0 {
			t.Errorf("%s created %d for the held member", path, n)
		}
	}
	subs, err := st.List(ctx, store.Query{Text: "13411111112"})
	if err != nil || len(subs) != 1 || subs[0].States["youzan"].Result.Code != dispatch.CodeEnrolledElsewhere {
		t.Fatalf("history: %v %+v", err, subs)
	}

	// A re-run leaves it as it is: no new submission, nothing sent.
	_, sum, err = importFile(t, ctx, Input{Path: file}, opts, filepath.Join(dir, "report.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range sum.Platforms {
		if p.AlreadyOK != 2 || p.Enrolled != 1 || p.Requests != 0 {
			t.Errorf("re-run %s: %+v", p.Platform, p)
		}
	}
	if subs, err := st.List(ctx, store.Query{Text: "13411111112"}); err != nil || len(subs) != 1 {
		t.Errorf("after the re-run the held member has %d submissions (%v), want the one", len(subs), err)
	}
	// A person decided: --allow-duplicates enrols it here too.
	opts.AllowDuplicates = true
	_, sum, err = importFile(t, ctx, Input{Path: file}, opts, filepath.Join(dir, "report.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{sandbox.PathALSC, sandbox.PathYouzan, sandbox.PathNXLink} {
		if n := sb.CreatedFor(path, "13411111112"); n != 1 {
			t.Errorf("with --allow-duplicates %s created %d, want 1", path, n)
		}
	}
	if !sum.AllOK() {
		t.Errorf("with --allow-duplicates: %+v", sum.Platforms)
	}
}
