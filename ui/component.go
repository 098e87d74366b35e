package ui

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
)

// component is what every pane of the console is: the form, the history
// list with its search line, the entry's detail (and the curl view over
// it), the help screen, the status bar and the help bar. It takes its size
// and its messages, renders exactly its lines, and names its keys for the
// help bar (help.KeyMap), from the same bindings its Update matches, so the
// help cannot disagree with the keys. A component reports to the root with
// messages (openEntryMsg, closeMsg, resendMsg...), never through state the
// root reads back; the root routes messages and lays the panes out.
type component interface {
	SetSize(w, h int)
	Update(msg tea.Msg) tea.Cmd
	View() []string
	help.KeyMap
}

// Messages children send up to the root.
type (
	// openEntryMsg: the history asks for a submission's detail.
	openEntryMsg struct{ key rowKey }
	// backMsg: the history gives the keyboard back to the form.
	backMsg struct{}
	// closeMsg: the detail is closed.
	closeMsg struct{}
	// resendMsg, dropMsg: a person settles a send that waits for them.
	resendMsg struct {
		id       int64
		platform string
		// mayDuplicate: the platform has no idempotency key and its last
		// attempt went out without a verdict, so a resend is asked first.
		mayDuplicate bool
	}
	dropMsg struct {
		id       int64
		platform string
	}
	// editMsg: load the entry back into the form, bound to it.
	editMsg struct{ data detailData }
	// noticeMsg: a status message for the pane where it arose.
	noticeMsg struct {
		pane pane
		kind noticeKind
		text string
	}
)

// report sends msg up to the root. The root takes it as soon as the
// child's Update returns, before the next frame, so a key's effect (esc
// closes the entry) is never a frame late.
func (c *common) report(msg tea.Msg) tea.Cmd {
	c.outbox = append(c.outbox, msg)
	return nil
}

// note reports a notice for pane p.
func (c *common) note(p pane, kind noticeKind, text string) tea.Cmd {
	return c.report(noticeMsg{pane: p, kind: kind, text: text})
}

// Every pane is a component.
var (
	_ component = (*form)(nil)
	_ component = (*history)(nil)
	_ component = (*detail)(nil)
	_ component = (*curlView)(nil)
	_ component = (*statusBar)(nil)
	_ component = (*helpBar)(nil)
)
