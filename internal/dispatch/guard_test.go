package dispatch

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// rejected is a definite rejection: the claim it was sent under is released.
var rejected = answer(platforms.Rejected, 200, "INVALID_MOBILE", false)

// scriptGuard holds platforms listed in held, fails when down, and
// remembers releases.
type scriptGuard struct {
	held map[string]string
	down bool

	mu       sync.Mutex
	released []string
}

func (g *scriptGuard) Claim(_ context.Context, sub store.Submission, platform string) (string, error) {
	if sub.AllowDuplicate {
		return "", nil // as the chain's guard: a confirmed duplicate takes no claim
	}
	if g.down {
		return "", errors.New("central store unreachable")
	}
	return g.held[platform], nil
}

func (g *scriptGuard) Release(_ context.Context, _ store.Submission, platform string) {
	g.mu.Lock()
	g.released = append(g.released, platform)
	g.mu.Unlock()
}

func TestGuardHoldsReleasesAndNeverStopsASendWhenAway(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	a := &fakePlatform{name: "a", script: []platforms.Exchange{okAnswer}}
	b := &fakePlatform{name: "b", script: []platforms.Exchange{okAnswer}}
	c := &fakePlatform{name: "c", script: []platforms.Exchange{rejected}}
	g := &scriptGuard{held: map[string]string{"b": "already enrolled at store-007/pos-1"}}
	d := New(st, []platforms.Platform{a, b, c}, Options{Backoff: fastBackoff, Guard: g})
	sub, exs, err := d.SendAll(ctx, platforms.Customer{Name: "王小二", Mobile: "13411111111"}, []string{"a", "b", "c"}, store.SourceSubmit, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Calls()) != 0 {
		t.Fatal("a platform held by another terminal was sent to")
	}
	if exs[1].Result.Code != CodeEnrolledElsewhere || sub.States["b"].Outcome != platforms.Rejected || sub.States["b"].Queued {
		t.Fatalf("held platform: %+v, state %+v", exs[1].Result, sub.States["b"])
	}
	if exs[0].Result.Outcome != platforms.OK || len(a.Calls()) != 1 {
		t.Fatalf("free platform: %+v", exs[0].Result)
	}
	if len(g.released) != 1 || g.released[0] != "c" {
		t.Fatalf("released %v, want the rejected platform only", g.released)
	}
	// The central store away: the send goes ahead on the local check.
	g.down = true
	_, exs, err = d.SendAll(ctx, platforms.Customer{Name: "李四", Mobile: "13422222222"}, []string{"b"}, store.SourceSubmit, false)
	if err != nil || exs[0].Result.Outcome != platforms.OK || len(b.Calls()) != 1 {
		t.Fatalf("with the guard away: %v %+v", err, exs)
	}
}

// A member held at another terminal is not sent to; sent again unchanged,
// it is skipped as held elsewhere; once a person allows a duplicate it is
// sent, and the retry of that send is let through too: the confirmation is
// the submission's, kept in history, not the first send's alone.
func TestGuardHeldThenConfirmedDuplicateIsRetried(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	a := &fakePlatform{name: "a", script: []platforms.Exchange{answer(platforms.Failed, 503, "HTTP 503", true), okAnswer}}
	g := &scriptGuard{held: map[string]string{"a": "already enrolled at store-007/pos-1"}}
	d := New(st, []platforms.Platform{a}, Options{Backoff: fastBackoff, Guard: g})
	c := platforms.Customer{Name: "王小二", Mobile: "13411111111"}
	sub, exs, err := d.SendAll(ctx, c, []string{"a"}, store.SourceConsole, false)
	if err != nil || exs[0].Result.Code != CodeEnrolledElsewhere || len(a.Calls()) != 0 {
		t.Fatalf("first submit: %v %+v, %d calls", err, exs, len(a.Calls()))
	}
	plan, err := d.Enrol(ctx, EnrolRequest{Customer: c, Platforms: []string{"a"}, Bound: sub.ID})
	if err != nil || len(plan.Send) != 0 || len(plan.Skipped) != 1 || plan.Skipped[0].Why != WhyElsewhere {
		t.Fatalf("sent again: %v %+v", err, plan)
	}
	plan, err = d.Enrol(ctx, EnrolRequest{Customer: c, Platforms: []string{"a"}, Bound: sub.ID, AllowDuplicate: true})
	if err != nil || len(plan.Send) != 1 || !plan.Submission.AllowDuplicate {
		t.Fatalf("confirmed: %v %+v", err, plan)
	}
	if ex := d.Send(ctx, plan.Submission, "a"); ex.Result.Outcome != platforms.Failed || len(a.Calls()) != 1 {
		t.Fatalf("confirmed send: %+v, %d calls", ex.Result, len(a.Calls()))
	}
	runUntil(t, d, nil, func() bool { return state(t, st, sub.ID, "a").Outcome == platforms.OK })
	if len(a.Calls()) != 2 {
		t.Fatalf("%d calls, want the confirmed send and its retry", len(a.Calls()))
	}
}

type countBudget struct {
	mu    sync.Mutex
	waits int
	slows []time.Duration
}

func (b *countBudget) Wait(context.Context) error {
	b.mu.Lock()
	b.waits++
	b.mu.Unlock()
	return nil
}

func (b *countBudget) Slow(d time.Duration) {
	b.mu.Lock()
	b.slows = append(b.slows, d)
	b.mu.Unlock()
}

// Each request takes a token from the platform's shared budget, and a
// rate-limit answer slows the whole budget.
func TestSendsDrawFromSharedBudgets(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	limited := answer(platforms.Failed, 200, "7", true)
	limited.Result.RateLimited, limited.Result.RetryAfter = true, 3*time.Second
	a := &fakePlatform{name: "a", script: []platforms.Exchange{limited, okAnswer}}
	b := &countBudget{}
	d := New(st, []platforms.Platform{a}, Options{Backoff: fastBackoff, Budgets: map[string]Budget{"a": b}})
	sub, _, err := d.SendAll(ctx, platforms.Customer{Name: "王小二", Mobile: "13411111111"}, []string{"a"}, store.SourceSubmit, false)
	if err != nil {
		t.Fatal(err)
	}
	runUntil(t, d, nil, func() bool { return state(t, st, sub.ID, "a").Outcome == platforms.OK })
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.waits != 2 || len(b.slows) != 1 || b.slows[0] != 3*time.Second {
		t.Fatalf("waits %d, slows %v: want a token per request (first send and retry) and one slow-down", b.waits, b.slows)
	}
}
