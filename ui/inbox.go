package ui

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/platforms"
)

// What a person does with an entry: resend or drop a send only they can
// settle (the attention inbox lists those), or load the entry back into the
// form to edit and send it again.

// resendKey names one platform of one submission being resent.
type resendKey struct {
	id       int64
	platform string
}

// openInbox shows the attention inbox: the sends waiting for a person.
func (m *Model) openInbox() tea.Cmd {
	s := &m.history.search
	s.input.SetValue("outcome:attention")
	s.input.CursorEnd()
	m.stopSearchEditing()
	return m.runSearch(0)
}

// resendOrDrop acts on the entry's platform that waits for a person (or,
// for a resend, that a person dropped before). A drop is asked first.
func (m *Model) resendOrDrop(resend bool) tea.Cmd {
	v, ok := m.detail.current()
	if !ok || m.send == nil {
		return nil
	}
	id, platform, send, ctx := m.detail.data.id, v.platform, m.send, m.ctx
	title := m.c.platformTitle(platform)
	if !resend {
		if !v.awaits && v.state != stateQueued {
			return nil
		}
		m.ask(fmt.Sprintf(m.c.tr(msgAskDrop), title, id), func() tea.Cmd {
			return func() tea.Msg {
				dctx, cancel := context.WithTimeout(ctx, storeTimeout)
				defer cancel()
				return droppedMsg{subID: id, platform: platform, err: send.Drop(dctx, id, platform)}
			}
		})
		return nil
	}
	if !v.awaits && v.state != stateDropped {
		return nil
	}
	k := resendKey{id, platform}
	if m.resending[k] {
		m.setNotice(fmt.Sprintf(m.c.tr(msgResending), title), false)
		return nil
	}
	if m.resending == nil {
		m.resending = map[resendKey]bool{}
	}
	m.resending[k] = true
	m.history.setState(id, platform, stateInFlight)
	m.setNotice(fmt.Sprintf(m.c.tr(msgResending), title), false)
	return tea.Batch(func() tea.Msg {
		return sentMsg{subID: id, platform: platform, ex: send.Resend(ctx, id, platform), resend: true}
	}, m.startSpinner())
}

// editEntry loads the entry's customer into the form, bound to its
// submission: the platforms already created there are unticked (and the
// guard marks them), so ctrl+s sends only what is still missing. Over a
// form with unsent text it asks for a second e first.
func (m *Model) editEntry() tea.Cmd {
	if m.detail == nil || !m.detail.loaded {
		return nil
	}
	if m.unsent() && !m.confirmEdit {
		m.confirmEdit = true
		m.setNotice(m.c.tr(msgEditReplace), true)
		return nil
	}
	m.confirmEdit = false
	var names []string
	for _, v := range m.detail.data.views {
		o := v.state
		if o == "" && v.has {
			o = exchangeState(v.ex)
		}
		if o != string(platforms.OK) && o != string(platforms.Partial) {
			names = append(names, v.platform)
		}
	}
	m.form.selectPlatforms(names)
	m.form.setCustomer(m.detail.data.customer)
	m.form.submitted = false
	m.form.focusField(m.form.indexOf("name"))
	m.form.changed()
	m.bound = &binding{id: m.detail.data.id, customer: m.detail.data.customer}
	m.detail = nil
	m.focus = paneForm
	m.setNotice(m.c.tr(msgEdited), false)
	return tea.Batch(m.guardAfterEdit(), m.saveDraftNow(), m.saveStateCmd())
}
