package ui

import (
	"context"
	"errors"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/internal/central"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

// The chain view (custdesk --central): the history pane lists every
// terminal's submissions from the central store, with the local grammar
// plus terminal: and store:. A row is named by its terminal and that
// terminal's local ID (rowKey). This terminal's own rows are read from its
// own store, which holds their queue: they keep every action. Other
// terminals' rows are read-only: their sends belong to their terminals'
// queues. Nothing here is on the path of a keystroke or a send: the
// central store is only asked in commands, and when it is away the pane
// says so and the rest of the console goes on.

// ChainHistory is the chain's history on the central store.
// *central.History implements it.
type ChainHistory interface {
	List(ctx context.Context, q central.Query) ([]central.Entry, error)
	Count(ctx context.Context, q central.Query) (int, error)
	CountUpTo(ctx context.Context, q central.Query, limit int) (int, error)
	Get(ctx context.Context, terminal string, id int64) (central.Entry, error)
	Exchanges(ctx context.Context, terminal string, id int64) ([]store.StoredExchange, error)
}

// rowKey names a row: a terminal's local ID. In the local view every row
// is this terminal's and terminal is "".
type rowKey struct {
	terminal string
	id       int64
}

func (r *histRow) key() rowKey { return rowKey{r.terminal, r.id} }

// rowSource is where the pane's rows come from: this terminal's store or
// the chain's.
type rowSource interface {
	list(ctx context.Context, q store.Query) ([]*histRow, error)
	count(ctx context.Context, q store.Query) (int, error)
	countUpTo(ctx context.Context, q store.Query, limit int) (int, error)
}

// localRows reads this terminal's store. In a console opened with
// --central (self set) the chain's filters mean the same here: terminal:
// or store: naming this terminal keeps its rows, naming another finds none.
type localRows struct {
	hs   historyStore
	self string
}

func (l localRows) narrow(q store.Query) (store.Query, bool) {
	if l.self == "" {
		return q, true
	}
	rest, terminal, storeName := central.SplitFilters(q.Text)
	q.Text = rest
	return q, (terminal == "" || terminal == l.self) && (storeName == "" || storeName == central.StoreOf(l.self))
}

func (l localRows) list(ctx context.Context, q store.Query) ([]*histRow, error) {
	q, ok := l.narrow(q)
	if !ok {
		return nil, nil
	}
	subs, err := l.hs.List(ctx, q)
	return rowsOf(subs), err
}

func (l localRows) count(ctx context.Context, q store.Query) (int, error) {
	q, ok := l.narrow(q)
	if !ok {
		return 0, nil
	}
	return l.hs.Count(ctx, q)
}

func (l localRows) countUpTo(ctx context.Context, q store.Query, limit int) (int, error) {
	q, ok := l.narrow(q)
	if !ok {
		return 0, nil
	}
	return l.hs.CountUpTo(ctx, q, limit)
}

// chainRows reads the chain's rows; self's are read again from its own
// store (local), whose queue is ahead of what it has shipped.
type chainRows struct {
	ch    ChainHistory
	self  string
	local historyStore
}

// query takes terminal: and store: out of the words for the central store.
func (c chainRows) query(q store.Query) central.Query {
	rest, terminal, storeName := central.SplitFilters(q.Text)
	q.Text = rest
	return central.Query{Query: q, Terminal: terminal, Store: storeName}
}

func (c chainRows) list(ctx context.Context, q store.Query) ([]*histRow, error) {
	es, err := c.ch.List(ctx, c.query(q))
	if err != nil {
		return nil, err
	}
	rows := make([]*histRow, len(es))
	for i, e := range es {
		sub := e.Submission
		if e.Terminal == c.self && c.local != nil {
			if own, err := c.local.Get(ctx, e.ID); err == nil {
				sub = own
			}
		}
		rows[i] = chainRow(sub, e.Terminal)
	}
	return rows, nil
}

func (c chainRows) count(ctx context.Context, q store.Query) (int, error) {
	return c.ch.Count(ctx, c.query(q))
}

func (c chainRows) countUpTo(ctx context.Context, q store.Query, limit int) (int, error) {
	return c.ch.CountUpTo(ctx, c.query(q), limit)
}

// chainRow is a submission of terminal as the chain view shows it.
func chainRow(sub store.Submission, terminal string) *histRow {
	r := rowFromSubmission(sub)
	r.terminal, r.termText = terminal, termsafe.Line(terminal)
	return r
}

// source is where the rows shown come from.
func (h *history) source() rowSource {
	if h.onChain {
		return h.chainSrc
	}
	if h.hs == nil {
		return nil
	}
	return localRows{h.hs, h.self}
}

// ownKey is the key of this terminal's submission id in the view shown.
func (h *history) ownKey(id int64) rowKey {
	if h.onChain {
		return rowKey{h.self, id}
	}
	return rowKey{id: id}
}

// ownRow is this terminal's submission as a row of the view shown.
func (h *history) ownRow(sub store.Submission) *histRow {
	if h.onChain {
		return chainRow(sub, h.self)
	}
	return rowFromSubmission(sub)
}

// foreign: the row is another terminal's, read-only here.
func (h *history) foreign(k rowKey) bool { return k.terminal != "" && k.terminal != h.self }

// toggleChain switches between this terminal's history and the chain's,
// with the same search line. What was asked of the other view is stale
// from here on.
func (h *history) toggleChain() tea.Cmd {
	if h.chainSrc == nil {
		return nil
	}
	h.onChain = !h.onChain
	h.chainErr = nil
	h.rows, h.byID = nil, map[rowKey]*histRow{}
	h.total, h.capped, h.sel, h.offset = 0, false, 0, 0
	h.head = nil
	cmd := h.runSearch(rowKey{})
	// Pages and counts of the rows just dropped must not land here.
	h.search.shownSeq = h.search.seq
	h.loading = cmd != nil // a line that does not parse asks nothing; the status line says why
	return cmd
}

// chainFailed is what the pane says when the central store could not
// answer; the rows shown stay.
func (h *history) chainFailed(err error) tea.Cmd {
	h.loading = false
	if errors.Is(err, context.Canceled) {
		return nil
	}
	h.chainErr = err
	h.head = nil
	return h.c.note(paneHistory, noticeError, h.c.tr(msgChainDown))
}

// loadChainDetail reads another terminal's entry from the central store, as
// it was shipped (masked by the terminal before it left).
func loadChainDetail(ch ChainHistory, c *common, k rowKey) tea.Cmd {
	lang, plats := c.lang, platInfos(c)
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		e, err := ch.Get(ctx, k.terminal, k.id)
		if err != nil {
			return detailMsg{key: k, err: err}
		}
		exs, err := ch.Exchanges(ctx, k.terminal, k.id)
		if err != nil {
			return detailMsg{key: k, err: err}
		}
		d := buildDetail(lang, plats, e.Submission, exs)
		d.terminal = k.terminal
		return detailMsg{key: k, data: d}
	}
}

// detailCmd reads the entry k: this terminal's from its own store, another
// terminal's from the central store.
func (m *Model) detailCmd(k rowKey) tea.Cmd {
	if m.history.foreign(k) {
		if m.chain == nil {
			return nil
		}
		return loadChainDetail(m.chain, m.c, k)
	}
	if m.hist == nil {
		return nil
	}
	return loadDetail(m.hist, m.c, k)
}

// refusedForeign says why an action on another terminal's entry is not
// done here.
func (d *detail) refusedForeign() tea.Cmd {
	return d.c.note(paneDetail, noticeError, fmt.Sprintf(d.c.tr(msgForeignEntry), termsafe.Line(d.data.terminal)))
}

// emptyLines stand where rows would: why there are none.
func (h *history) emptyLines() []string {
	st := h.c.st
	if h.onChain && h.chainErr != nil {
		// Said plainly: what is away, that the rest works, how to go on;
		// then why, as far as the pane has room.
		w := max(1, h.width-2)
		var lines []string
		for _, l := range wrapLines(h.c.tr(msgChainDownPane), w) {
			lines = append(lines, padRight(" "+st.errText.Render(l), h.width))
		}
		for _, l := range wrapLines(h.c.tr(msgChainGoLocal), w) {
			lines = append(lines, padRight(" "+l, h.width))
		}
		for _, l := range wrapLines(termsafe.Line(h.chainErr.Error()), w) {
			lines = append(lines, padRight(" "+st.dim.Render(l), h.width))
		}
		return lines
	}
	msg := msgHistoryEmpty
	switch {
	case h.loading:
		msg = msgLoading
	case filtered(h.search.shown):
		msg = msgNoMatches
	}
	return []string{padRight(st.dim.Render(" "+h.c.tr(msg)), h.width)}
}

// termCell is a row's terminal, in its column; this terminal's own stand
// out from the rest of the chain.
func (h *history) termCell(r *histRow) string {
	w := h.termColW()
	cell := padRight(ansi.Truncate(r.termText, w, "…"), w)
	if r.terminal == h.self {
		return cell
	}
	return h.c.st.dim.Render(cell)
}

// newerThanTop: a row read again belongs above the rows shown. Local IDs
// grow with time; the chain's rows are ordered by when they were made.
func (h *history) newerThanTop(r *histRow) bool {
	top := h.rows[0]
	if h.onChain {
		return r.created.After(top.created)
	}
	return r.id > top.id
}

// openChain gives the pane the chain's history and shows it first.
func (m *Model) openChain(ch ChainHistory, self string) {
	if ch == nil {
		return
	}
	m.chain = ch
	h := m.history
	h.chainSrc, h.self = chainRows{ch: ch, self: self, local: m.hist}, self
	h.onChain, h.loading = true, true
	h.search.input.in.Placeholder = m.c.tr(msgChainPlaceholder)
}

// chainFirst asks for the chain view's first page, after the first frame.
func (h *history) chainFirst() tea.Cmd {
	if !h.onChain || len(h.rows) > 0 {
		return nil
	}
	return h.runSearch(rowKey{})
}

// chainTick brings other terminals' new rows into the chain view now and
// then (the replication status's beat): the local store's watch sees only
// this terminal's. A search is left as it is: asking it again would move
// the rows under the person reading them. While the central store is away
// it is asked the whole search again, so the rows it could not give come
// when it is back.
func (h *history) chainTick() tea.Cmd {
	switch {
	case !h.onChain || h.search.pending || h.loading:
		return nil
	case h.chainErr != nil:
		return h.runSearch(h.selectedKey())
	case filtered(h.search.shown):
		return nil
	}
	return h.refreshNewest()
}

// acts: the key would act on the entry's sends (resend, drop, edit and
// resend).
func (d *detail) acts(msg tea.KeyPressMsg) bool {
	k := d.c.keys.detail
	return key.Matches(msg, k.Resend) || key.Matches(msg, k.Drop) || key.Matches(msg, k.Edit)
}

// readOnlyEntry: the entry open is another terminal's.
func (m *Model) readOnlyEntry() bool {
	return m.focus == paneDetail && m.detail != nil && m.detail.foreign
}
