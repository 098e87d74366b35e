package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/platforms"
)

// ctrl+x empties the form for the next customer; a stray ctrl+x must not
// lose a customer half typed, so ctrl+z brings it back (its binding and
// focus too) until the form is edited again.
type undoState struct {
	customer platforms.Customer
	bound    *binding
	focus    int
}

func (m *Model) clearWithUndo() tea.Cmd {
	if m.form.empty() {
		return nil
	}
	c, _ := m.form.customer()
	u := &undoState{customer: c, bound: m.bound, focus: m.form.focus}
	m.clearForm()
	m.undo = u
	m.status.set(paneForm, noticeInfo, m.c.tr(msgCleared))
	return tea.Batch(m.saveDraftNow(), m.guardAfterEdit())
}

func (m *Model) undoClear() tea.Cmd {
	u := m.undo
	if u == nil {
		return nil
	}
	m.undo = nil
	m.form.setCustomer(u.customer)
	m.form.focusField(u.focus)
	m.form.ensureVisible()
	m.bound = u.bound
	m.status.set(paneForm, noticeInfo, m.c.tr(msgUndone))
	return tea.Batch(m.saveDraftNow(), m.guardAfterEdit())
}
