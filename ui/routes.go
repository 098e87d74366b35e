package ui

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

// fromStore routes the answers of commands: sends, the history's reads,
// the duplicate guard, drafts.
func (m *Model) fromStore(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case enrolledMsg, sentMsg, droppedMsg:
		return m.fromSends(msg)
	case rowMsg:
		m.deliveredLater(msg.sub)
		return m.history.Update(msg)
	case pageMsg, searchTickMsg, searchMsg, countMsg, exportedMsg, newestMsg:
		return m.history.Update(msg)
	case firstPageMsg:
		return m.firstPageRead(msg)
	case detailMsg:
		m.detailLoaded(msg)
	case statsMsg:
		if msg.err == nil {
			m.header.stats = msg.stats
		}
	case guardTickMsg:
		return m.guardTick(msg)
	case guardMsg:
		m.guarded(msg)
	case elsewhereMsg:
		m.elsewhereAnswered(msg)
	case centralMsg:
		m.header.central = termsafe.Line(string(msg)) // it may quote a server's error
		return tea.Batch(centralStatus(m.central, centralEvery), m.history.chainTick())
	case draftTickMsg, draftSavedMsg:
		return m.draftMsg(msg)
	case pollTickMsg:
		return m.checkLive()
	case pollMsg:
		return m.polled(msg)
	}
	return nil
}

// fromSends routes the answers of sends.
func (m *Model) fromSends(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case enrolledMsg:
		return m.enrolled(msg)
	case sentMsg:
		return m.sent(msg)
	case droppedMsg:
		if msg.err != nil {
			m.status.set(paneDetail, noticeError, fmt.Sprintf(m.c.tr(msgStoreError), msg.err))
			return nil
		}
		m.status.set(paneDetail, noticeInfo, fmt.Sprintf(m.c.tr(msgDropped), m.c.platformTitle(msg.platform)))
		return m.afterChange(msg.subID)
	}
	return nil
}

func (m *Model) detailLoaded(msg detailMsg) {
	switch {
	case m.detail == nil || m.detail.entryKey() != msg.key:
	case msg.err != nil:
		m.status.set(paneDetail, noticeError, fmt.Sprintf(m.c.tr(msgStoreError), msg.err))
	default:
		m.detail.Update(msg)
	}
}

// tick animates the marks of sends in flight while there are any.
func (m *Model) tick(msg spinner.TickMsg) tea.Cmd {
	if !m.animating() {
		m.spinning = false
		return nil
	}
	var cmd tea.Cmd
	m.spin, cmd = m.spin.Update(msg)
	m.history.frame = m.spin.View()
	m.status.frame = m.spin.View()
	return cmd
}

func (m *Model) animating() bool {
	if m.subs.len() > 0 {
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

// inFlight counts this console's sends not answered yet.
func (m *Model) inFlight() int { return m.subs.inFlight() }

// afterChange refreshes what shows a submission whose state changed.
func (m *Model) afterChange(id int64) tea.Cmd {
	if m.hist == nil {
		return nil
	}
	cmds := []tea.Cmd{loadRowQuiet(m.hist, id), m.refreshQueued()}
	if m.detail != nil && m.detail.entryKey() == m.history.ownKey(id) {
		cmds = append(cmds, m.detailCmd(m.detail.entryKey()))
	}
	return tea.Batch(cmds...)
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
	cmds := []tea.Cmd{m.afterChange(id.subID)}
	if m.guardConcerns(id.subID) {
		// The queue created the member somewhere: ctrl+s will not send there.
		cmds = append(cmds, m.lookupHere())
	}
	return tea.Batch(cmds...)
}

// retryEvent says a background retry of a submission made progress.
type retryEvent struct{ subID int64 }
