package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/internal/search"
	"github.com/custdesk/custdesk/internal/store"
)

// The search line of the history pane ("/") reads internal/search's grammar,
// the one `custdesk history` reads too.

// searchDelay is how long typing must pause before the search runs: each
// query is a few tens of milliseconds on a large history, and running one per
// keystroke of a fast typist would queue them up.
const searchDelay = 150 * time.Millisecond

// parseSearch reads the line; a problem comes back in both languages.
func parseSearch(line string, plats []platInfo, now time.Time) (store.Query, *text) {
	ps := make([]search.Platform, len(plats))
	for i, p := range plats {
		ps[i] = search.Platform{Name: p.name, Title: p.title}
	}
	q, p := search.Parse(line, ps, now)
	if p != nil {
		return q, &text{p.Zh, p.En}
	}
	return q, nil
}

// filtered reports whether q selects less than the whole history.
func filtered(q store.Query) bool { return search.Filtered(q) }

// searchLine is the search input and the query behind the rows shown.
//
// Every change of what is asked for takes the next sequence number; a
// debounce tick or a result that comes back with an older number is
// dropped, so a slow query never overwrites a newer one's rows. Pages of
// the rows shown carry their own generation (shownSeq) for the same reason.
type searchLine struct {
	input   lineInput
	editing bool
	problem *text

	seq      int         // latest search asked for
	pending  bool        // the line changed since the last search ran
	shownSeq int         // the search whose rows are on screen
	shown    store.Query // its filters (no limit or offset)
}

func newSearchLine(c *common) searchLine {
	return searchLine{input: newLineInput(c.tr(msgSearchPlaceholder))}
}

// visible: the pane shows the line while it is typed in, and while a search
// filters the rows, so a filtered view never passes for the whole history.
func (s *searchLine) visible() bool {
	return s.editing || s.input.value() != "" || filtered(s.shown)
}

// render is the line at width w and the cursor's column in it.
func (s *searchLine) render(st *styles, w int) (string, int) {
	prompt := st.dim.Render("/ ")
	if s.editing {
		prompt = st.focusMark.Render("/ ")
	}
	iw := max(1, w-2)
	return padRight(prompt+s.input.view(st, iw, s.editing, s.editing), w), 2 + s.input.cursorX(iw)
}

// Search messages.
type (
	searchTickMsg struct{ seq int }
	searchMsg     struct {
		seq   int
		query store.Query
		rows  []*histRow
		total int
		more  bool   // the page is full: the total is counted next
		keep  rowKey // select this row again when it is among the results
		err   error
	}
)

// searchCmd runs a search off the update loop. ctx is cancelled when a newer
// search supersedes it, so the store stops working on an answer nobody wants.
// The first page comes back alone: counting a million matches takes longer
// than finding fifty, so a full page is counted afterwards (countCmd).
func searchCmd(ctx context.Context, src rowSource, seq int, q store.Query, keep rowKey) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, storeTimeout)
		defer cancel()
		lq := q
		lq.Limit = historyPage
		rows, err := src.list(ctx, lq)
		if err != nil {
			return searchMsg{seq: seq, err: err}
		}
		return searchMsg{seq: seq, query: q, rows: rows, total: len(rows), more: len(rows) == historyPage, keep: keep}
	}
}

// countCap is as far as a search's matches are counted; the pane shows
// more as "1,000+".
const countCap = 1000

// countMsg is the count of the search of generation seq, up to countCap.
type countMsg struct {
	seq, n int
	capped bool // there may be more than n
	err    error
}

func countCmd(ctx context.Context, src rowSource, seq int, q store.Query) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, storeTimeout)
		defer cancel()
		// The whole history is counted exactly: its count reads one table.
		var n int
		var err error
		if filtered(q) {
			n, err = src.countUpTo(ctx, q, countCap)
		} else {
			n, err = src.count(ctx, q)
		}
		return countMsg{seq: seq, n: n, capped: filtered(q) && n >= countCap, err: err}
	}
}
