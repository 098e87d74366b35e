package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// What the history is used for besides reading it: search, export, and
// copying an exchange's request as curl.

// searching: the search line has the keyboard.
func (m *Model) searching() bool {
	return m.focus == paneHistory && m.history.search.editing
}

func (m *Model) openSearch() tea.Cmd {
	s := &m.history.search
	s.editing = true
	s.input.CursorEnd()
	m.history.clamp()
	return s.input.Focus()
}

// stopSearchEditing gives the keyboard back to the rows; the search stays.
func (m *Model) stopSearchEditing() {
	s := &m.history.search
	if s.editing {
		s.editing = false
		s.input.Blur()
	}
}

// searchKey handles a key while the search line is typed in: enter keeps
// the search, esc clears it, the arrows move through the results, anything
// else edits the line.
func (m *Model) searchKey(msg tea.KeyPressMsg) tea.Cmd {
	sk := m.c.keys.search
	h := m.history
	switch {
	case key.Matches(msg, sk.Clear):
		return m.clearSearch()
	case key.Matches(msg, sk.Done):
		m.stopSearchEditing()
		if h.search.pending {
			// Do not wait for the pause: the person said done.
			return m.runSearch(0)
		}
		return nil
	case key.Matches(msg, sk.Select):
		h.sel--
	case key.Matches(msg, sk.Down):
		h.sel++
	case key.Matches(msg, sk.Page):
		h.sel -= h.listH()
	case key.Matches(msg, sk.PageDn):
		h.sel += h.listH()
	default:
		return m.searchEdit(msg)
	}
	h.clamp()
	return m.morePages()
}

// searchEdit passes a key or a paste to the line; a change asks for a search
// once typing pauses.
func (m *Model) searchEdit(msg tea.Msg) tea.Cmd {
	s := &m.history.search
	before := s.input.Value()
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	if s.input.Value() == before {
		return cmd
	}
	s.seq++
	s.pending = true
	seq := s.seq
	return tea.Batch(cmd, tea.Tick(searchDelay, func(time.Time) tea.Msg { return searchTickMsg{seq} }))
}

// runSearch asks the store for the line's rows now, as the next search
// number: whatever was asked before is stale from here on. keepID keeps that
// row selected if it is among the results. A line that does not parse runs
// nothing: its problem shows instead, and the rows stay.
func (m *Model) runSearch(keepID int64) tea.Cmd {
	s := &m.history.search
	s.seq++
	s.pending = false
	q, problem := parseSearch(s.input.Value(), platInfos(m.c), m.c.now())
	s.problem = problem
	if problem != nil || m.hist == nil {
		return nil
	}
	if m.searchStop != nil {
		m.searchStop()
	}
	ctx, stop := context.WithCancel(m.ctx)
	m.searchStop = stop
	return searchCmd(ctx, m.hist, s.seq, q, keepID)
}

// refreshSearch runs the search again (a new submission may match it),
// keeping the selected row.
func (m *Model) refreshSearch() tea.Cmd {
	var keep int64
	if r := m.history.selected(); r != nil {
		keep = r.id
	}
	return m.runSearch(keep)
}

// clearSearch empties the line and shows the whole history again, keeping
// the selected row if it is on the first page.
func (m *Model) clearSearch() tea.Cmd {
	s := &m.history.search
	m.stopSearchEditing()
	s.input.Reset()
	s.left, s.problem, s.pending = 0, nil, false
	if !filtered(s.shown) {
		// The rows are the whole history already. A search typed but not
		// shown yet is forgotten: its tick and results are stale now.
		s.seq++
		m.history.clamp()
		return nil
	}
	var keep int64
	if r := m.history.selected(); r != nil {
		keep = r.id
	}
	return m.runSearch(keep)
}

func (m *Model) searched(msg searchMsg) tea.Cmd {
	s := &m.history.search
	if msg.seq != s.seq {
		return nil // a newer search was asked for
	}
	if m.searchStop != nil {
		m.searchStop()
		m.searchStop = nil
	}
	if msg.err != nil {
		if !errors.Is(msg.err, context.Canceled) {
			m.setNotice(fmt.Sprintf(m.c.tr(msgStoreError), msg.err), true)
		}
		return nil
	}
	rows := make([]*histRow, len(msg.subs))
	for i, sub := range msg.subs {
		rows[i] = rowFromSubmission(sub)
	}
	m.history.setResults(msg.seq, msg.query, rows, msg.total, msg.keepID)
	if !msg.more {
		return m.morePages()
	}
	// A full page: count the matches, cancelled like the search itself
	// when a newer one starts.
	ctx, stop := context.WithCancel(m.ctx)
	m.searchStop = stop
	m.history.capped = true // at least a page, maybe more, until counted
	return tea.Batch(m.morePages(), countCmd(ctx, m.hist, msg.seq, msg.query))
}

// counted shows the count of the search on screen.
func (m *Model) counted(msg countMsg) tea.Cmd {
	if msg.seq != m.history.search.shownSeq || msg.err != nil {
		return nil // stale, or cancelled by a newer search; a failed count leaves "50+"
	}
	h := m.history
	h.total = max(msg.n, len(h.rows))
	h.capped = msg.capped
	return m.morePages()
}

// export writes the rows the pane shows (its search, every page) to JSONL and
// CSV files in the data directory.
func (m *Model) export() tea.Cmd {
	if m.hist == nil {
		return nil
	}
	if m.exporting {
		m.setNotice(m.c.tr(msgExporting), false)
		return nil
	}
	m.exporting = true
	m.setNotice(m.c.tr(msgExporting), false)
	stamp := m.c.now().Format("20060102-150405")
	return exportCmd(m.ctx, m.hist, m.history.search.shown, m.exportDir, stamp)
}

func (m *Model) exported(msg exportedMsg) {
	m.exporting = false
	if msg.err != nil {
		m.setNotice(fmt.Sprintf(m.c.tr(msgExportFailed), msg.err), true)
		return
	}
	// The file's name must show whole: shorten the directory from the left.
	tmpl := strings.Replace(m.c.tr(msgExported), "%d", strconv.Itoa(msg.n), 1)
	path := shortPath(msg.jsonl)
	room := m.width - 1 - ansi.StringWidth(strings.Replace(tmpl, "%s", "", 1))
	if ansi.StringWidth(path) > room {
		dir, name, sep := filepath.Dir(path), filepath.Base(path), string(filepath.Separator)
		keep := room - ansi.StringWidth(name) - 2 // for "…" and the separator
		path = "…" + sep + name
		if keep > 0 {
			path = "…" + ansi.TruncateLeft(dir, ansi.StringWidth(dir)-keep, "") + sep + name
		}
	}
	m.setNotice(strings.Replace(tmpl, "%s", path, 1), false)
}

// copyCurl puts the open exchange's request on the clipboard as a curl
// command (OSC 52) and shows it for copying by hand.
func (m *Model) copyCurl() tea.Cmd {
	v, ok := m.detail.current()
	if !ok {
		return nil
	}
	if !v.has || v.ex.Request.URL == "" {
		m.setNotice(fmt.Sprintf(m.c.tr(msgCurlNothing), v.title), true)
		return nil
	}
	cmd := buildCurl(v.ex.Request)
	cmd.window = m.c.traits(v.platform).ReplayWindow
	title := m.c.tr(msgCurlTitle) + " · " + v.title + " · #" + strconv.FormatInt(m.detail.data.id, 10)
	m.curl = newCurlView(m.c, title, cmd)
	m.curl.setSize(m.width, max(1, m.height-m.bodyTop-2))
	return tea.SetClipboard(cmd.text())
}
