package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// View lays out: the header (with the sandbox banner), the body (form and
// history side by side, or the opened entry, or the help screen), the
// status line and the help bar.
func (m *Model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "custdesk"
	if m.width <= 0 || m.height <= 0 || m.quitting {
		return v
	}
	defer m.first.viewed()
	lines := make([]string, 0, m.height)
	lines = append(lines, m.header.line(m.width))
	lines, cursor := m.body(lines)
	if m.focus == paneDetail && m.detail != nil && m.detail.curlOpen() {
		// The terminal's own selection works without the mouse reported.
		v.MouseMode = tea.MouseModeNone
	}
	lines = append(lines, m.status.line(m.focus), m.helpBar.line(m.focusedKeys(), m.width))
	v.SetContent(strings.Join(lines[:min(len(lines), m.height)], "\n"))
	v.Cursor = cursor
	return v
}

// body appends the panes' lines and says where the real cursor goes.
func (m *Model) body(lines []string) ([]string, *tea.Cursor) {
	switch {
	case m.showHelp:
		return append(lines, m.fullHelp(m.bodyH())...), nil
	case m.focus == paneDetail && m.detail != nil:
		return append(lines, m.detail.View()...), nil
	case m.twoPanes():
		formLines := m.form.View()
		histLines := m.history.View()
		for i := range formLines {
			lines = append(lines, formLines[i]+histLines[i])
		}
		return lines, m.cursor(m.formW)
	case m.focus == paneForm:
		return append(lines, m.form.View()...), m.cursor(0)
	}
	return append(lines, m.history.View()...), m.cursor(0)
}

// cursor is the real cursor in the focused text field, or in the search
// line (whose pane starts at column histX).
func (m *Model) cursor(histX int) *tea.Cursor {
	if m.history.searching() {
		return m.cursorAt(histX+m.history.searchX, m.bodyTop+1)
	}
	if m.focus != paneForm {
		return nil
	}
	if x, y, ok := m.form.Cursor(); ok {
		return m.cursorAt(x, y+m.bodyTop)
	}
	return nil
}

func (m *Model) cursorAt(x, y int) *tea.Cursor {
	c := tea.NewCursor(x, y)
	c.Shape = tea.CursorBar
	c.Blink = true
	c.Color = m.c.st.cursorColor()
	return c
}

func (m *Model) bodyH() int { return max(1, m.height-m.bodyTop-2) }

func (m *Model) twoPanes() bool { return m.width >= 64 }

func (m *Model) resize(w, h int) {
	m.width, m.height = w, h
	m.bodyTop = 1
	bodyH := m.bodyH()
	m.formW = w
	if m.twoPanes() {
		m.formW = max(40, min(w-30, w*11/20))
	}
	m.form.SetSize(m.formW, bodyH)
	if m.twoPanes() {
		m.history.SetSize(w-m.formW, bodyH)
	} else {
		// Too narrow for two panes: the focused one takes the width.
		m.history.SetSize(w, bodyH)
	}
	m.history.screenW = w
	m.status.SetSize(w, 1)
	if m.detail != nil {
		m.detail.SetSize(w, bodyH)
	}
}
