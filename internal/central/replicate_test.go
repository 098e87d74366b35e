package central

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/central/pgtest"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

func begin(t *testing.T, st *store.Store, mobile string) store.Submission {
	t.Helper()
	sub := store.Submission{Customer: platforms.Customer{Name: "王小二", Mobile: mobile}, Platforms: []string{"p1", "p2"}}
	if err := st.Begin(context.Background(), &sub); err != nil {
		t.Fatal(err)
	}
	return sub
}

func answer(t *testing.T, st *store.Store, sub store.Submission, platform, customerID string) {
	t.Helper()
	ctx := context.Background()
	if _, err := st.StartAttempt(ctx, sub.ID, platform); err != nil {
		t.Fatal(err)
	}
	ex := platforms.Exchange{Platform: platform, RequestID: sub.RequestID, Started: time.Now(),
		Response: []byte(`{"ok":true}`), Result: platforms.Result{Outcome: platforms.OK, CustomerIDs: []string{customerID}}}
	if _, err := st.Record(ctx, sub.ID, ex); err != nil {
		t.Fatal(err)
	}
}

func TestReplicatesEverythingOnceAndCatchesUp(t *testing.T) {
	ctx := ctxT(t)
	pool, _ := newCentral(t)
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// History written before the terminal joined the chain is shipped too.
	early := begin(t, st, "13411111111")
	answer(t, st, early, "p1", "C-early")
	l, err := OpenLocal(ctx, dir, "store-001/pos-1")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for i := range 20 {
		sub := begin(t, st, fmt.Sprintf("134222%05d", i))
		answer(t, st, sub, "p2", fmt.Sprintf("C-%d", i))
	}
	r := NewReplicator(l, pool)
	r.BatchSize = 7 // several batches
	if err := r.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	sameHistory(ctx, t, l, pool)
	if got := r.Status().String(); got != "central: synced" {
		t.Errorf("status %q", got)
	}
	// A later change (the second platform answered) is shipped as an update.
	answer(t, st, early, "p2", "C-early-2")
	if n, _ := l.Behind(ctx); n == 0 {
		t.Fatal("the answer left no change in the outbox")
	}
	if err := r.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	sameHistory(ctx, t, l, pool)
	var hw int64
	if err := pool.QueryRow(ctx, `SELECT high_water FROM terminals WHERE terminal = 'store-001/pos-1'`).Scan(&hw); err != nil {
		t.Fatal(err)
	}
	if mark, _ := l.Mark(ctx); mark != hw || hw == 0 {
		t.Errorf("local mark %d, central high water %d", mark, hw)
	}
}

// A batch shipped twice (a crash between the central commit and the local
// mark) and an older read arriving after a newer one change nothing.
func TestShippingAgainOrLateIsHarmless(t *testing.T) {
	ctx := ctxT(t)
	pool, _ := newCentral(t)
	st, l, _ := newTerminal(t, "store-002/pos-1")
	r := NewReplicator(l, pool)
	sub := begin(t, st, "13433333333")
	old, err := l.readBatch(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	answer(t, st, sub, "p1", "C-1")
	answer(t, st, sub, "p2", "C-2")
	newer, err := l.readBatch(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []*batch{newer, newer, old} {
		if err := r.ship(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.advance(ctx, newer.last); err != nil {
		t.Fatal(err)
	}
	sameHistory(ctx, t, l, pool)
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM submissions`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d submissions centrally (%v)", n, err)
	}
}

func TestReplicatorReportsUnreachableAndRecovers(t *testing.T) {
	ctx := ctxT(t)
	_, url := newCentral(t)
	st, l, _ := newTerminal(t, "store-003/pos-1")
	bad, err := Connect(ctx, "postgres://nobody@/nowhere?host=/nonexistent-dir&connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	begin(t, st, "13444444444")
	r := NewReplicator(l, bad)
	if _, err := r.Step(ctx); err == nil {
		t.Fatal("shipped to a server that does not exist")
	}
	s := r.Status()
	if s.Reachable || s.Behind == 0 {
		t.Fatalf("status %+v", s)
	}
	if want := "central: unreachable since " + s.Since.Format("15:04"); s.String() != want {
		t.Errorf("status %q, want %q", s.String(), want)
	}
	good, err := Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer good.Close()
	r2 := NewReplicator(l, good)
	if err := r2.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if got := r2.Status().String(); got != "central: synced" {
		t.Errorf("after reconnecting: %q", got)
	}
}

func TestHistoryKeepsItsTerminalName(t *testing.T) {
	ctx := ctxT(t)
	_, _, dir := newTerminal(t, "store-004/pos-1")
	if _, err := OpenLocal(ctx, dir, "store-009/pos-2"); err == nil {
		t.Fatal("a history replicated as one terminal was attached as another")
	}
}

func TestInitIsIdempotent(t *testing.T) {
	ctx := ctxT(t)
	pool, _ := newCentral(t)
	from, to, err := Init(ctx, pool)
	if err != nil || from != Version || to != Version {
		t.Fatalf("second init: %d -> %d, %v", from, to, err)
	}
	if err := CheckSchema(ctx, pool); err != nil {
		t.Fatal(err)
	}
	in, err := Describe(ctx, pool, "store-x/pos-1")
	if err != nil || in.SchemaVersion != Version || in.Server == "" || in.Known {
		t.Fatalf("%+v %v", in, err)
	}
}

func TestUninitialisedIsSaid(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDB(t)
	pool, err := Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if err := CheckSchema(ctx, pool); err != ErrNotInitialised {
		t.Fatalf("got %v", err)
	}
}

func TestUninitialisedServerIsNotUnreachable(t *testing.T) {
	ctx := ctxT(t)
	pool, err := Connect(ctx, pgtest.NewDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	st, l, _ := newTerminal(t, "store-005/pos-1")
	begin(t, st, "13488888888")
	r := NewReplicator(l, pool)
	if _, err := r.Step(ctx); err == nil {
		t.Fatal("shipped to a database with no schema")
	}
	if got := r.Status().String(); got != "central: 3 behind, schema needs 'custdesk central init'" {
		t.Fatalf("status %q", got)
	}
	if _, _, err := Init(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if err := r.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	sameHistory(ctx, t, l, pool)
}

// An idle terminal (nothing to ship) must not say "synced" while the
// central store is away: it asks the server once per Heartbeat.
func TestIdleReplicatorNoticesTheStoreIsAway(t *testing.T) {
	ctx := ctxT(t)
	good, _ := newCentral(t)
	_, l, _ := newTerminal(t, "store-004/pos-1")
	bad, err := Connect(ctx, "postgres://nobody@/nowhere?host=/nonexistent-dir&connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()

	away := NewReplicator(l, bad)
	if _, err := away.Step(ctx); err == nil {
		t.Fatal("an idle replicator heard from a server that does not exist")
	}
	if s := away.Status(); s.Reachable || !strings.HasPrefix(s.String(), "central: unreachable since ") {
		t.Fatalf("never connected, nothing to ship: %q", s.String())
	}

	r := NewReplicator(l, good)
	if _, err := r.Step(ctx); err != nil {
		t.Fatal(err)
	}
	if got := r.Status().String(); got != "central: synced" {
		t.Fatalf("idle and reachable: %q", got)
	}
	r.pool = bad // the server goes away
	if _, err := r.Step(ctx); err != nil {
		t.Fatalf("asked again before its heartbeat: %v", err)
	}
	r.Heartbeat = 0
	if _, err := r.Step(ctx); err == nil {
		t.Fatal("the heartbeat did not reach the server")
	}
	if got := r.Status().String(); !strings.HasPrefix(got, "central: unreachable since ") {
		t.Fatalf("idle with the server away: %q", got)
	}
	r.pool = good
	if _, err := r.Step(ctx); err != nil {
		t.Fatal(err)
	}
	if got := r.Status().String(); got != "central: synced" {
		t.Fatalf("back: %q", got)
	}
}
