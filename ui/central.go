package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// centralMsg carries the central store's status line ("central: synced",
// "central: 12 behind", "central: unreachable since 14:02").
type centralMsg string

// centralEvery is how often the header asks the replicator where it
// stands; the replicator answers from memory, never from the network.
const centralEvery = 2 * time.Second

// centralStatus polls fn now and then, off the keystroke path.
func centralStatus(fn func() string, wait time.Duration) tea.Cmd {
	if fn == nil {
		return nil
	}
	return tea.Tick(wait, func(time.Time) tea.Msg { return centralMsg(fn()) })
}
