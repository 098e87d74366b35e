package ui

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// Row states besides the platforms' outcomes.
const (
	statePending  = "pending"  // written ahead, no answer yet
	stateInFlight = "inflight" // being sent by this console now
	stateQueued   = "queued"   // waiting for a background retry
	stateDropped  = "dropped"  // cancelled before sending, or a person chose not to resend
	stateAbsent   = ""         // the platform was not part of the submission
)

// histRow is one submission as the history pane shows it.
type histRow struct {
	id       int64  // the local ID in its terminal
	terminal string // in the chain view, whose row it is; "" in the local view
	termText string // terminal, safe to draw
	created  time.Time
	name     string
	mobile   string
	states   map[string]string // platform name -> outcome or row state

	rendered string // the row without selection, reused until dirty
	dirty    bool
}

// inFlight: a send is on its way, so the row's marks animate. A row merely
// pending (written ahead by a run that never sent it) does not.
func (r *histRow) inFlight() bool {
	for _, s := range r.states {
		if s == stateInFlight {
			return true
		}
	}
	return false
}

// history is the pane of past submissions, newest first. It holds the rows
// loaded so far (pages arrive as the selection nears the end) and renders only
// the visible ones.
type history struct {
	c     *common
	rows  []*histRow
	byID  map[rowKey]*histRow
	total int // rows the store holds; more than len(rows) until all are loaded
	// capped: total is a lower bound (the count stopped at its cap, or has
	// not come yet); the store may hold more.
	capped bool

	sel    int
	offset int
	width  int
	height int

	loading bool
	frame   string // spinner frame for marks of sends in flight

	search  searchLine
	searchX int // the search line's cursor column, as last rendered

	head    []string // title and column header, kept until headKey changes
	headKey [6]int

	focused bool
	screenW int // the whole screen's width: notices are as wide

	hs         historyStore
	ctx        context.Context
	searchStop context.CancelFunc // cancels the search in flight when a newer one starts
	exporting  bool
	exportDir  string // where x writes: the data directory

	// The chain view (chain.go): chainSrc is nil unless the console was
	// opened with --central.
	chainSrc rowSource
	self     string // this terminal's name in the chain
	onChain  bool   // the rows shown are the chain's
	chainErr error  // the central store's last failure to answer the pane
}

func newHistory(c *common, ctx context.Context, hs historyStore) *history {
	h := &history{c: c, byID: map[rowKey]*histRow{}, search: newSearchLine(c), hs: hs, ctx: ctx}
	if hs != nil {
		h.exportDir = filepath.Dir(hs.Path())
	}
	return h
}

// searching: the search line has the keyboard.
func (h *history) searching() bool { return h.focused && h.search.editing }

// Update takes the pane's keys (moving, opening, searching, export, the
// inbox) and the store's answers to what it asked.
func (h *history) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return h.key(msg)
	case tea.PasteMsg:
		if h.searching() {
			// A pasted line break would end nothing: the line is one query.
			return h.searchEdit(tea.PasteMsg{Content: oneLine(msg.Content)})
		}
	case searchTickMsg:
		if msg.seq == h.search.seq {
			return h.runSearch(rowKey{})
		}
	case searchMsg:
		return h.searched(msg)
	case countMsg:
		return h.counted(msg)
	case pageMsg:
		return h.page(msg)
	case exportedMsg:
		return h.exported(msg)
	case newestMsg:
		return h.mergeNewest(msg)
	case rowMsg:
		if msg.err == nil {
			h.replace(h.ownRow(msg.sub))
		}
	}
	return nil
}

func (h *history) key(msg tea.KeyPressMsg) tea.Cmd {
	if h.searching() {
		return h.searchKey(msg)
	}
	k := h.c.keys.history
	switch {
	case key.Matches(msg, k.Search):
		return h.openSearch()
	case key.Matches(msg, k.Export) && h.onChain:
		return h.c.note(paneHistory, noticeError, h.c.tr(msgChainNoExport))
	case key.Matches(msg, k.Export):
		return h.export()
	case key.Matches(msg, k.Chain) && h.chainSrc != nil:
		return h.toggleChain()
	case key.Matches(msg, k.Inbox):
		return h.openInbox()
	case key.Matches(msg, k.ClearSearch) && h.search.visible():
		return h.clearSearch()
	case key.Matches(msg, k.Open):
		if r := h.selected(); r != nil {
			return h.c.report(openEntryMsg{key: r.key()})
		}
		return nil
	case key.Matches(msg, k.Back):
		return h.c.report(backMsg{})
	}
	h.move(msg)
	return h.morePages()
}

// ShortHelp is the help bar over the history, most useful first.
func (h *history) ShortHelp() []key.Binding {
	k, g, sk := h.c.keys.history, h.c.keys.global, h.c.keys.search
	if h.searching() {
		return []key.Binding{sk.Done, sk.Clear, sk.Select, g.Submit, g.Help, g.Quit}
	}
	bs := []key.Binding{k.Open, k.Search}
	if h.search.visible() {
		bs = append(bs, k.ClearSearch)
	}
	bs = append(bs, h.viewKeys()...)
	bs = append(bs, k.Inbox)
	if !h.onChain {
		bs = append(bs, k.Export) // the chain's export is custdesk history --central
	}
	bs = append(bs, k.Up)
	if !h.search.visible() {
		bs = append(bs, k.Back)
	}
	return append(bs, g.Help, g.Quit)
}

// viewKeys is the chain/local toggle, when the console has the chain.
func (h *history) viewKeys() []key.Binding {
	if h.chainSrc == nil {
		return nil
	}
	return []key.Binding{h.c.keys.history.Chain}
}

func (h *history) FullHelp() [][]key.Binding {
	k := h.c.keys.history
	bs := []key.Binding{k.Up, k.PageUp, k.Top, k.Open, k.Search, k.Inbox}
	if !h.onChain {
		bs = append(bs, k.Export)
	}
	return [][]key.Binding{append(bs, h.viewKeys()...)}
}

func (h *history) SetSize(w, height int) {
	if w != h.width {
		for _, r := range h.rows {
			r.dirty = true
		}
	}
	h.width, h.height = w, height
	h.clamp()
}

// headH is the lines above the rows: title, search line when shown, column
// header.
func (h *history) headH() int {
	if h.search.visible() {
		return 3
	}
	return 2
}

// listH is the number of row lines: the pane minus its head.
func (h *history) listH() int { return max(1, h.height-h.headH()) }

// setResults shows the rows of a search (generation seq of query q) in place
// of those shown. The row keep stays selected when it is among them.
func (h *history) setResults(seq int, q store.Query, rows []*histRow, total int, keep rowKey) {
	h.search.shownSeq, h.search.shown = seq, q
	h.rows = rows
	h.byID = make(map[rowKey]*histRow, len(rows))
	for _, r := range rows {
		h.byID[r.key()] = r
	}
	h.total = max(total, len(rows))
	h.capped = false
	h.loading = false
	h.sel, h.offset = 0, 0
	for i, r := range rows {
		if keep.id != 0 && r.key() == keep {
			h.sel = i
		}
	}
	h.head = nil
	h.clamp()
}

// appendPage adds an older page loaded from the store at offset.
func (h *history) appendPage(offset int, rows []*histRow, total int) {
	h.loading = false
	if total > 0 || offset == 0 {
		// The last page: an exact total.
		h.total, h.capped = total, false
	}
	if offset != len(h.rows) {
		return // a stale page: rows were added since it was asked for
	}
	for _, r := range rows {
		if _, dup := h.byID[r.key()]; dup {
			continue
		}
		h.rows = append(h.rows, r)
		h.byID[r.key()] = r
	}
	h.total = max(h.total, len(h.rows))
	h.clamp()
}

// prepend adds a new submission at the top. While the cashier browses the
// pane the selected row stays selected; otherwise the selection follows the
// newest.
func (h *history) prepend(r *histRow, browsing bool) {
	if _, ok := h.byID[r.key()]; ok {
		h.replace(r)
		return
	}
	h.rows = append(h.rows, nil)
	copy(h.rows[1:], h.rows)
	h.rows[0] = r
	h.byID[r.key()] = r
	h.total++
	switch {
	case !browsing:
		h.sel, h.offset = 0, 0
	case len(h.rows) > 1:
		h.sel++
		if h.offset > 0 {
			h.offset++ // keep the view still when scrolled into the past
		}
	}
	h.clamp()
}

// replace refreshes a row already in the pane; rows not loaded yet are
// read with their page.
func (h *history) replace(r *histRow) {
	if old, ok := h.byID[r.key()]; ok {
		*old = *r
		old.dirty = true
	}
}

// setState records a platform's state of this terminal's submission id,
// when the pane shows it.
func (h *history) setState(id int64, platform, state string) {
	if r, ok := h.byID[h.ownKey(id)]; ok && r.states[platform] != state {
		r.states[platform] = state
		r.dirty = true
	}
}

// visibleRows are the rows on screen.
func (h *history) visibleRows() []*histRow {
	return h.rows[min(h.offset, len(h.rows)):min(len(h.rows), h.offset+h.listH())]
}

func (h *history) selected() *histRow {
	if h.sel >= 0 && h.sel < len(h.rows) {
		return h.rows[h.sel]
	}
	return nil
}

func (h *history) clamp() {
	h.sel = max(0, min(h.sel, len(h.rows)-1))
	lh := h.listH()
	if h.sel < h.offset {
		h.offset = h.sel
	}
	if h.sel >= h.offset+lh {
		h.offset = h.sel - lh + 1
	}
	h.offset = max(0, min(h.offset, len(h.rows)-lh))
}

// needMore reports whether the next page should be loaded: the view is within
// a screen of the loaded end and the store has more.
func (h *history) needMore() bool {
	return !h.loading && (len(h.rows) < h.total || h.capped) && h.offset+2*h.listH() >= len(h.rows)
}

// move moves the selection.
func (h *history) move(msg tea.KeyPressMsg) {
	k := h.c.keys.history
	switch {
	case key.Matches(msg, k.Up):
		h.sel--
	case key.Matches(msg, k.Down):
		h.sel++
	case key.Matches(msg, k.PageUp):
		h.sel -= h.listH()
	case key.Matches(msg, k.PageDown):
		h.sel += h.listH()
	case key.Matches(msg, k.Top):
		h.sel = 0
	case key.Matches(msg, k.Bottom):
		h.sel = len(h.rows) - 1
	}
	h.clamp()
}

// click selects the row at line y of the pane; a click on the selected row
// opens it.
func (h *history) click(y int) (open bool) {
	hh := h.headH()
	i := h.offset + y - hh
	if y < hh || i < 0 || i >= len(h.rows) {
		return false
	}
	if i == h.sel {
		return true
	}
	h.sel = i
	h.clamp()
	return false
}

func (h *history) wheel(delta int) {
	h.sel += delta
	h.clamp()
}

// columns sizes the row: time, name (what is left), mobile, one mark per platform.
func (h *history) columns() (timeW, nameW, mobileW, marksW int) {
	marksW = 2 * len(h.c.platforms)
	timeW = 5
	if h.width >= 60 {
		timeW = 11
	}
	if h.onChain {
		return h.chainColumns(timeW, marksW)
	}
	// E.164 numbers run to 16 characters; mainland numbers are 11.
	switch {
	case h.width >= 50:
		mobileW = 16
	case h.width >= 34:
		mobileW = 13
	default:
		mobileW = 11
	}
	nameW = max(4, h.width-timeW-mobileW-marksW-4)
	return
}

// termColW is the chain view's terminal column: "store-012/pos-1" whole
// even beside the form at 80 columns, where the name gives way (the entry
// shows it whole); longer names fit in a wide pane.
func (h *history) termColW() int {
	if h.width >= 100 {
		return 20
	}
	return 15
}

// chainColumns sizes a row of the chain view: the terminal column comes
// first, then the name; the mobile only where the name keeps room beside it
// (not beside the form at 80 columns; the entry shows it).
func (h *history) chainColumns(timeW, marksW int) (_, nameW, mobileW, _ int) {
	rest := h.width - timeW - h.termColW() - marksW - 4 // the name's, without a mobile
	switch {
	case rest-17 >= 12:
		mobileW = 16
	case rest-14 >= 8:
		mobileW = 13
	}
	nameW = rest
	if mobileW > 0 {
		nameW -= mobileW + 1
	}
	return timeW, max(4, nameW), mobileW, marksW
}

// view renders the pane: title, column header, visible rows, each exactly
// width columns.
func (h *history) View() []string {
	st, focused := h.c.st, h.focused
	lines := make([]string, 0, h.height)
	key := [6]int{h.width, h.total, boolInt(h.capped), boolInt(focused), boolInt(filtered(h.search.shown)),
		boolInt(h.exporting) | boolInt(h.onChain)<<1 | boolInt(h.chainErr != nil)<<2}
	if h.head == nil || h.headKey != key {
		h.headKey = key
		h.head = h.renderHead(focused)
	}
	lines = append(lines, h.head[0])
	if h.search.visible() {
		line, x := h.search.render(st, h.width)
		lines = append(lines, line)
		h.searchX = x
	}
	lines = append(lines, h.head[1])
	if len(h.rows) == 0 {
		lines = append(lines, h.emptyLines()...)
	}
	end := min(len(h.rows), h.offset+h.listH())
	for i := h.offset; i < end; i++ {
		r := h.rows[i]
		s := h.renderRow(r)
		if i == h.sel {
			// The mark shows the selection without color or reverse video;
			// focus adds the highlight.
			if focused {
				s = st.rowSelected.Render("›" + ansi.Strip(ansi.Cut(s, 1, h.width)))
			} else {
				s = st.focusMark.Render("›") + ansi.Cut(s, 1, h.width)
			}
		}
		lines = append(lines, s)
	}
	if len(h.rows) < h.total && end == len(h.rows) && len(lines) < h.height {
		lines = append(lines, padRight(st.dim.Render(" "+h.c.tr(msgLoading)), h.width))
	}
	for len(lines) < h.height {
		lines = append(lines, strings.Repeat(" ", h.width))
	}
	return lines[:h.height]
}

// renderHead renders the title and the column header.
func (h *history) renderHead(focused bool) []string {
	st := h.c.st
	title := h.c.tr(msgHistory)
	found := msgHistoryFound
	if h.onChain {
		title, found = h.c.tr(msgChainHistory), msgChainFound
	}
	switch {
	case filtered(h.search.shown):
		title = strings.Replace(h.c.tr(found), "%d", h.totalText(), 1)
	case h.total > 0:
		title += " (" + h.totalText() + ")"
	}
	if h.exporting {
		title += " · " + h.c.tr(msgExporting)
	}
	if h.onChain && h.chainErr != nil {
		title += " · " + h.c.tr(msgChainUnreachable)
	}
	ts := st.group
	if focused {
		ts = st.title
	}
	timeW, nameW, mobileW, _ := h.columns()
	var hb strings.Builder
	hb.WriteString(" ")
	hb.WriteString(padRight(text{"时间", "time"}.in(h.c.lang), timeW) + " ")
	if h.onChain {
		hb.WriteString(padRight(text{"终端", "terminal"}.in(h.c.lang), h.termColW()) + " ")
	}
	hb.WriteString(padRight(fieldLabels["name"].in(h.c.lang), nameW) + " ")
	if mobileW > 0 {
		hb.WriteString(padRight(fieldLabels["mobile"].in(h.c.lang), mobileW) + " ")
	}
	for _, p := range h.c.platforms {
		hb.WriteString(ansi.Truncate(p.Title(), 1, "") + " ")
	}
	return []string{padRight(ts.Render(title), h.width), padRight(st.header.Render(hb.String()), h.width)}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// renderRow renders a row once per change; rows with sends in flight animate.
func (h *history) renderRow(r *histRow) string {
	animated := r.inFlight()
	if !r.dirty && r.rendered != "" && !animated {
		return r.rendered
	}
	st := h.c.st
	timeW, nameW, mobileW, _ := h.columns()
	var b strings.Builder
	b.WriteString(" ")
	b.WriteString(st.dim.Render(padRight(h.timeText(r.created, timeW), timeW)))
	b.WriteString(" ")
	if h.onChain {
		b.WriteString(h.termCell(r))
		b.WriteString(" ")
	}
	b.WriteString(padRight(ansi.Truncate(r.name, nameW, "…"), nameW))
	b.WriteString(" ")
	if mobileW > 0 {
		b.WriteString(padRight(ansi.Truncate(r.mobile, mobileW, "…"), mobileW))
		b.WriteString(" ")
	}
	for _, p := range h.c.platforms {
		state := r.states[p.Name()]
		b.WriteString(st.outcomeStyle(markStyle(state)).Render(h.mark(state)))
		b.WriteString(" ")
	}
	s := padRight(b.String(), h.width)
	if !animated {
		r.rendered, r.dirty = s, false
	}
	return s
}

func (h *history) timeText(t time.Time, w int) string {
	if t.IsZero() {
		return ""
	}
	now := h.c.now()
	t = t.In(now.Location())
	if w >= 11 {
		return t.Format("01-02 15:04")
	}
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04")
	}
	return t.Format("01-02")
}

// mark is one glyph per platform state; each differs in shape, not only in
// color, so NO_COLOR loses nothing.
func (h *history) mark(state string) string {
	switch state {
	case string(platforms.OK):
		return "✓"
	case string(platforms.Partial):
		return "◐"
	case string(platforms.Rejected):
		return "✗"
	case string(platforms.Failed):
		return "!"
	case string(platforms.Unknown):
		return "?"
	case stateInFlight:
		if h.frame != "" {
			return ansi.Truncate(h.frame, 1, "")
		}
		return "…"
	case statePending:
		return "…"
	case stateQueued:
		return "↻"
	case stateDropped:
		return "–"
	}
	return "·"
}

func markStyle(state string) string {
	switch state {
	case stateInFlight:
		return statePending
	}
	return state
}

// totalText is the count of matches as the title shows it: "1,000+" when the
// count stopped at its cap.
func (h *history) totalText() string {
	if !h.capped {
		return strconv.Itoa(h.total)
	}
	n := strconv.Itoa(h.total)
	for i := len(n) - 3; i > 0; i -= 3 {
		n = n[:i] + "," + n[i:]
	}
	return n + "+"
}
