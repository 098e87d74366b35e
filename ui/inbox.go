package ui

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/platforms"
)

// What a person does with an entry: resend or drop a send only they can
// settle (the attention inbox lists those), or load the entry back into the
// form to edit and send it again. The detail asks (resendMsg, dropMsg,
// editMsg); the root does it, because it spans the form and the sends.

// resendKey names one platform of one submission being resent.
type resendKey struct {
	id       int64
	platform string
}

// askDrop asks before dropping a send: nothing sends it again by itself
// afterwards (r still can).
func (m *Model) askDrop(id int64, platform string) tea.Cmd {
	if m.send == nil {
		return nil
	}
	send, ctx := m.send, m.ctx
	m.ask(fmt.Sprintf(m.c.tr(msgAskDrop), m.c.platformTitle(platform), id), func() tea.Cmd {
		return func() tea.Msg {
			dctx, cancel := context.WithTimeout(ctx, storeTimeout)
			defer cancel()
			return droppedMsg{subID: id, platform: platform, err: send.Drop(dctx, id, platform)}
		}
	})
	return nil
}

// askResend resends at once, unless the send may create the member twice:
// then the person who read the detail's warning confirms first.
func (m *Model) askResend(msg resendMsg) tea.Cmd {
	if !msg.mayDuplicate {
		return m.resend(msg.id, msg.platform)
	}
	title := m.c.platformTitle(msg.platform)
	m.ask(fmt.Sprintf(m.c.tr(msgAskResendNoKey), title, msg.id), func() tea.Cmd {
		return m.resend(msg.id, msg.platform)
	})
	return nil
}

// resend sends one platform of a submission again, once at a time.
func (m *Model) resend(id int64, platform string) tea.Cmd {
	if m.send == nil {
		return nil
	}
	send, ctx := m.send, m.ctx
	title := m.c.platformTitle(platform)
	k := resendKey{id, platform}
	m.status.set(paneDetail, noticeInfo, fmt.Sprintf(m.c.tr(msgResending), title))
	if m.resending[k] {
		return nil
	}
	if m.resending == nil {
		m.resending = map[resendKey]bool{}
	}
	m.resending[k] = true
	m.history.setState(id, platform, stateInFlight)
	return tea.Batch(func() tea.Msg {
		return sentMsg{subID: id, platform: platform, ex: send.Resend(ctx, id, platform), resend: true}
	}, m.startSpinner())
}

// editEntry loads the entry's customer into the form, bound to its
// submission: the platforms already created there are unticked (and the
// guard marks them), so ctrl+s sends only what is still missing. Over a
// form with unsent text it asks for a second e first; that note is the
// entry's, since e types a letter on the form.
func (m *Model) editEntry(data detailData) tea.Cmd {
	if m.detail == nil || !m.detail.loaded {
		return nil
	}
	if m.unsent() && !m.confirmEdit {
		m.confirmEdit = true
		m.status.set(paneDetail, noticeError, m.c.tr(msgEditReplace))
		return nil
	}
	m.confirmEdit = false
	var names []string
	for _, v := range data.views {
		o := v.state
		if o == "" && v.has {
			o = exchangeState(v.ex)
		}
		if o != string(platforms.OK) && o != string(platforms.Partial) {
			names = append(names, v.platform)
		}
	}
	m.form.selectPlatforms(names)
	m.form.setCustomer(data.customer)
	m.form.submitted = false
	m.form.focusField(m.form.indexOf("name"))
	m.form.changed()
	m.bound = &binding{id: data.id, customer: data.customer}
	m.detail = nil
	m.status.clear(paneDetail)
	m.setFocus(paneForm)
	m.status.set(paneForm, noticeInfo, m.c.tr(msgEdited))
	return tea.Batch(m.guardAfterEdit(), m.saveDraftNow(), m.saveStateCmd())
}
