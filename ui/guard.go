package ui

import (
	"context"
	"fmt"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

// The duplicate guard, as the cashier sees it: while a mobile (or, without
// one, an e-mail) is typed, the history is asked, after a pause and never on
// the keystroke, where the member is enrolled already, and the answer shows
// under the field. Enrol itself holds the line (in the store's transaction);
// this only says so before ctrl+s.

// Note keys of the form: under the mobile field, and under the toggles.
const (
	mobileNoteKey    = "mobile"
	platformsNoteKey = "platforms"
)

// guardDelay is the pause in typing before the history is asked.
const guardDelay = 300 * time.Millisecond

type guardState struct {
	key string // the member key shown (or being looked up)
	seq int
	// asked numbers the lookups; shown and shownElsewhere are the numbers
	// of the answers shown: lookups run concurrently (one after each
	// platform's answer), and an older snapshot arriving last must not
	// replace a newer one.
	asked, shown, shownElsewhere uint64
	ens                          []store.Enrolment
	// elsewhere: the member at other terminals of the chain; localOnly:
	// the chain's central store could not be asked.
	elsewhere []Elsewhere
	localOnly bool
}

type (
	guardTickMsg struct{ seq int }
	guardMsg     struct {
		key string
		n   uint64 // guardState.asked when it was asked
		ens []store.Enrolment
		err error
	}
)

// forMember starts the guard over for another member key (or none); the
// numbering of lookups goes on, so no answer to an earlier one is taken for
// a later one.
func (g guardState) forMember(key string) guardState {
	return guardState{key: key, seq: g.seq + 1, asked: g.asked}
}

// guardAfterEdit asks again once typing pauses, when the member changed.
func (m *Model) guardAfterEdit() tea.Cmd {
	c, _ := m.form.customer()
	key := store.MemberKey(c)
	if key == m.guard.key {
		return nil
	}
	m.guard = m.guard.forMember(key)
	m.showGuard()
	if key == "" || m.hist == nil {
		return nil
	}
	if !m.timers {
		return m.lookupCmd()
	}
	seq := m.guard.seq
	return tea.Tick(guardDelay, func(time.Time) tea.Msg { return guardTickMsg{seq} })
}

func (m *Model) guardTick(msg guardTickMsg) tea.Cmd {
	if msg.seq != m.guard.seq {
		return nil // typing went on
	}
	return m.lookupCmd()
}

// guardConcerns: submission id is the form's, or one the guard shows.
func (m *Model) guardConcerns(id int64) bool {
	if m.bound != nil && m.bound.id == id {
		return true
	}
	for _, en := range m.guard.ens {
		if en.SubmissionID == id {
			return true
		}
	}
	return false
}

// lookupNow asks again at once, here and across the chain (the console
// starts with a draft's member).
func (m *Model) lookupNow() tea.Cmd {
	if m.guard.key == "" || m.hist == nil {
		return nil
	}
	return m.lookupCmd()
}

// lookupHere asks this terminal's history again at once: a send changed
// what it knows, not what the rest of the chain does, so the central store
// is not asked once per platform's answer.
func (m *Model) lookupHere() tea.Cmd {
	if m.guard.key == "" || m.hist == nil {
		return nil
	}
	return m.localLookup()
}

func (m *Model) lookupCmd() tea.Cmd {
	local := m.localLookup()
	return tea.Batch(local, m.elsewhereCmd(m.guard.key, m.guard.asked))
}

func (m *Model) localLookup() tea.Cmd {
	m.guard.asked++
	hs, key, n := m.hist, m.guard.key, m.guard.asked
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		ens, err := hs.Enrolments(ctx, key)
		return guardMsg{key: key, n: n, ens: ens, err: err}
	}
}

func (m *Model) guarded(msg guardMsg) {
	if msg.key != m.guard.key || msg.err != nil || msg.n <= m.guard.shown {
		return // for a mobile since changed, or older than what is shown; or none: Enrol still guards
	}
	m.guard.ens, m.guard.shown = msg.ens, msg.n
	m.showGuard()
}

// showGuard writes what is known under the mobile and the toggles. Under
// the mobile: the member's enrolments by other submissions than the one the
// form is bound to (the warning). Under the toggles: every platform where
// the member is created already, which ctrl+s will not send to again.
func (m *Model) showGuard() {
	rank := map[string]int{}
	for i, p := range m.c.platforms {
		rank[p.Name()] = i
	}
	slices.SortStableFunc(m.guard.ens, func(a, b store.Enrolment) int { return rank[a.Platform] - rank[b.Platform] })
	var others []store.Enrolment
	var created []string
	for _, en := range m.guard.ens {
		if en.State == store.StateSettled {
			created = append(created, fmt.Sprintf("%s #%d", m.c.platformTitle(en.Platform), en.SubmissionID))
		}
		if m.bound == nil || en.SubmissionID != m.bound.id {
			others = append(others, en)
		}
	}
	if len(created) == 0 {
		m.form.setNotes(platformsNoteKey, nil)
	} else {
		m.form.setNotes(platformsNoteKey, []string{"✓ " + m.c.labelled(m.c.tr(msgAlreadyCreated), m.c.list(created))})
	}
	if len(others) == 0 {
		m.form.setNotes(mobileNoteKey, m.elsewhereLines())
		return
	}
	newest := others[0].Created
	parts := make([]string, 0, len(others))
	for _, en := range others {
		if en.Created.After(newest) {
			newest = en.Created
		}
		title := m.c.platformTitle(en.Platform)
		switch en.State {
		case store.StateSettled:
			parts = append(parts, title+" ✓ "+shortID(en.CustomerIDs))
		case store.StateAttention:
			parts = append(parts, title+" ! "+m.c.tr(msgNeedsYouShort))
		default:
			parts = append(parts, title+" ↻")
		}
	}
	when := newest.In(m.c.now().Location()).Format("01-02 15:04")
	m.form.setNotes(mobileNoteKey, append([]string{m.c.tr(msgEnrolledAt) + " " + when + " · " + m.c.list(parts)}, m.elsewhereLines()...))
}

// shortID keeps the end of a customer ID, where IDs handed out one after
// another differ: enough to tell it on the platform.
func shortID(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	id := termsafe.Line(ids[0]) // the platform's text
	if r := []rune(id); len(r) > 6 {
		return "…" + string(r[len(r)-4:])
	}
	return id
}
