package ui

import (
	"context"
	"fmt"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/platforms"
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

// Elsewhere is an enrolment of the member at another terminal of the chain,
// as the central store knows it.
type Elsewhere struct {
	Terminal string
	Store    string
	Platform string
	Created  time.Time
}

// elsewhereMsg is the central store's answer to the guard's look-up; err
// set: it could not be asked, and the check was local only.
type elsewhereMsg struct {
	key string
	n   uint64 // guardState.asked when it was asked
	ens []Elsewhere
	err error
}

// centralLookupTimeout bounds the chain's part of the guard: past it the
// form says the check was local only.
const centralLookupTimeout = 2 * time.Second

func (m *Model) elsewhereCmd(key string, n uint64) tea.Cmd {
	fn := m.elsewhere
	if fn == nil || key == "" {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), centralLookupTimeout)
		defer cancel()
		ens, err := fn(ctx, key)
		return elsewhereMsg{key: key, n: n, ens: ens, err: err}
	}
}

func (m *Model) elsewhereAnswered(msg elsewhereMsg) {
	if msg.key != m.guard.key || msg.n <= m.guard.shownElsewhere {
		return // an answer for a mobile since changed, or older than what is shown
	}
	m.guard.elsewhere, m.guard.localOnly, m.guard.shownElsewhere = msg.ens, msg.err != nil, msg.n
	m.showGuard()
}

// titlesInOrder names platforms as the checkboxes do, in their order;
// one this terminal does not send to comes last, by its key.
func (m *Model) titlesInOrder(names []string) []string {
	var out []string
	for _, p := range m.c.platforms {
		if slices.Contains(names, p.Name()) {
			out = append(out, m.c.title(p))
		}
	}
	for _, n := range names {
		if !slices.ContainsFunc(m.c.platforms, func(p platforms.Platform) bool { return p.Name() == n }) {
			out = append(out, n)
		}
	}
	return out
}

// elsewhereLines are the guard's lines about the rest of the chain: per
// store, the newest enrolment date and its platforms ("已在 store-007 登记
// 11-03 · ALSC, Youzan"), or that the chain could not be asked.
func (m *Model) elsewhereLines() []string {
	if m.guard.localOnly {
		return []string{m.c.tr(msgLocalOnly)}
	}
	type at struct {
		when  time.Time
		plats []string
	}
	byStore := map[string]*at{}
	var order []string
	for _, e := range m.guard.elsewhere {
		a := byStore[e.Store]
		if a == nil {
			a = &at{when: e.Created}
			byStore[e.Store] = a
			order = append(order, e.Store)
		}
		if e.Created.After(a.when) {
			a.when = e.Created
		}
		if !slices.Contains(a.plats, e.Platform) {
			a.plats = append(a.plats, e.Platform)
		}
	}
	var lines []string
	for _, s := range order {
		a := byStore[s]
		when := a.when.In(m.c.now().Location()).Format("01-02")
		lines = append(lines, fmt.Sprintf(m.c.tr(msgEnrolledElsewhere), s, when)+" · "+m.c.list(m.titlesInOrder(a.plats)))
	}
	return lines
}
