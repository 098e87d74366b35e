package central

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/custdesk/custdesk/platforms"
)

func TestClaimsOnePerMemberAndPlatform(t *testing.T) {
	ctx := ctxT(t)
	pool, _ := newCentral(t)
	a, b := NewClaimer(pool, "store-007/pos-1"), NewClaimer(pool, "store-012/pos-1")
	key := MemberKey(platforms.Customer{Mobile: "+86 134 1111 1111"})
	if key != "m:+8613411111111" {
		t.Fatalf("key %q", key)
	}
	if r := a.Claim(ctx, key, "p1", 5); r.Verdict != Claimed {
		t.Fatalf("first claim: %+v", r)
	}
	if r := a.Claim(ctx, key, "p1", 5); r.Verdict != Claimed {
		t.Fatalf("the same submission claiming again (a retry): %+v", r)
	}
	r := b.Claim(ctx, key, "p1", 9)
	if r.Verdict != Taken || r.Holder.Terminal != "store-007/pos-1" || r.Holder.SubmissionID != 5 || r.Holder.At.IsZero() {
		t.Fatalf("second terminal: %+v", r)
	}
	if r := b.Claim(ctx, key, "p2", 9); r.Verdict != Claimed {
		t.Fatalf("another platform is free: %+v", r)
	}
	if r := a.Claim(ctx, key, "p1", 6); r.Verdict != Taken {
		t.Fatalf("another submission of the same terminal: %+v", r)
	}
	// A definite rejection releases the claim; only its holder can.
	if err := b.Release(ctx, key, "p1", 9); err != nil {
		t.Fatal(err)
	}
	if r := b.Claim(ctx, key, "p1", 9); r.Verdict != Taken {
		t.Fatal("a terminal released a claim it does not hold")
	}
	if err := a.Release(ctx, key, "p1", 5); err != nil {
		t.Fatal(err)
	}
	if r := b.Claim(ctx, key, "p1", 9); r.Verdict != Claimed {
		t.Fatalf("after release: %+v", r)
	}
	if r := b.Claim(ctx, "", "p1", 1); r.Verdict != Claimed {
		t.Fatal("a member with no mobile nor e-mail cannot be checked, so it is not refused")
	}
}

func TestClaimUnreachableSaysSo(t *testing.T) {
	bad, err := Connect(context.Background(), "postgres://nobody@/nowhere?host=/nonexistent-dir")
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	c := NewClaimer(bad, "store-001/pos-1")
	r := c.Claim(context.Background(), "m:13411111111", "p1", 1)
	if r.Verdict != Unreachable || r.Err == nil {
		t.Fatalf("%+v", r)
	}
	// Known to be away, the server is not asked again for a while: the
	// next send does not wait for it.
	start := time.Now()
	if r := c.Claim(context.Background(), "m:13411111111", "p2", 1); r.Verdict != Unreachable || !errors.Is(r.Err, errAway) {
		t.Fatalf("%+v", r)
	}
	if el := time.Since(start); el > 50*time.Millisecond {
		t.Fatalf("a claim with the server known away took %s", el)
	}
}

func TestEnrolledAcrossTheChain(t *testing.T) {
	ctx := ctxT(t)
	pool, _ := newCentral(t)
	st, l, _ := newTerminal(t, "store-007/pos-1")
	sub := begin(t, st, "13455555555")
	answer(t, st, sub, "p1", "C-77")
	if err := NewReplicator(l, pool).Drain(ctx); err != nil {
		t.Fatal(err)
	}
	es, err := Enrolled(ctx, pool, platforms.Customer{Mobile: "13455555555"})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Store != "store-007" {
		t.Fatalf("%+v", es)
	}
	got := map[string]Enrolment{}
	for _, e := range es {
		got[e.Platform] = e
	}
	if got["p1"].Outcome != platforms.OK || got["p1"].CustomerIDs != "C-77" || got["p2"].Outcome != "" {
		t.Fatalf("%+v", got)
	}
}

// The terminals' role reads and writes, and cannot delete.
func TestTerminalRoleCannotDelete(t *testing.T) {
	ctx := ctxT(t)
	pool, url := newCentral(t)
	if _, err := pool.Exec(ctx, `CREATE ROLE custdesk_terminal_t LOGIN`); err != nil {
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "42710" { // already exists (another test database)
			t.Fatal(err)
		}
	}
	if err := Grant(ctx, pool, "custdesk_terminal_t"); err != nil {
		t.Fatal(err)
	}
	tp, err := Connect(ctx, strings.Replace(url, "custdesk_admin@", "custdesk_terminal_t@", 1))
	if err != nil {
		t.Fatal(err)
	}
	defer tp.Close()
	st, l, _ := newTerminal(t, "store-001/pos-1")
	begin(t, st, "13466666666")
	if err := NewReplicator(l, tp).Drain(ctx); err != nil {
		t.Fatalf("the terminals' role cannot replicate: %v", err)
	}
	if r := NewClaimer(tp, "store-001/pos-1").Claim(ctx, MemberKey(platforms.Customer{Mobile: "13466666666"}), "p1", 1); r.Verdict != Claimed {
		t.Fatalf("claim as the terminals' role: %+v", r)
	}
	if _, err := Search(ctx, tp, Query{}); err != nil {
		t.Fatal(err)
	}
	// A table a later migration adds (made by the admin role, as 'central
	// init' does) is the terminals' to read and write too, without another
	// --grant, and still not to delete from.
	if _, err := pool.Exec(ctx, `CREATE TABLE custdesk.later (n int)`); err != nil {
		t.Fatal(err)
	}
	if _, err := tp.Exec(ctx, `INSERT INTO custdesk.later VALUES (1)`); err != nil {
		t.Errorf("the terminals' role cannot write a later table: %v", err)
	}
	for _, table := range []string{"submissions", "claims", "terminals", "customer_ids", "later"} {
		if _, err := tp.Exec(ctx, `DELETE FROM `+table); err == nil {
			t.Errorf("the terminals' role deleted from %s", table)
		}
	}
}
