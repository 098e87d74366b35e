package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// guardAnswer runs a guard lookup and returns its answer, undelivered.
func guardAnswer(t *testing.T, cmd tea.Cmd) guardMsg {
	t.Helper()
	msg := cmd()
	if batch, ok := msg.(tea.BatchMsg); ok {
		for _, c := range batch {
			if c == nil {
				continue
			}
			if g, ok := c().(guardMsg); ok {
				return g
			}
		}
	}
	g, ok := msg.(guardMsg)
	if !ok {
		t.Fatalf("the lookup answered %T", msg)
	}
	return g
}

// Lookups run concurrently, one after each platform's answer: a snapshot
// taken before the member was created, arriving after a newer one, does not
// take back what the guard shows.
func TestGuardKeepsTheNewestAnswer(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, "en")
	m.timers = false
	d := drive(t, m, 80, 30)
	d.settle()
	d.enter("王小二", "13466666666")
	d.settle()
	stale := guardAnswer(t, m.lookupCmd())
	if len(stale.ens) != 0 {
		t.Fatalf("enrolled before any submit: %+v", stale.ens)
	}
	d.press("ctrl+s")
	d.settle()
	// The form is cleared once every platform said ok; the same member again:
	d.enter("王小二", "13466666666")
	d.settle()
	if !strings.Contains(d.screen(), "already created, not sent again") {
		t.Fatalf("no guard note after the submit:\n%s", d.screen())
	}
	d.send(stale)
	d.settle()
	if !strings.Contains(d.screen(), "already created, not sent again") {
		t.Fatalf("an older answer took the guard note back:\n%s", d.screen())
	}
}
