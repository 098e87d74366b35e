package ui

import tea "charm.land/bubbletea/v2"

// click focuses what is under the pointer.
func (m *Model) click(msg tea.MouseClickMsg) tea.Cmd {
	if msg.Button != tea.MouseLeft || m.showHelp || m.confirmQuit {
		return nil
	}
	y := msg.Y - m.bodyTop
	if y < 0 || y >= m.bodyH() {
		return nil
	}
	if m.focus == paneDetail && m.detail != nil {
		m.detail.click(msg.X, y)
		return nil
	}
	inForm := msg.X < m.formW
	if !m.twoPanes() {
		inForm = m.focus == paneForm
	}
	if inForm {
		m.setFocus(paneForm)
		choice := m.form.reqKey
		before := m.form.version
		m.form.click(msg.X, y)
		var cmd tea.Cmd
		if m.form.reqKey != choice {
			cmd = m.saveStateCmd()
		}
		if m.form.version != before {
			cmd = tea.Batch(cmd, m.draftAfterEdit(), m.guardAfterEdit())
		}
		return cmd
	}
	m.setFocus(paneHistory)
	if m.history.click(y) {
		return m.openDetail(m.history.selectedKey())
	}
	return m.history.morePages()
}

func (m *Model) wheel(msg tea.MouseWheelMsg) {
	delta := 0
	switch msg.Button {
	case tea.MouseWheelUp:
		delta = -3
	case tea.MouseWheelDown:
		delta = 3
	default:
		return
	}
	switch {
	case m.focus == paneDetail && m.detail != nil:
		m.detail.Update(msg)
	case msg.X < m.formW && (m.twoPanes() || m.focus == paneForm):
		m.form.wheel(delta)
	default:
		m.history.wheel(delta)
	}
}
