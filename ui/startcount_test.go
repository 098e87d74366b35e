package ui

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

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
// a million submissions): a full first read shows at once, "64+", and the
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
	m.resize(120, 40)
	if v := ansi.Strip(m.View().Content); !strings.Contains(v, fmt.Sprintf("(%d+)", firstRead)) {
		t.Fatalf("the first frame does not say the history holds at least a page:\n%s", v)
	}
	for _, msg := range runCmd(m.Init()) {
		if c, ok := msg.(countMsg); ok {
			m.Update(c)
		}
	}
	if v := ansi.Strip(m.View().Content); cs.counts.Load() != 1 || !strings.Contains(v, fmt.Sprintf("(%d)", n)) {
		t.Errorf("after Init: %d counts; want 1 and the whole count %d shown:\n%s", cs.counts.Load(), n, v)
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
