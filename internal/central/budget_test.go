package central

import (
	"testing"
	"time"
)

// Two budgets on one key share it: together they get the rate, and a
// rate-limit answer seen by one slows the other.
func TestBudgetLeasesAreSharedAndSlowed(t *testing.T) {
	ctx := ctxT(t)
	pool, _ := newCentral(t)
	a, b := NewBudget(pool, "p", "k", 50), NewBudget(pool, "p", "k", 50)
	a.Lease, b.Lease = 100*time.Millisecond, 100*time.Millisecond
	start := time.Now()
	done := make(chan struct{})
	go func() {
		for range 25 {
			if err := b.Wait(ctx); err != nil {
				t.Error(err)
			}
		}
		close(done)
	}()
	for range 25 {
		if err := a.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	<-done
	if a.Err() != nil || b.Err() != nil {
		t.Fatalf("lease errors: %v, %v", a.Err(), b.Err())
	}
	// 50 tokens at 49/s: about a second, never much less.
	if el := time.Since(start); el < 900*time.Millisecond {
		t.Fatalf("50 tokens at 50/s shared took only %s", el)
	}
	a.Slow(time.Second)
	time.Sleep(100 * time.Millisecond) // Slow does not wait for the server
	t0 := time.Now()
	for range 6 { // past b's tokens leased before the slow-down
		if err := b.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if el := time.Since(t0); el < 700*time.Millisecond {
		t.Fatalf("the other budget did not slow down: %s", el)
	}
}
