package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"
)

// The history is live: rows written by `custdesk submit`, `import` or
// another console appear within about a second, without a search. The
// store says when anything was committed (PRAGMA data_version, store.Watch);
// only then is the first page read again.

// livePoll is how often the console asks whether the history changed. The
// tick also lets an expired notice leave the status line.
const livePoll = time.Second

// watcher is what the console needs of store.Watch.
type watcher interface {
	Changed(ctx context.Context) (bool, error)
	Close() error
}

type liveState struct {
	w watcher
}

type (
	pollTickMsg struct{}
	pollMsg     struct{ changed bool }
)

// pollCmd arms the next poll when timers run.
func (m *Model) pollCmd() tea.Cmd {
	if !m.timers || m.live.w == nil {
		return nil
	}
	return tea.Tick(livePoll, func(time.Time) tea.Msg { return pollTickMsg{} })
}

// checkLive asks the store whether anything changed.
func (m *Model) checkLive() tea.Cmd {
	w := m.live.w
	if w == nil {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		changed, err := w.Changed(ctx)
		return pollMsg{changed: changed && err == nil}
	}
}

func (m *Model) polled(msg pollMsg) tea.Cmd {
	cmds := []tea.Cmd{m.pollCmd()}
	if msg.changed && m.hist != nil {
		cmds = append(cmds, m.history.refreshNewest(), m.refreshQueued())
		if m.detail != nil {
			cmds = append(cmds, m.detailCmd(m.detail.entryKey()))
		}
	}
	return tea.Batch(cmds...)
}
