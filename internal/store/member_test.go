package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

func begin(t *testing.T, st *Store, c platforms.Customer, names ...string) (Submission, error) {
	t.Helper()
	sub := Submission{Customer: c, Platforms: names, Source: SourceConsole}
	err := st.Begin(context.Background(), &sub)
	return sub, err
}

func TestMemberKey(t *testing.T) {
	for _, tc := range []struct {
		c    platforms.Customer
		want string
	}{
		{platforms.Customer{Mobile: "13411111111"}, "m:+8613411111111"},
		{platforms.Customer{Mobile: "+8613411111111", Email: "a@b.cn"}, "m:+8613411111111"},
		{platforms.Customer{Email: " Wang@Example.COM "}, "e:wang@example.com"},
		{platforms.Customer{Name: "王小二"}, ""},
	} {
		if got := MemberKey(tc.c); got != tc.want {
			t.Errorf("MemberKey(%+v) = %q, want %q", tc.c, got, tc.want)
		}
	}
}

// The guard refuses a second create for a member, in either way of writing
// the mobile, names the earlier submission, and lets a confirmed duplicate
// through.
func TestBeginRefusesAnEnrolledMember(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	first, err := begin(t, st, platforms.Customer{Name: "王小二", Mobile: "13411111111"}, "alsc", "youzan")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.StartAttempt(ctx, first.ID, "alsc"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Record(ctx, first.ID, okExchange("alsc", "1796000000000000001")); err != nil {
		t.Fatal(err)
	}
	_, err = begin(t, st, platforms.Customer{Name: "王小二", Mobile: "+8613411111111"}, "alsc", "nxlink")
	var dup *DuplicateError
	if !errors.As(err, &dup) || !errors.Is(err, ErrDuplicate) {
		t.Fatalf("second Begin = %v, want a DuplicateError", err)
	}
	if len(dup.Enrolments) != 1 || dup.Enrolments[0].Platform != "alsc" || dup.Enrolments[0].SubmissionID != first.ID ||
		dup.Enrolments[0].CustomerIDs[0] != "1796000000000000001" {
		t.Fatalf("enrolments = %+v", dup.Enrolments)
	}
	if want := fmt.Sprintf("already enrolled: alsc in submission %d (ok 1796000000000000001)", first.ID); err.Error() != want {
		t.Fatalf("message = %q, want %q", err, want)
	}
	// youzan is pending in the first submission: it holds the member too.
	if _, err := begin(t, st, platforms.Customer{Mobile: "13411111111"}, "youzan"); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("Begin on a pending platform = %v, want ErrDuplicate", err)
	}
	if _, err := begin(t, st, platforms.Customer{Mobile: "13411111111"}, "nxlink"); err != nil {
		t.Fatalf("Begin on a platform the member is not on = %v", err)
	}
	sub := Submission{Customer: platforms.Customer{Mobile: "13411111111"}, Platforms: []string{"alsc"}, AllowDuplicate: true}
	if err := st.Begin(ctx, &sub); err != nil || sub.ID == 0 {
		t.Fatalf("confirmed duplicate = %+v, %v", sub, err)
	}
	if n, _ := st.Count(ctx, Query{}); n != 3 {
		t.Fatalf("%d submissions written, want 3 (the refused ones are not)", n)
	}
}

// A rejection or a person's drop leaves the platform free for another create.
func TestRejectedAndDroppedDoNotHold(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	c := platforms.Customer{Name: "李四", Mobile: "13522222222"}
	first, err := begin(t, st, c, "alsc", "youzan")
	if err != nil {
		t.Fatal(err)
	}
	rej := okExchange("alsc", "")
	rej.Result = platforms.Result{Outcome: platforms.Rejected, Code: "isv.invalid-parameter"}
	if _, err := st.Record(ctx, first.ID, rej); err != nil {
		t.Fatal(err)
	}
	unk := okExchange("youzan", "")
	unk.Result = platforms.Result{Outcome: platforms.Unknown, Code: "TIMEOUT"}
	if _, err := st.Record(ctx, first.ID, unk); err != nil {
		t.Fatal(err)
	}
	if _, err := begin(t, st, c, "youzan"); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("an unknown outcome must hold the member (a person must look): %v", err)
	}
	got, _ := st.Get(ctx, first.ID)
	if got.States["alsc"].State != StateSettled || got.States["youzan"].State != StateAttention || !got.States["youzan"].AwaitsPerson() {
		t.Fatalf("states = %+v", got.States)
	}
	if stats, _ := st.Stats(ctx); stats.Attention != 1 {
		t.Fatalf("stats = %+v, want one in the attention inbox", stats)
	}
	if err := st.Drop(ctx, first.ID, "youzan"); err != nil {
		t.Fatal(err)
	}
	got, _ = st.Get(ctx, first.ID)
	if got.States["youzan"].State != StateDropped {
		t.Fatalf("dropped state = %+v", got.States["youzan"])
	}
	if _, err := begin(t, st, c, "alsc", "youzan"); err != nil {
		t.Fatalf("after a rejection and a drop, Begin = %v", err)
	}
	for _, tc := range []struct {
		o    platforms.Outcome
		want int
	}{{OutcomeAttention, 0}, {OutcomeDropped, 1}} {
		if n, err := st.Count(ctx, Query{Outcome: tc.o}); err != nil || n != tc.want {
			t.Fatalf("Count(outcome %s) = %d, %v, want %d", tc.o, n, err, tc.want)
		}
	}
}

// Two processes (two Opens of one directory) and an import batch enrolling
// one mobile at once: exactly one submission holds each platform.
func TestGuardHoldsAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, b := openAt(t, dir), openAt(t, dir)
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Go(func() {
			st := a
			if i%2 == 1 {
				st = b
			}
			c := platforms.Customer{Name: "赵六", Mobile: "13733333333"}
			if i%3 == 0 {
				batch := []*Submission{{Customer: c, Platforms: []string{"alsc"}}, {Customer: c, Platforms: []string{"alsc"}}}
				if err := st.BeginMany(ctx, batch); err != nil {
					t.Error(err)
				}
				for _, s := range batch {
					if s.ID != 0 {
						wins.Add(1)
					} else if len(s.Duplicates) == 0 {
						t.Error("a refused submission says nothing of why")
					}
				}
				return
			}
			if _, err := begin(t, st, c, "alsc"); err == nil {
				wins.Add(1)
			} else if !errors.Is(err, ErrDuplicate) {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d submissions enrolled one mobile on one platform, want 1", wins.Load())
	}
}

func TestAddPlatformsKeepsTheGuard(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	c := platforms.Customer{Name: "钱七", Mobile: "13844444444"}
	other, err := begin(t, st, c, "youzan")
	if err != nil {
		t.Fatal(err)
	}
	sub, err := begin(t, st, c, "alsc")
	if err != nil {
		t.Fatal(err)
	}
	err = st.AddPlatforms(ctx, sub.ID, []string{"alsc", "youzan"}, false)
	var dup *DuplicateError
	if !errors.As(err, &dup) || dup.Enrolments[0].SubmissionID != other.ID {
		t.Fatalf("AddPlatforms onto another submission's platform = %v", err)
	}
	if err := st.AddPlatforms(ctx, sub.ID, []string{"alsc", "nxlink"}, false); err != nil {
		t.Fatal(err)
	}
	got, _ := st.Get(ctx, sub.ID)
	if len(got.Platforms) != 2 || got.Platforms[1] != "nxlink" || got.States["nxlink"].State != StatePending {
		t.Fatalf("after AddPlatforms = %+v", got)
	}
}

// The inbox and dropped filters walk their partial indexes, not the states.
func TestStateFiltersUseTheirIndexes(t *testing.T) {
	st, _ := openTemp(t)
	for _, o := range []platforms.Outcome{OutcomeAttention, OutcomeDropped} {
		sqlText, args := Query{Outcome: o, Limit: 10}.plan().listSQL()
		rows, err := st.read.Query(`EXPLAIN QUERY PLAN `+sqlText, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan += detail + "\n"
		}
		rows.Close()
		want := "USING INDEX states_" + string(o)
		if !strings.Contains(plan, want) {
			t.Fatalf("plan for outcome %s:\n%s\nwant %q", o, plan, want)
		}
	}
}

// A customer an answer names twice, among the result's IDs and in its
// item, is one ID.
func TestResultIDsNameEachCustomerOnce(t *testing.T) {
	r := platforms.Result{CustomerIDs: []string{"c1", " "}, Items: []platforms.ItemResult{{CustomerID: "c1"}, {CustomerID: "c2"}, {}}}
	if got := resultIDs(r); !slices.Equal(got, []string{"c1", "c2"}) {
		t.Fatalf("resultIDs = %q, want [c1 c2]", got)
	}
}

// A person's confirmation of a duplicate is kept with the submission, as
// Begin, AddPlatforms and ConfirmDuplicate were told it, so the retries of
// its sends know it too.
func TestAllowDuplicateIsKept(t *testing.T) {
	st, _ := openTemp(t)
	ctx := context.Background()
	c := platforms.Customer{Name: "王小二", Mobile: "13411111111"}
	first := &Submission{Customer: c, Platforms: []string{"alsc"}}
	again := &Submission{Customer: c, Platforms: []string{"alsc"}, AllowDuplicate: true}
	plain := &Submission{Customer: platforms.Customer{Name: "李四", Mobile: "13411111112"}, Platforms: []string{"alsc"}}
	for _, sub := range []*Submission{first, again, plain} {
		if err := st.Begin(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
	kept := func(id int64) bool {
		t.Helper()
		sub, err := st.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return sub.AllowDuplicate
	}
	if kept(first.ID) || !kept(again.ID) || kept(plain.ID) {
		t.Fatalf("kept: first %v, again %v, plain %v", kept(first.ID), kept(again.ID), kept(plain.ID))
	}
	if err := st.AddPlatforms(ctx, first.ID, []string{"youzan"}, false); err != nil || kept(first.ID) {
		t.Fatalf("AddPlatforms without a confirmation: %v, kept %v", err, kept(first.ID))
	}
	if err := st.AddPlatforms(ctx, first.ID, []string{"nxlink"}, true); err != nil || !kept(first.ID) {
		t.Fatalf("AddPlatforms with a confirmation: %v, kept %v", err, kept(first.ID))
	}
	if err := st.ConfirmDuplicate(ctx, plain.ID); err != nil || !kept(plain.ID) {
		t.Fatalf("ConfirmDuplicate: %v, kept %v", err, kept(plain.ID))
	}
	if err := st.ConfirmDuplicate(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("ConfirmDuplicate of no submission: %v", err)
	}
}
