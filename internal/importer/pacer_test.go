package importer

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"
)

// A throttled answer pauses every worker for the platform's Retry-After and
// halves the rate, once per pause however many answers in flight say so; ok
// answers climb back by a quarter a second, never above the configured rate.
func TestPacerSlowsDownAndClimbsBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPacer(20)
		ctx := context.Background()
		p.throttled(2 * time.Second)
		p.throttled(2 * time.Second) // another answer of the same burst
		if got := p.limit(); got != 10 {
			t.Fatalf("after a throttled burst the rate is %v, want 10", got)
		}
		p.ok() // an ok answer during the pause: no climb
		if got := p.limit(); got != 10 {
			t.Errorf("climbed during the pause: %v", got)
		}
		start := time.Now()
		if err := p.turn(ctx); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited < 2*time.Second {
			t.Errorf("a turn during the pause came after %v, want the 2 s asked for", waited)
		}
		want := []rate.Limit{12.5, 15.625, 19.53125, 20, 20}
		for i, w := range want {
			if i > 0 {
				p.ok() // under a second since the last climb: none
				if got := p.limit(); got != want[i-1] {
					t.Errorf("climbed within a second: %v", got)
				}
				time.Sleep(time.Second)
			}
			p.ok()
			if got := p.limit(); got != w {
				t.Errorf("climb %d: %v, want %v", i, got, w)
			}
		}
	})
}

// With no configured rate the first throttle starts from the pace that was
// too fast, and the climb lifts the bucket again well past it.
func TestPacerWithoutACap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPacer(0)
		ctx := context.Background()
		for range 40 { // 40 requests over two seconds: 20 a second
			if err := p.turn(ctx); err != nil {
				t.Fatal(err)
			}
			time.Sleep(50 * time.Millisecond)
		}
		p.throttled(0) // no Retry-After: 1 s
		if got := p.limit(); got < 9 || got > 11 {
			t.Fatalf("first throttle without a cap: %v, want half of ~20/s", got)
		}
		for range 20 {
			time.Sleep(time.Second)
			p.ok()
		}
		if got := p.limit(); got != rate.Inf {
			t.Errorf("the climb should lift the bucket: %v", got)
		}
	})
}

// A stop during a pause ends the wait at once.
func TestPacerPauseEndsWithTheContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPacer(5)
		p.throttled(time.Hour)
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() { errc <- p.turn(ctx) }()
		synctest.Wait() // the turn is waiting out the pause
		cancel()
		if err := <-errc; err == nil {
			t.Error("a stopped import's turn should fail")
		}
	})
}
