package ui

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// TestMembersRandomised drives the console through random sequences of what
// a cashier may press (submit, submit again before the answer, cancel, edit
// an entry and resend, type the same mobile again, esc) while platforms go
// off and on the network and the retry loop runs. After each sequence, once
// the network is back and the queue is worked off, every platform holds at
// most one customer per mobile, and every send is ok or waits in the
// attention inbox. CUSTDESK_SEED=N replays one sequence.
func TestMembersRandomised(t *testing.T) {
	runs := 300
	switch {
	case testing.Short():
		runs = 20
	case raceEnabled:
		runs = 60
	}
	g := newGateway(t)
	ps, err := config.Sandbox(g.url).Build()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	disp := dispatch.New(st, ps, dispatch.Options{Backoff: func(int) time.Duration { return 5 * time.Millisecond }, Poll: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go disp.Run(ctx, nil)

	first, last := 0, runs
	if s := os.Getenv("CUSTDESK_SEED"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		first, last = n, n+1
	}
	for seed := first; seed < last; seed++ {
		mobiles := []string{fmt.Sprintf("136%04d%04d", seed, 1), fmt.Sprintf("136%04d%04d", seed, 2)}
		steps := randomSequence(t, g, ps, st, disp, uint64(seed), mobiles)
		g.setDown(false, allPaths...)
		for _, mobile := range mobiles {
			settledAll(t, st, mobile, seed, steps)
			for p, n := range g.created(mobile) {
				if n > 1 {
					t.Fatalf("seed %d: %s holds %d customers for %s after %v", seed, p, n, mobile, steps)
				}
			}
		}
	}
}

// randomSequence plays one seeded sequence and returns its steps.
func randomSequence(t *testing.T, g *gateway, ps []platforms.Platform, st *store.Store, disp *dispatch.Dispatcher, seed uint64, mobiles []string) []string {
	rng := rand.New(rand.NewPCG(seed, 0xc0ffee))
	m := newModel(Options{Platforms: ps, Lang: "en", NoColor: true}, disp, st)
	m.timers = false
	d := drive(t, m, 80, 24)
	var steps []string
	for range 6 + rng.IntN(10) {
		step := randomStep(d, g, rng, mobiles)
		steps = append(steps, step)
		if rng.IntN(3) > 0 {
			d.settle()
		}
	}
	d.settle()
	return steps
}

func randomStep(d *driver, g *gateway, rng *rand.Rand, mobiles []string) string {
	switch rng.IntN(9) {
	case 0, 1:
		mobile := mobiles[rng.IntN(len(mobiles))]
		d.press("ctrl+x")
		d.focusOn("name")
		d.typeText("顾客" + mobile[len(mobile)-2:])
		d.press("tab")
		d.typeText(mobile)
		return "type " + mobile
	case 2, 3:
		d.press("ctrl+s")
		return "ctrl+s"
	case 4:
		p := allPaths[rng.IntN(len(allPaths))]
		down := rng.IntN(2) == 0
		g.setDown(down, p)
		return fmt.Sprintf("down(%s)=%v", p, down)
	case 5:
		d.press("ctrl+g", "y")
		return "cancel"
	case 6:
		// Edit an entry and send it again, sometimes changed.
		d.settle()
		d.press("ctrl+o")
		for range rng.IntN(3) {
			d.press("down")
		}
		d.press("enter")
		d.settle()
		d.press("e", "e")
		d.settle()
		if rng.IntN(2) == 0 {
			d.focusOn("name")
			d.typeText("改")
		}
		d.press("ctrl+s")
		d.settle()
		d.press("y")
		return "edit"
	case 7:
		d.press("esc")
		return "esc"
	default:
		d.press(map[bool]string{true: "y", false: "n"}[rng.IntN(2) == 0])
		return "answer"
	}
}

// settledAll waits until every send for mobile is ok or in the attention
// inbox (the retry loop works off the queue meanwhile).
func settledAll(t *testing.T, st *store.Store, mobile string, seed int, steps []string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		subs, err := st.List(context.Background(), store.Query{Text: mobile})
		if err != nil {
			t.Fatal(err)
		}
		open := ""
		for _, s := range subs {
			for _, p := range s.Platforms {
				ps := s.States[p]
				ok := ps.State == store.StateSettled && ps.Outcome == platforms.OK
				if !ok && ps.State != store.StateAttention {
					open = fmt.Sprintf("#%d %s %s/%s", s.ID, p, ps.State, ps.Outcome)
				}
			}
		}
		if open == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("seed %d: %s never ended ok or in the inbox (%s) after %v", seed, mobile, open, steps)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
