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

	"github.com/custdesk/custdesk/internal/store"
)

// What the history pane does besides showing rows: the search line, its
// results and counts, further pages, and export. It asks the store itself
// (in commands, off the update loop) and tells the root only what the root
// acts on: open an entry, go back to the form, a notice.

func (h *history) openSearch() tea.Cmd {
	s := &h.search
	s.editing = true
	s.input.in.CursorEnd()
	h.clamp()
	return s.input.focus()
}

// stopSearchEditing gives the keyboard back to the rows; the search stays.
func (h *history) stopSearchEditing() {
	s := &h.search
	if s.editing {
		s.editing = false
		s.input.blur()
	}
}

// searchKey handles a key while the search line is typed in: enter keeps
// the search, esc clears it, the arrows move through the results, anything
// else edits the line.
func (h *history) searchKey(msg tea.KeyPressMsg) tea.Cmd {
	sk := h.c.keys.search
	switch {
	case key.Matches(msg, sk.Clear):
		return h.clearSearch()
	case key.Matches(msg, sk.Done):
		h.stopSearchEditing()
		if h.search.pending {
			// Do not wait for the pause: the person said done.
			return h.runSearch(rowKey{})
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
		return h.searchEdit(msg)
	}
	h.clamp()
	return h.morePages()
}

// searchEdit passes a key or a paste to the line; a change asks for a search
// once typing pauses.
func (h *history) searchEdit(msg tea.Msg) tea.Cmd {
	s := &h.search
	changed, _, cmd := s.input.update(msg)
	if !changed {
		return cmd
	}
	s.seq++
	s.pending = true
	seq := s.seq
	return tea.Batch(cmd, tea.Tick(searchDelay, func(time.Time) tea.Msg { return searchTickMsg{seq} }))
}

// runSearch asks the store for the line's rows now, as the next search
// number: whatever was asked before is stale from here on. keep keeps that
// row selected if it is among the results. A line that does not parse runs
// nothing: the status line says what is wrong, and the rows stay.
func (h *history) runSearch(keep rowKey) tea.Cmd {
	s := &h.search
	s.seq++
	s.pending = false
	q, problem := parseSearch(s.input.value(), platInfos(h.c), h.c.now())
	s.problem = problem
	src := h.source()
	if problem != nil || src == nil {
		return nil
	}
	if h.searchStop != nil {
		h.searchStop()
	}
	ctx, stop := context.WithCancel(h.ctx)
	h.searchStop = stop
	return searchCmd(ctx, src, s.seq, q, keep)
}

// refreshSearch runs the search again (a new submission may match it),
// keeping the selected row.
func (h *history) refreshSearch() tea.Cmd { return h.runSearch(h.selectedKey()) }

func (h *history) selectedKey() rowKey {
	if r := h.selected(); r != nil {
		return r.key()
	}
	return rowKey{}
}

// clearSearch empties the line and shows the whole history again, keeping
// the selected row if it is on the first page.
func (h *history) clearSearch() tea.Cmd {
	s := &h.search
	h.stopSearchEditing()
	s.input.setValue("")
	s.problem, s.pending = nil, false
	if !filtered(s.shown) {
		// The rows are the whole history already. A search typed but not
		// shown yet is forgotten: its tick and results are stale now.
		s.seq++
		h.clamp()
		return nil
	}
	return h.runSearch(h.selectedKey())
}

// openInbox shows the attention inbox: the sends waiting for a person.
func (h *history) openInbox() tea.Cmd {
	h.search.input.setValue("outcome:attention")
	h.stopSearchEditing()
	return h.runSearch(rowKey{})
}

func (h *history) searched(msg searchMsg) tea.Cmd {
	if msg.seq != h.search.seq {
		return nil // a newer search was asked for
	}
	if h.searchStop != nil {
		h.searchStop()
		h.searchStop = nil
	}
	if msg.err != nil {
		if h.onChain {
			return h.chainFailed(msg.err)
		}
		if errors.Is(msg.err, context.Canceled) {
			return nil
		}
		return h.c.note(paneHistory, noticeError, fmt.Sprintf(h.c.tr(msgStoreError), msg.err))
	}
	h.chainErr = nil
	h.setResults(msg.seq, msg.query, msg.rows, msg.total, msg.keep)
	if !msg.more {
		return h.morePages()
	}
	// A full page: count the matches, cancelled like the search itself
	// when a newer one starts.
	ctx, stop := context.WithCancel(h.ctx)
	h.searchStop = stop
	h.capped = true // at least a page, maybe more, until counted
	return tea.Batch(h.morePages(), countCmd(ctx, h.source(), msg.seq, msg.query))
}

func rowsOf(subs []store.Submission) []*histRow {
	rows := make([]*histRow, len(subs))
	for i, s := range subs {
		rows[i] = rowFromSubmission(s)
	}
	return rows
}

// counted shows the count of the search on screen.
func (h *history) counted(msg countMsg) tea.Cmd {
	if msg.seq != h.search.shownSeq || msg.err != nil {
		return nil // stale, or cancelled by a newer search; a failed count leaves "50+"
	}
	h.total = max(msg.n, len(h.rows))
	h.capped = msg.capped
	return h.morePages()
}

func (h *history) page(msg pageMsg) tea.Cmd {
	if msg.seq != h.search.shownSeq {
		return nil // a page of rows a search has replaced since
	}
	if msg.err != nil && h.onChain {
		return h.chainFailed(msg.err)
	}
	if msg.err != nil {
		h.loading = false
		return h.c.note(paneHistory, noticeError, fmt.Sprintf(h.c.tr(msgStoreError), msg.err))
	}
	h.appendPage(msg.offset, msg.rows, msg.total)
	return h.morePages()
}

// countFirstPage counts the history behind a full first page, which the
// first frame showed uncounted ("200+").
func (h *history) countFirstPage() tea.Cmd {
	src := h.source()
	if src == nil || !h.capped {
		return nil
	}
	return countCmd(h.ctx, src, h.search.shownSeq, h.search.shown)
}

func (h *history) morePages() tea.Cmd {
	src := h.source()
	if src == nil || !h.needMore() {
		return nil
	}
	h.loading = true
	return loadPage(src, h.search.shown, h.search.shownSeq, len(h.rows))
}

// export writes the rows the pane shows (its search, every page) to JSONL and
// CSV files in the data directory.
func (h *history) export() tea.Cmd {
	if h.hs == nil {
		return nil
	}
	if h.exporting {
		return nil // the title says so
	}
	h.exporting = true
	stamp := h.c.now().Format("20060102-150405")
	return exportCmd(h.ctx, h.hs, h.search.shown, h.exportDir, stamp)
}

func (h *history) exported(msg exportedMsg) tea.Cmd {
	h.exporting = false
	if msg.err != nil {
		return h.c.note(paneHistory, noticeError, fmt.Sprintf(h.c.tr(msgExportFailed), msg.err))
	}
	// The file's name must show whole: shorten the directory from the left.
	tmpl := strings.Replace(h.c.tr(msgExported), "%d", strconv.Itoa(msg.n), 1)
	path := shortPath(msg.jsonl)
	room := h.screenW - 1 - ansi.StringWidth(strings.Replace(tmpl, "%s", "", 1))
	if ansi.StringWidth(path) > room {
		dir, name, sep := filepath.Dir(path), filepath.Base(path), string(filepath.Separator)
		keep := room - ansi.StringWidth(name) - 2 // for "…" and the separator
		path = "…" + sep + name
		if keep > 0 {
			path = "…" + ansi.TruncateLeft(dir, ansi.StringWidth(dir)-keep, "") + sep + name
		}
	}
	return h.c.note(paneHistory, noticeInfo, strings.Replace(tmpl, "%s", path, 1))
}

// refreshNewest reads the first page again after the history changed
// elsewhere: new rows go on top (the selection stays on its row while the
// pane is browsed), known ones are redrawn. A search is asked again: which
// rows match is the store's to say. The history is not counted again (a
// second at a million, after every draft another connection saves): each
// new row adds one, unless more arrived than a page shows.
func (h *history) refreshNewest() tea.Cmd {
	src := h.source()
	if src == nil {
		return nil
	}
	if filtered(h.search.shown) || h.search.pending {
		return h.refreshSearch()
	}
	seq := h.search.shownSeq
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		rows, err := src.list(ctx, store.Query{Limit: historyPage})
		if err != nil {
			// The next change will try again; the chain view's title says
			// the central store is away meanwhile.
			return newestMsg{seq: seq, err: err}
		}
		return newestMsg{seq: seq, rows: rows}
	}
}

// newestMsg is the first page read again.
type newestMsg struct {
	seq  int
	rows []*histRow
	err  error
}

func (h *history) mergeNewest(msg newestMsg) tea.Cmd {
	if msg.seq != h.search.shownSeq || filtered(h.search.shown) {
		return nil
	}
	if h.onChain && (h.chainErr != nil) != (msg.err != nil) {
		h.chainErr, h.head = msg.err, nil // away, or answering again
	}
	if msg.err != nil {
		return nil
	}
	added, known := 0, false
	for i := len(msg.rows) - 1; i >= 0; i-- {
		r := msg.rows[i]
		if _, ok := h.byID[r.key()]; ok {
			h.replace(r)
			known = true
			continue
		}
		if len(h.rows) == 0 || h.newerThanTop(r) {
			h.prepend(r, h.focused)
			added++
		}
	}
	h.total = max(h.total, len(h.rows)) // prepend counted each new row
	if !known && len(msg.rows) == historyPage && added > 0 {
		// A whole page of new rows: more may have come than it holds.
		h.capped = true
		return h.countFirstPage()
	}
	return nil
}
