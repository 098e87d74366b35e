package ui

import tea "charm.land/bubbletea/v2"

// question is a yes/no the console asks before doing something that cannot
// be taken back by a second key: cancel sends, drop a send, create a second
// customer, send an edited record as new. Any key but y answers no.
type question struct {
	text string
	yes  func() tea.Cmd
}

func (m *Model) ask(text string, yes func() tea.Cmd) {
	m.question = &question{text: text, yes: yes}
	m.status.set(paneAny, noticeAsk, text+"  "+m.c.tr(msgYesNo))
}

// answer takes the key pressed while a question is open.
func (m *Model) answer(msg tea.KeyPressMsg) tea.Cmd {
	q := m.question
	m.question = nil
	m.status.clear(paneAny)
	if msg.Text == "y" || msg.Text == "Y" {
		return q.yes()
	}
	m.status.set(m.focus, noticeInfo, m.c.tr(msgNotDone))
	return nil
}
