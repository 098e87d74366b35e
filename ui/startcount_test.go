package ui

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// countingStore counts the history's Count calls.
type countingStore struct {
	*store.Store
	counts atomic.Int32
}

func (c *countingStore) Count(ctx context.Context, q store.Query) (int, error) {
	c.counts.Add(1)
	return c.Store.Count(ctx, q)
}

// The first frame does not wait for the history to be counted (a second at
// a million submissions): a full first page shows at once, "200+", and the
// count comes with Init's commands.
func TestFirstFrameDoesNotCountTheHistory(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const n = historyPage + 15
	subs := make([]*store.Submission, n)
	for i := range subs {
		subs[i] = &store.Submission{Customer: platforms.Customer{Name: "王小二", Mobile: fmt.Sprintf("134%08d", i)},
			Platforms: []string{"alsc"}, Source: store.SourceConsole}
	}
	if err := st.BeginMany(ctx, subs); err != nil {
		t.Fatal(err)
	}
	cs := &countingStore{Store: st}
	m := newModel(Options{Lang: "zh"}, nil, cs)
	if got := cs.counts.Load(); got != 0 {
		t.Fatalf("building the first frame counted the history %d times", got)
	}
	if len(m.history.rows) != historyPage || !m.history.capped {
		t.Fatalf("first page: %d rows, capped %v; want %d, capped", len(m.history.rows), m.history.capped, historyPage)
	}
	for _, msg := range runCmd(m.Init()) {
		if c, ok := msg.(countMsg); ok {
			m.counted(c)
		}
	}
	if cs.counts.Load() != 1 || m.history.total != n || m.history.capped {
		t.Errorf("after Init: %d counts, total %d, capped %v; want 1, %d, exact", cs.counts.Load(), m.history.total, m.history.capped, n)
	}
}

// runCmd runs cmd and the commands of any batch it returns, each on its own
// goroutine, and returns the messages that arrive within a second (timers
// and listeners do not).
func runCmd(cmd tea.Cmd) []tea.Msg {
	out := make(chan tea.Msg, 64)
	var run func(tea.Cmd)
	run = func(c tea.Cmd) {
		if c == nil {
			return
		}
		go func() {
			msg := c()
			if b, ok := msg.(tea.BatchMsg); ok {
				for _, c := range b {
					run(c)
				}
				return
			}
			out <- msg
		}()
	}
	run(cmd)
	var msgs []tea.Msg
	deadline := time.After(time.Second)
	for {
		select {
		case msg := <-out:
			msgs = append(msgs, msg)
		case <-deadline:
			return msgs
		}
	}
}
