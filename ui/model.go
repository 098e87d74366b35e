package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

type pane int

const (
	paneForm pane = iota
	paneHistory
	paneDetail
)

// Model is the console's root: it owns the shared context, routes messages
// to the focused component and lays the panes out.
type Model struct {
	c    *common
	send sender
	hist historyStore
	ctx  context.Context
	stop context.CancelFunc

	form    *form
	history *history
	detail  *detail
	help    help.Model
	spin    spinner.Model

	focus         pane
	width, height int
	formW         int
	bodyTop       int

	subs      []*submitting
	nextToken int
	spinning  bool

	sandbox     string
	central     func() string // the central store's status, when configured
	elsewhere   func(ctx context.Context, member string) ([]Elsewhere, error)
	centralText string
	notice      string
	noticeErr   bool
	showHelp    bool
	confirmQuit bool
	stats       store.QueueStats
	draftSaved  int // form version last written as a draft
	quitting    bool
	events      <-chan tea.Msg
	stateFile   string
	state       *stateWriter

	lines       map[string]string // see memo
	confirmEdit bool              // e was pressed once over a form with unsent text

	bound     *binding           // the submission the form was sent as; nil: a new member
	skipped   []dispatch.Skipped // what the last submit did not send, and why
	guard     guardState         // what the history knows of the member typed
	question  *question          // a yes/no waiting for its answer
	resending map[resendKey]bool // resends a person started, until answered

	curl       *curlView          // copy as curl, open over the entry
	searchStop context.CancelFunc // cancels the search in flight when a newer one starts
	exporting  bool
	exportDir  string // where x writes: the data directory

	// timers off stops the spinner and the draft timer: tests drive time
	// themselves and golden screens must not depend on how fast a machine is.
	timers bool
}

func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.refreshQueued(), m.lookupNow(), centralStatus(m.central, 0)}
	if m.events != nil {
		cmds = append(cmds, waitEvent(m.events))
	}
	return tea.Batch(append(cmds, m.morePages())...)
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

func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return m, nil
	case tea.KeyPressMsg:
		return m, m.key(msg)
	case tea.PasteMsg:
		switch {
		case m.showHelp || m.confirmQuit:
		case m.focus == paneForm:
			return m, m.formUpdate(msg)
		case m.searching():
			// A pasted line break would end nothing: the line is one query.
			msg.Content = strings.Join(strings.Fields(msg.Content), " ")
			return m, m.searchEdit(msg)
		}
		return m, nil
	case tea.MouseClickMsg:
		choice := m.form.reqKey
		cmd := m.click(msg)
		if m.form.reqKey != choice {
			cmd = tea.Batch(cmd, m.saveStateCmd())
		}
		return m, cmd
	case tea.MouseWheelMsg:
		m.wheel(msg)
		return m, nil
	case centralMsg:
		m.centralText = string(msg)
		return m, centralStatus(m.central, centralEvery)
	case spinner.TickMsg:
		if !m.animating() {
			m.spinning = false
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		m.history.frame = m.spin.View()
		return m, cmd
	case enrolledMsg:
		return m, m.enrolled(msg)
	case sentMsg:
		return m, m.sent(msg)
	case droppedMsg:
		if msg.err != nil {
			m.setNotice(fmt.Sprintf(m.c.tr(msgStoreError), msg.err), true)
			return m, nil
		}
		m.setNotice(fmt.Sprintf(m.c.tr(msgDropped), m.c.platformTitle(msg.platform)), false)
		return m, m.afterChange(msg.subID)
	case rowMsg:
		if msg.err == nil {
			m.history.replace(rowFromSubmission(msg.sub))
		}
		return m, nil
	case pageMsg:
		return m, m.page(msg)
	case searchTickMsg:
		if msg.seq != m.history.search.seq {
			return m, nil // typing went on: a later tick will run
		}
		return m, m.runSearch(0)
	case searchMsg:
		return m, m.searched(msg)
	case countMsg:
		return m, m.counted(msg)
	case exportedMsg:
		m.exported(msg)
		return m, nil
	case detailMsg:
		if m.detail != nil && m.detail.data.id == msg.id {
			if msg.err != nil {
				m.setNotice(fmt.Sprintf(m.c.tr(msgStoreError), msg.err), true)
			} else {
				m.detail.setData(msg.data)
			}
		}
		return m, nil
	case statsMsg:
		if msg.err == nil {
			m.stats = msg.stats
		}
		return m, nil
	case guardTickMsg:
		return m, m.guardTick(msg)
	case guardMsg:
		m.guarded(msg)
		return m, nil
	case elsewhereMsg:
		m.elsewhereAnswered(msg)
		return m, nil
	case draftTickMsg:
		return m, m.saveDraft(msg.version)
	case draftSavedMsg:
		if msg.err != nil {
			m.setNotice(fmt.Sprintf(m.c.tr(msgStoreError), msg.err), true)
		} else {
			m.draftSaved = max(m.draftSaved, msg.version)
		}
		return m, nil
	case eventMsg:
		return m, tea.Batch(m.retried(msg.msg), waitEvent(m.events))
	}
	return m, nil
}

func (m *Model) resize(w, h int) {
	m.width, m.height = w, h
	m.help.SetWidth(w)
	m.bodyTop = 1
	bodyH := max(1, h-m.bodyTop-2)
	switch {
	case w >= 64:
		m.formW = max(40, min(w-30, w*11/20))
		m.form.setSize(m.formW, bodyH)
		m.history.setSize(w-m.formW, bodyH)
	default:
		// Too narrow for two panes: the focused one takes the width.
		m.formW = w
		m.form.setSize(w, bodyH)
		m.history.setSize(w, bodyH)
	}
	if m.detail != nil {
		m.detail.setSize(w, bodyH)
	}
	if m.curl != nil {
		m.curl.setSize(w, bodyH)
	}
}

func (m *Model) twoPanes() bool { return m.width >= 64 }

// key routes a key press: global keys first, then the focused component.
func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	g := m.c.keys.global
	if m.confirmQuit {
		switch strings.ToLower(msg.Text) {
		case "y":
			return m.quitNow()
		default:
			if key.Matches(msg, g.Quit) {
				return m.quitNow()
			}
			m.confirmQuit = false
			m.notice = ""
		}
		return nil
	}
	if m.showHelp {
		m.showHelp = false
		return nil
	}
	if m.question != nil {
		return m.answer(msg)
	}
	switch {
	case key.Matches(msg, g.Quit):
		return m.quit()
	case key.Matches(msg, g.Help), key.Matches(msg, g.HelpAlt) && !m.typing():
		m.showHelp = true
		return nil
	case key.Matches(msg, g.Submit):
		if m.focus == paneDetail {
			return nil
		}
		m.stopSearchEditing()
		return m.submit()
	case key.Matches(msg, g.Cancel):
		return m.askCancel()
	case key.Matches(msg, g.Panes):
		m.detail, m.curl = nil, nil
		m.stopSearchEditing()
		if m.focus == paneForm {
			m.focus = paneHistory
		} else {
			m.focus = paneForm
		}
		return nil
	}
	switch m.focus {
	case paneDetail:
		dk := m.c.keys.detail
		if m.curl != nil {
			if m.curl.update(msg) {
				m.curl = nil
			}
			return nil
		}
		switch {
		case key.Matches(msg, dk.Curl):
			return m.copyCurl()
		case key.Matches(msg, dk.Resend):
			return m.resendOrDrop(true)
		case key.Matches(msg, dk.Drop):
			return m.resendOrDrop(false)
		case key.Matches(msg, dk.Edit):
			return m.editEntry()
		}
		m.confirmEdit = false
		if m.detail.update(msg) {
			m.detail = nil
			m.focus = paneHistory
		}
		return nil
	case paneHistory:
		if m.searching() {
			return m.searchKey(msg)
		}
		hk := m.c.keys.history
		switch {
		case key.Matches(msg, hk.Search):
			return m.openSearch()
		case key.Matches(msg, hk.Export):
			return m.export()
		case key.Matches(msg, hk.Inbox):
			return m.openInbox()
		case key.Matches(msg, hk.ClearSearch) && m.history.search.visible():
			return m.clearSearch()
		}
		open, back := m.history.update(msg)
		if back {
			m.focus = paneForm
			return nil
		}
		if open {
			return m.openDetail()
		}
		return m.morePages()
	}
	switch {
	case key.Matches(msg, g.Again):
		return m.askDuplicate()
	case key.Matches(msg, m.c.keys.form.Clear):
		cmd := m.formUpdate(msg)
		m.clearForm()
		return tea.Batch(cmd, m.saveDraftNow())
	}
	return m.formUpdate(msg)
}

// typing reports whether a key would go into a text field.
func (m *Model) typing() bool {
	return (m.focus == paneForm && m.form.fields[m.form.focus].editable()) || m.searching()
}

func (m *Model) formUpdate(msg tea.Msg) tea.Cmd {
	before, choice := m.form.version, m.form.reqKey
	cmd, _ := m.form.update(msg)
	if m.form.reqKey != choice {
		cmd = tea.Batch(cmd, m.saveStateCmd())
	}
	if m.form.version != before {
		if !m.noticeErr || m.form.problems() == 0 {
			m.notice, m.noticeErr = "", false
		}
		if m.hist != nil && m.timers {
			v := m.form.version
			cmd = tea.Batch(cmd, tea.Tick(draftDelay, func(time.Time) tea.Msg { return draftTickMsg{v} }))
		}
		cmd = tea.Batch(cmd, m.guardAfterEdit())
	}
	return cmd
}

// afterChange refreshes what shows a submission whose state changed.
func (m *Model) afterChange(id int64) tea.Cmd {
	if m.hist == nil {
		return nil
	}
	cmds := []tea.Cmd{m.refreshRow(id), m.refreshQueued()}
	if m.detail != nil && m.detail.data.id == id {
		cmds = append(cmds, loadDetail(m.hist, m.c, id))
	}
	return tea.Batch(cmds...)
}

func (m *Model) refreshRow(id int64) tea.Cmd {
	hs := m.hist
	return func() tea.Msg {
		msg := loadRow(hs, id)()
		if r, ok := msg.(rowMsg); ok && r.err != nil {
			return nil
		}
		return msg
	}
}

func (m *Model) refreshQueued() tea.Cmd {
	if m.send == nil {
		return nil
	}
	send := m.send
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		stats, err := send.Stats(ctx)
		return statsMsg{stats: stats, err: err}
	}
}

// retried handles progress of retries made by the dispatcher's loop.
func (m *Model) retried(msg tea.Msg) tea.Cmd {
	id, ok := msg.(retryEvent)
	if !ok || m.hist == nil {
		return nil
	}
	return m.afterChange(id.subID)
}

// retryEvent says a background retry of a submission made progress.
type retryEvent struct{ subID int64 }

func (m *Model) page(msg pageMsg) tea.Cmd {
	if msg.seq != m.history.search.shownSeq {
		return nil // a page of rows a search has replaced since
	}
	if msg.err != nil {
		m.history.loading = false
		m.setNotice(fmt.Sprintf(m.c.tr(msgStoreError), msg.err), true)
		return nil
	}
	rows := make([]*histRow, len(msg.subs))
	for i, s := range msg.subs {
		rows[i] = rowFromSubmission(s)
	}
	m.history.appendPage(msg.offset, rows, msg.total)
	return m.morePages()
}

func (m *Model) morePages() tea.Cmd {
	if m.hist == nil || !m.history.needMore() {
		return nil
	}
	h := m.history
	h.loading = true
	return loadPage(m.hist, h.search.shown, h.search.shownSeq, len(h.rows))
}

func (m *Model) openDetail() tea.Cmd {
	r := m.history.selected()
	if r == nil || m.hist == nil {
		return nil
	}
	m.stopSearchEditing()
	m.detail = newDetail(m.c, r.id)
	m.detail.setSize(m.width, max(1, m.height-m.bodyTop-2))
	m.focus = paneDetail
	return loadDetail(m.hist, m.c, r.id)
}

// quit keeps a half-typed form as a draft when there is a store to keep it
// in, and asks first when it cannot, or when sends are still in flight.
func (m *Model) quit() tea.Cmd {
	inFlight := m.inFlight()
	switch {
	case inFlight > 0:
		m.confirmQuit = true
		m.setNotice(fmt.Sprintf(m.c.tr(msgQuitInFlight), inFlight), true)
		return nil
	case !m.form.empty() && m.hist == nil:
		m.confirmQuit = true
		m.setNotice(m.c.tr(msgQuitAsk), true)
		return nil
	}
	return m.quitNow()
}

func (m *Model) quitNow() tea.Cmd {
	m.quitting = true
	for _, s := range m.subs {
		s.cancel()
	}
	if m.hist != nil {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		if err := m.writeDraft(ctx); err != nil {
			m.setNotice(fmt.Sprintf(m.c.tr(msgStoreError), err), true)
		}
	}
	m.saveState()
	m.stop()
	return tea.Quit
}

// setNotice shows s on the status line. Notices quote errors, file names
// and customers' names, so they pass the terminal sanitiser.
func (m *Model) setNotice(s string, isErr bool) { m.notice, m.noticeErr = termsafe.Line(s), isErr }

func (m *Model) animating() bool {
	if len(m.subs) > 0 {
		return true
	}
	for _, r := range m.history.visibleRows() {
		if r.inFlight() {
			return true
		}
	}
	return false
}

func (m *Model) startSpinner() tea.Cmd {
	if m.spinning || !m.timers {
		return nil
	}
	m.spinning = true
	return m.spin.Tick
}

// click focuses what is under the pointer.
func (m *Model) click(msg tea.MouseClickMsg) tea.Cmd {
	if msg.Button != tea.MouseLeft || m.showHelp || m.confirmQuit {
		return nil
	}
	y := msg.Y - m.bodyTop
	if y < 0 || y >= m.height-m.bodyTop-2 {
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
		m.stopSearchEditing()
		m.focus = paneForm
		m.form.click(msg.X, y)
		return nil
	}
	m.focus = paneHistory
	if m.history.click(y) {
		return m.openDetail()
	}
	return m.morePages()
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
		m.detail.update(msg)
	case msg.X < m.formW && (m.twoPanes() || m.focus == paneForm):
		m.form.wheel(delta)
	default:
		m.history.wheel(delta)
	}
}
