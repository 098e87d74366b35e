package ui

import (
	"context"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/internal/dispatch"
)

type pane int

const (
	paneForm pane = iota
	paneHistory
	paneDetail
)

// Model is the console's root: it owns the shared context, routes messages
// to the components and lays the panes out. The panes are components
// (component.go); what the root itself keeps is what spans them: the
// member being enrolled (enrol.go), the draft (draft.go), the questions it
// asks (ask.go, quit.go) and the live history (live.go).
type Model struct {
	c    *common
	send sender
	hist historyStore
	ctx  context.Context
	stop context.CancelFunc

	form    *form
	history *history
	detail  *detail // nil unless an entry is open
	status  *statusBar
	helpBar *helpBar
	header  *header
	spin    spinner.Model

	focus         pane
	width, height int
	formW         int
	bodyTop       int
	showHelp      bool

	subs     *submits
	spinning bool

	quitting    bool
	confirmQuit bool
	events      <-chan tea.Msg
	console     *consoleFile
	drafts      drafts
	live        liveState

	confirmEdit bool               // e was pressed once over a form with unsent text
	bound       *binding           // the submission the form was sent as; nil: a new member
	skipped     []dispatch.Skipped // what the last submit did not send, and why
	guard       guardState         // what the history knows of the member typed
	question    *question          // a yes/no waiting for its answer
	resending   map[resendKey]bool // resends a person started, until answered
	undo        *undoState         // what ctrl+z brings back after ctrl+x

	// timers off stops the spinner, the draft timer, expiring notices and
	// the live history's polling: tests drive time themselves and golden
	// screens must not depend on how fast a machine is.
	timers bool

	first     *firstFrame   // nil but on a terminal (run): what waits for the first frame
	central   func() string // the central store's status, when configured
	chain     ChainHistory  // the chain's history (--central); nil: this terminal's only
	elsewhere func(ctx context.Context, member string) ([]Elsewhere, error)
}

func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.first.pageCmd(), m.history.chainFirst(), m.first.after(m.ctx, m.refreshQueued(), m.lookupNow(),
		m.history.countFirstPage(), m.history.restOfFirstPage(), m.history.morePages(), m.pollCmd(), centralStatus(m.central, 0))}
	if m.events != nil {
		cmds = append(cmds, waitEvent(m.events))
	}
	return tea.Batch(cmds...)
}

func waitEvent(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return eventMsg{msg}
	}
}

// eventMsg wraps a background message (a retry's progress) and re-arms the
// listener.
type eventMsg struct{ msg tea.Msg }

// Update routes msg, then what the children reported while handling it.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := m.update(msg)
	for len(m.c.outbox) > 0 {
		up := m.c.outbox[0]
		m.c.outbox = m.c.outbox[1:]
		_, more := m.update(up)
		cmd = tea.Batch(cmd, more)
	}
	return m, cmd
}

func (m *Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return m, nil
	case tea.KeyPressMsg:
		return m, m.key(msg)
	case tea.PasteMsg:
		return m, m.paste(msg)
	case tea.MouseClickMsg:
		return m, m.click(msg)
	case tea.MouseWheelMsg:
		m.wheel(msg)
		return m, nil
	case spinner.TickMsg:
		return m, m.tick(msg)
	case eventMsg:
		return m, tea.Batch(m.retried(msg.msg), waitEvent(m.events))
	}
	if cmd, ok := m.fromChildren(msg); ok {
		return m, cmd
	}
	return m, m.fromStore(msg)
}

// fromChildren routes what a component reported upward.
func (m *Model) fromChildren(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case noticeMsg:
		m.status.set(msg.pane, msg.kind, msg.text)
	case openEntryMsg:
		return m.openDetail(msg.key), true
	case backMsg:
		m.setFocus(paneForm)
	case closeMsg:
		m.detail = nil
		m.status.clear(paneDetail)
		m.setFocus(paneHistory)
	case resendMsg:
		return m.askResend(msg), true
	case dropMsg:
		return m.askDrop(msg.id, msg.platform), true
	case editMsg:
		return m.editEntry(msg.data), true
	default:
		return nil, false
	}
	return nil, true
}

// key routes a key press: an open question or the help screen first, then
// the keys that work anywhere, then the focused component.
func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case m.confirmQuit:
		return m.answerQuit(msg)
	case m.showHelp:
		m.showHelp = false
		return nil
	case m.question != nil:
		return m.answer(msg)
	}
	if cmd, ok := m.globalKey(msg); ok {
		return cmd
	}
	switch m.focus {
	case paneDetail:
		m.confirmEdit = m.confirmEdit && key.Matches(msg, m.c.keys.detail.Edit)
		return m.detail.Update(msg)
	case paneHistory:
		return m.history.Update(msg)
	}
	return m.formKey(msg)
}

// globalKey handles the keys that work wherever the focus is.
func (m *Model) globalKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	g := m.c.keys.global
	switch {
	case key.Matches(msg, g.Quit):
		return m.quit(), true
	case key.Matches(msg, g.Help), key.Matches(msg, g.HelpAny) && !m.typing():
		m.showHelp = true
		return nil, true
	case key.Matches(msg, g.Submit) && m.focus != paneDetail:
		m.history.stopSearchEditing()
		return m.submit(), true
	case key.Matches(msg, g.Submit):
		return nil, true
	case key.Matches(msg, g.Cancel):
		return m.askCancel(), true
	case key.Matches(msg, g.Panes):
		m.detail = nil
		if m.focus == paneForm {
			m.setFocus(paneHistory)
		} else {
			m.setFocus(paneForm)
		}
		return nil, true
	}
	return nil, false
}

// formKey handles a key for the form: the root's part (ctrl+r, ctrl+x,
// ctrl+z spans the binding and the draft), then the form's.
func (m *Model) formKey(msg tea.KeyPressMsg) tea.Cmd {
	f := m.c.keys.form
	switch {
	case key.Matches(msg, m.c.keys.global.Again):
		return m.askDuplicate()
	case key.Matches(msg, f.Clear):
		return m.clearWithUndo()
	case key.Matches(msg, f.Undo):
		return m.undoClear()
	}
	return m.formUpdate(msg)
}

func (m *Model) paste(msg tea.PasteMsg) tea.Cmd {
	switch {
	case m.showHelp || m.confirmQuit:
		return nil
	case m.focus == paneForm:
		return m.formUpdate(msg)
	}
	return m.history.Update(msg)
}

// typing reports whether a key would go into a text field.
func (m *Model) typing() bool {
	return (m.focus == paneForm && m.form.focused().typing()) || m.history.searching()
}

// setFocus gives the keyboard to a pane.
func (m *Model) setFocus(p pane) {
	if p != paneHistory {
		m.history.stopSearchEditing()
	}
	m.focus = p
	m.history.focused = p == paneHistory
	m.form.active = p == paneForm
}

func (m *Model) formUpdate(msg tea.Msg) tea.Cmd {
	before, choice := m.form.version, m.form.reqKey
	cmd := m.form.Update(msg)
	if m.form.reqKey != choice {
		cmd = tea.Batch(cmd, m.saveStateCmd())
	}
	if m.form.version != before {
		m.undo = nil
		// An edit acts on the form's notice; "N problems to fix" stays
		// while there are any.
		if n := m.status.notices[paneForm]; n.kind != noticeFix || m.form.problems() == 0 {
			m.status.clear(paneForm)
		}
		cmd = tea.Batch(cmd, m.draftAfterEdit(), m.guardAfterEdit())
	}
	return cmd
}

func (m *Model) openDetail(k rowKey) tea.Cmd {
	load := m.detailCmd(k)
	if load == nil {
		return nil
	}
	m.detail = newDetail(m.c, k, m.history.foreign(k))
	m.detail.SetSize(m.width, m.bodyH())
	m.setFocus(paneDetail)
	return load
}
