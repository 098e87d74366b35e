package ui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// quit keeps a half-typed form as a draft when there is a store to keep it
// in, and asks first when it cannot, or when sends are still in flight.
func (m *Model) quit() tea.Cmd {
	inFlight := m.inFlight()
	switch {
	case inFlight > 0:
		m.confirmQuit = true
		m.status.set(paneAny, noticeAsk, fmt.Sprintf(m.c.tr(msgQuitInFlight), inFlight))
		return nil
	case !m.form.empty() && m.hist == nil:
		m.confirmQuit = true
		m.status.set(paneAny, noticeAsk, m.c.tr(msgQuitAsk))
		return nil
	}
	return m.quitNow()
}

// answerQuit: y (or ctrl+c again) quits, anything else stays.
func (m *Model) answerQuit(msg tea.KeyPressMsg) tea.Cmd {
	if strings.ToLower(msg.Text) == "y" || key.Matches(msg, m.c.keys.global.Quit) {
		return m.quitNow()
	}
	m.confirmQuit = false
	m.status.clear(paneAny)
	return nil
}

func (m *Model) quitNow() tea.Cmd {
	m.quitting = true
	for _, s := range m.subs.list {
		s.cancel()
	}
	if m.hist != nil {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		if err := m.writeDraft(ctx); err != nil {
			m.status.set(paneForm, noticeError, fmt.Sprintf(m.c.tr(msgStoreError), err))
		}
	}
	m.saveState()
	m.stop()
	return tea.Quit
}
