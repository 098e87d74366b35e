package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/policy"
	"github.com/custdesk/custdesk/internal/textcol"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

// Views of the raw side of an exchange, cycled with "v".
const (
	modePretty = iota
	modeBytes
	modeRequest
	modeSigned
	modeCount
)

// exchangeView is one platform's part of a submission, with every text the
// detail shows already prepared: bodies are pretty-printed once, when they
// arrive, never while rendering.
type exchangeView struct {
	platform string
	title    string
	state    string // row state when there is no exchange yet
	attempts int
	// awaits: no automatic retry will come (unknown or failed, not queued,
	// not dropped): a person chooses resend or drop.
	awaits    bool
	nextRetry time.Time // when queued
	has       bool
	ex        platforms.Exchange
	modes     [modeCount][]string
	// tries are every finished attempt, oldest first, each with its
	// exchange prepared for display; the view itself is the latest.
	tries []exchangeView
}

// detailData is a submission opened from the history.
type detailData struct {
	id        int64
	terminal  string // whose entry, in the chain view; "" in the local view
	requestID string
	created   time.Time
	customer  platforms.Customer
	source    text // where the submission came from (sourceText)
	views     []exchangeView
}

// newExchangeView prepares an exchange for display. It runs in a tea.Cmd, off
// the update loop, because a body may be a megabyte.
func newExchangeView(lang, title string, ex platforms.Exchange, attempts int) exchangeView {
	v := exchangeView{platform: ex.Platform, title: title, attempts: attempts, has: true, ex: ex}
	v.modes[modePretty] = prettyBody(lang, ex)
	v.modes[modeBytes] = exactBytes(lang, ex)
	v.modes[modeRequest] = requestText(lang, ex.Request)
	if ex.Request.Signed == "" {
		v.modes[modeSigned] = []string{msgNoSigned.in(lang)}
	} else {
		v.modes[modeSigned] = strings.Split(termsafe.Text(ex.Request.Signed), "\n")
	}
	return v
}

func prettyBody(lang string, ex platforms.Exchange) []string {
	var lines []string
	if ex.Truncated {
		lines = append(lines, "⚠ "+msgCapped.in(lang), "")
	}
	body := ex.Response
	if len(bytes.TrimSpace(body)) == 0 {
		lines = append(lines, msgEmptyBody.in(lang))
		if ex.Error != "" {
			lines = append(lines, "", termsafe.Line(ex.Error))
		}
		return lines
	}
	var buf bytes.Buffer
	// Valid JSON may still hold DEL, C1 controls, bidi overrides and bytes
	// that are not UTF-8 inside its strings: indented, it is sanitised too.
	if !ex.Truncated && json.Valid(body) && json.Indent(&buf, body, "", "  ") == nil {
		return append(lines, strings.Split(termsafe.Text(buf.String()), "\n")...)
	}
	lines = append(lines, msgNotJSON.in(lang), "")
	return append(lines, strings.Split(termsafe.Text(string(body)), "\n")...)
}

// exactBytes shows the answer as received: status, headers, then the body
// with only unprintable bytes escaped.
func exactBytes(lang string, ex platforms.Exchange) []string {
	var lines []string
	if ex.Truncated {
		lines = append(lines, "⚠ "+msgCapped.in(lang))
	}
	if ex.Status > 0 {
		lines = append(lines, "HTTP "+strconv.Itoa(ex.Status))
	}
	for _, k := range slices.Sorted(maps.Keys(ex.ResponseHeaders)) {
		lines = append(lines, termsafe.Line(k)+": "+termsafe.Line(ex.ResponseHeaders[k]))
	}
	lines = append(lines, fmt.Sprintf("-- %d bytes --", len(ex.Response)))
	return append(lines, strings.Split(termsafe.Text(string(ex.Response)), "\n")...)
}

func requestText(lang string, t platforms.Trace) []string {
	lines := []string{termsafe.Line(t.Method + " " + t.URL)}
	for _, k := range slices.Sorted(maps.Keys(t.Headers)) {
		lines = append(lines, termsafe.Line(k)+": "+termsafe.Line(t.Headers[k]))
	}
	lines = append(lines, "")
	if len(t.Body) == 0 {
		return append(lines, msgEmptyBody.in(lang))
	}
	return append(lines, strings.Split(termsafe.Text(string(t.Body)), "\n")...)
}

// detail shows one submission: per platform, the normalised result beside the
// raw exchange.
type detail struct {
	c      *common
	data   detailData
	loaded bool
	tab    int
	mode   int
	vp     viewport.Model

	width, height int
	leftW         int

	curl *curlView // copy as curl, open over the entry
	try  int       // the attempt shown, into the tab's tries (the latest when the tab opens)

	reqInBody bool // the request ID does not fit the head: the result column shows it
	// foreign: another terminal's entry (the chain view), read-only here:
	// its sends belong to that terminal's queue.
	foreign bool
}

// key names the entry shown.
func (d *detail) entryKey() rowKey { return rowKey{d.data.terminal, d.data.id} }

func newDetail(c *common, k rowKey, foreign bool) *detail {
	d := &detail{c: c, data: detailData{id: k.id, terminal: k.terminal}, foreign: foreign}
	d.vp = viewport.New()
	d.vp.KeyMap = viewport.KeyMap{} // the detail's own keys drive it
	d.vp.MouseWheelEnabled = true
	return d
}

// current is the platform tab shown.
func (d *detail) current() (exchangeView, bool) {
	if !d.loaded || d.tab >= len(d.data.views) {
		return exchangeView{}, false
	}
	return d.data.views[d.tab], true
}

func (d *detail) setData(data detailData) {
	keepTab := ""
	if d.loaded && d.tab < len(d.data.views) {
		keepTab = d.data.views[d.tab].platform
	}
	d.data, d.loaded = data, true
	d.tab = 0
	// Opened fresh, the entry shows first what waits for a person.
	for i := len(data.views) - 1; keepTab == "" && i >= 0; i-- {
		if data.views[i].awaits {
			d.tab = i
		}
	}
	for i, v := range data.views {
		if v.platform == keepTab {
			d.tab = i
		}
	}
	d.latestTry()
	d.refresh(keepTab != "")
}

func (d *detail) SetSize(w, h int) {
	d.width, d.height = w, h
	if d.curl != nil {
		d.curl.SetSize(w, h)
	}
	d.leftW = max(30, min(44, w*2/5))
	d.vp.SetWidth(max(10, w-d.leftW-3))
	d.vp.SetHeight(max(1, h-4))
	d.refresh(true)
}

// refresh wraps the current view's lines at the viewport's width. Wrapping is
// done here, on data, size or view changes, so View stays cheap.
func (d *detail) refresh(keepScroll bool) {
	if !d.loaded || len(d.data.views) == 0 {
		d.vp.SetContentLines(nil)
		return
	}
	v := d.shown()
	var lines []string
	if !v.has {
		msg := msgNoExchange
		if v.state == stateInFlight || v.state == statePending {
			msg = msgInFlight
		}
		lines = []string{d.c.tr(msg)}
	} else {
		w := max(10, d.vp.Width())
		lines = make([]string, 0, len(v.modes[d.mode]))
		for _, l := range v.modes[d.mode] {
			lines = hardWrap(lines, l, w)
		}
	}
	y := d.vp.YOffset()
	d.vp.SetContentLines(lines)
	if keepScroll {
		d.vp.SetYOffset(y)
	} else {
		d.vp.GotoTop()
	}
}

// Update takes the entry's keys. What the root acts on (close, resend, drop,
// edit) goes up as messages; copy as curl opens the curl view over the entry.
func (d *detail) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if d.curl != nil {
			if d.curl.Update(msg) != nil {
				d.curl = nil
			}
			return nil
		}
		if d.foreign && d.acts(msg) {
			return d.refusedForeign()
		}
		return d.key(msg)
	case tea.MouseWheelMsg:
		d.vp, _ = d.vp.Update(msg)
	case detailMsg:
		if msg.key == d.entryKey() && msg.err == nil {
			d.setData(msg.data)
		}
	}
	return nil
}

// key handles a key of the entry: the actions first, then moving about.
func (d *detail) key(msg tea.KeyPressMsg) tea.Cmd {
	k := d.c.keys.detail
	v, ok := d.current()
	switch {
	case key.Matches(msg, k.Close):
		return d.c.report(closeMsg{})
	case key.Matches(msg, k.Curl):
		return d.copyCurl()
	case key.Matches(msg, k.CopyID), key.Matches(msg, k.CopyRequest):
		return d.copyValue(key.Matches(msg, k.CopyID))
	case !ok:
		return nil
	case key.Matches(msg, k.Resend) && (v.awaits || v.state == stateDropped):
		return d.c.report(resendMsg{id: d.data.id, platform: v.platform, mayDuplicate: d.mayDuplicate(v)})
	case key.Matches(msg, k.Drop) && (v.awaits || v.state == stateQueued):
		return d.c.report(dropMsg{id: d.data.id, platform: v.platform})
	case key.Matches(msg, k.Edit):
		return d.c.report(editMsg{data: d.data})
	}
	d.move(msg)
	return nil
}

// move switches tabs and views and scrolls.
func (d *detail) move(msg tea.KeyPressMsg) {
	k := d.c.keys.detail
	n := max(1, len(d.data.views))
	switch {
	case key.Matches(msg, k.NextPlatform):
		d.tab = (d.tab + 1) % n
		d.latestTry()
		d.refresh(false)
	case key.Matches(msg, k.PrevPlatform):
		d.tab = (d.tab + n - 1) % n
		d.latestTry()
		d.refresh(false)
	case key.Matches(msg, k.OlderTry):
		d.pickTry(-1)
	case key.Matches(msg, k.NewerTry):
		d.pickTry(1)
	case key.Matches(msg, k.Mode):
		d.mode = (d.mode + 1) % modeCount
		d.refresh(false)
	case key.Matches(msg, k.Up):
		d.vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		d.vp.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		d.vp.PageUp()
	case key.Matches(msg, k.PageDown):
		d.vp.PageDown()
	case key.Matches(msg, k.Left):
		d.vp.ScrollLeft(8)
	case key.Matches(msg, k.Right):
		d.vp.ScrollRight(8)
	}
}

// copyCurl puts the open exchange's request on the clipboard as a curl
// command (OSC 52) and shows it for copying by hand.
func (d *detail) copyCurl() tea.Cmd {
	if _, ok := d.current(); !ok {
		return nil
	}
	v := d.shown()
	if !v.has || v.ex.Request.URL == "" {
		return d.c.note(paneDetail, noticeError, fmt.Sprintf(d.c.tr(msgCurlNothing), v.title))
	}
	cmd := buildCurl(v.ex.Request)
	cmd.window = d.c.traits(v.platform).ReplayWindow
	title := d.c.tr(msgCurlTitle) + " · " + v.title + " · #" + strconv.FormatInt(d.data.id, 10)
	if len(d.data.views[d.tab].tries) > 1 {
		title += " · " + d.c.tr(lblAttempts) + " " + strconv.Itoa(d.try+1)
	}
	d.curl = newCurlView(d.c, title, cmd)
	d.curl.SetSize(d.width, d.height)
	return tea.SetClipboard(cmd.text())
}

// copyValue puts one value on the clipboard: the open platform's customer
// ID, or the submission's request ID, whole, and says which.
func (d *detail) copyValue(customerID bool) tea.Cmd {
	label, value := d.c.tr(lblRequest), d.data.requestID
	if customerID {
		label, value = d.c.tr(lblIDs), ""
		if _, ok := d.current(); ok && d.shown().has {
			value = strings.Join(d.shown().ex.Result.CustomerIDs, ",")
		}
	}
	if value == "" {
		return d.c.note(paneDetail, noticeError, fmt.Sprintf(d.c.tr(msgCopyNothing), label))
	}
	return tea.Batch(tea.SetClipboard(value), d.c.note(paneDetail, noticeInfo, fmt.Sprintf(d.c.tr(msgCopied), label, value)))
}

// curlOpen: the curl view is over the entry (the console lets go of the
// mouse so the terminal's selection works).
func (d *detail) curlOpen() bool { return d.curl != nil }

// ShortHelp is the help bar over the entry: what acts on it first.
func (d *detail) ShortHelp() []key.Binding {
	k, g := d.c.keys.detail, d.c.keys.global
	if d.curl != nil {
		return []key.Binding{k.Close, k.Up, g.Quit}
	}
	bs := []key.Binding{k.Close}
	if v, ok := d.current(); d.foreign {
		// Another terminal's entry: nothing here acts on its queue.
	} else if ok && v.awaits {
		bs = append(bs, k.Resend, k.Drop)
	} else if ok && v.state == stateDropped {
		bs = append(bs, k.Resend)
	}
	bs = append(bs, k.NextPlatform, k.Mode)
	if v, ok := d.current(); ok && len(v.tries) > 1 {
		bs = append(bs, k.OlderTry)
	}
	bs = append(bs, k.CopyID, k.Curl)
	if !d.foreign {
		bs = append(bs, k.Edit)
	}
	return append(bs, k.Up, g.Help)
}

func (d *detail) FullHelp() [][]key.Binding {
	k := d.c.keys.detail
	if d.foreign {
		return [][]key.Binding{{k.NextPlatform, k.Mode, k.OlderTry, k.CopyID, k.CopyRequest, k.Curl, k.Close}}
	}
	return [][]key.Binding{{k.NextPlatform, k.Mode, k.OlderTry, k.Resend, k.Drop, k.Edit, k.CopyID, k.CopyRequest, k.Curl, k.Close}}
}

// click picks a platform tab on the tab line.
func (d *detail) click(x, y int) {
	if y != 1 {
		return
	}
	pos := 1
	for i, v := range d.data.views {
		w := ansi.StringWidth(d.tabLabel(v)) + 2
		if x >= pos && x < pos+w {
			d.tab = i
			d.latestTry()
			d.refresh(false)
			return
		}
		pos += w + 1
	}
}

func (d *detail) tabLabel(v exchangeView) string {
	state := v.state
	if state == "" && v.has {
		state = exchangeState(v.ex)
	}
	h := history{c: d.c}
	return v.title + " " + h.mark(state)
}

func (d *detail) View() []string {
	if d.curl != nil {
		return d.curl.View()
	}
	st := d.c.st
	w := d.width
	lines := make([]string, 0, d.height)

	head := "#" + strconv.FormatInt(d.data.id, 10)
	if d.data.terminal != "" {
		head = termsafe.Line(d.data.terminal) + " " + head
	}
	if d.loaded {
		head += "  " + termsafe.Line(d.data.customer.Name) + "  " + termsafe.Line(d.data.customer.Mobile)
		if !d.data.created.IsZero() {
			// The short date leaves room for the whole request ID at 80 columns.
			layout := "01-02 15:04"
			if w >= 100 {
				layout = "2006-01-02 15:04:05"
			}
			head += "  " + d.data.created.In(d.c.now().Location()).Format(layout)
		}
		req := "  " + d.c.tr(lblRequest) + " " + termsafe.Line(d.data.requestID)
		// An ID is never cut: when the head has no room for it whole, it
		// shows in the result column instead.
		d.reqInBody = d.data.requestID != "" && ansi.StringWidth(head+req) > w
		if d.data.requestID != "" && !d.reqInBody {
			head += req
		}
	}
	lines = append(lines, padRight(st.title.Render(ansi.Truncate(head, w, "…")), w))
	if !d.loaded {
		lines = append(lines, padRight(st.dim.Render(d.c.tr(msgLoading)), w))
		return fill(lines, d.height, w)
	}

	var tabs strings.Builder
	tabs.WriteString(" ")
	for i, v := range d.data.views {
		label := " " + d.tabLabel(v) + " "
		if i == d.tab {
			tabs.WriteString(st.tabOn.Render(label))
		} else {
			tabs.WriteString(st.tabOff.Render(label))
		}
		tabs.WriteString(" ")
	}
	lines = append(lines, padRight(tabs.String(), w))
	lines = append(lines, st.rule.Render(strings.Repeat("─", w)))

	left := d.resultLines()
	modeLine := st.header.Render(d.c.tr(modeNames[d.mode])) + st.dim.Render("  v ›")
	right := append([]string{padRight(modeLine, d.vp.Width())}, strings.Split(d.vp.View(), "\n")...)
	body := d.height - len(lines)
	sep := st.rule.Render(" │ ")
	for i := 0; i < body; i++ {
		l, r := "", ""
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		lines = append(lines, padRight(l, d.leftW)+sep+padRight(r, w-d.leftW-3))
	}
	return lines
}

// resultLines is the normalised side: what the exchange means.
func (d *detail) resultLines() []string {
	st := d.c.st
	if len(d.data.views) == 0 {
		return nil
	}
	v := d.data.views[d.tab]
	if !v.has {
		return []string{st.outcomeStyle(markStyle(v.state)).Render(d.c.tr(msgInFlight))}
	}
	shown := d.shown()
	lines := d.resultFields(shown)
	if d.try == len(v.tries)-1 || len(v.tries) == 0 {
		lines = append(lines, d.resultNotes(v)...) // what to do is the latest attempt's
	}
	lines = append(lines, d.itemLines(shown.ex.Result)...)
	return append(lines, d.attemptLines(v)...)
}

// labelled lays out label/value lines; a long value wraps at spaces under
// its label, whole words, never cut.
type labelled struct {
	d      *detail
	labelW int
	lines  []string
}

func (l *labelled) add(label text, value string, style func(...string) string) {
	if value == "" {
		return
	}
	st := l.d.c.st
	value = termsafe.Line(value)
	valW := max(4, l.d.leftW-l.labelW-1)
	if longestWord(value) > valW && longestWord(value) <= l.d.leftW {
		// A customer or request ID wider than the value column goes whole
		// on the lines under its label rather than cut in two.
		l.lines = append(l.lines, st.label.Render(l.d.c.tr(label)))
		for _, p := range wrapLines(value, l.d.leftW) {
			if style != nil {
				p = style(p)
			}
			l.lines = append(l.lines, p)
		}
		return
	}
	for i, p := range wrapLines(value, valW) {
		s := strings.Repeat(" ", l.labelW)
		if i == 0 {
			s = padRight(st.label.Render(l.d.c.tr(label)), l.labelW)
		}
		if style != nil {
			p = style(p)
		}
		l.lines = append(l.lines, s+" "+p)
	}
}

// resultLabels are every label resultFields may show: the column is as wide
// as the widest, so none is cut.
var resultLabels = []text{lblOutcome, lblIDs, lblCode, lblSubCode, lblMessage, lblStatus, lblDuration, lblPhases,
	lblAttempts, lblRetry, lblError, lblRequest, lblSource, lblNext}

func (d *detail) resultFields(v exchangeView) []string {
	st := d.c.st
	ex, r := v.ex, v.ex.Result
	l := &labelled{d: d}
	for _, t := range resultLabels {
		l.labelW = max(l.labelW, ansi.StringWidth(d.c.tr(t)))
	}
	l.add(lblOutcome, d.c.outcomeText(string(r.Outcome)), st.outcomeStyle(string(r.Outcome)).Render)
	l.add(lblIDs, strings.Join(r.CustomerIDs, ", "), st.title.Render)
	l.add(lblCode, r.Code, nil)
	l.add(lblSubCode, r.SubCode, nil)
	l.add(lblMessage, d.c.resultMessage(r), nil)
	if ex.Status > 0 {
		l.add(lblStatus, strconv.Itoa(ex.Status), nil)
	}
	dur := textcol.Duration(ex.Duration)
	if ex.FirstByte > 0 && ex.Phases == (platforms.Phases{}) {
		dur += " (" + text{"首字节", "first byte"}.in(d.c.lang) + " " + textcol.Duration(ex.FirstByte) + ")"
	}
	l.add(lblDuration, dur, nil)
	l.add(lblPhases, d.phasesText(ex.Phases), st.dim.Render)
	if v.attempts > 1 {
		l.add(lblAttempts, strconv.Itoa(v.attempts), nil)
	}
	if r.Retryable && v.state == stateQueued {
		// Only what will really be retried says so: a send waiting for a
		// person is not, whatever its answer's kind.
		l.add(lblRetry, text{"是", "yes"}.in(d.c.lang), nil)
	}
	l.add(lblError, ex.Error, st.errText.Render)
	if d.reqInBody {
		l.add(lblRequest, d.data.requestID, nil)
	}
	l.add(lblSource, d.c.tr(d.data.source), st.dim.Render)
	if v.state == stateQueued && !v.nextRetry.IsZero() {
		l.add(lblNext, v.nextRetry.In(d.c.now().Location()).Format("15:04:05"), st.notice.Render)
	}
	return l.lines
}

// mayDuplicate: sending v again may create its member twice (the send
// policy leaves it to a person: its platform keeps no idempotency key and
// the last attempt may have been applied, unanswered or answered
// unreadably).
func (d *detail) mayDuplicate(v exchangeView) bool {
	p, ok := d.c.platform(v.platform)
	return ok && policy.Next(p.Traits(), v.ex.Result, v.ex.Status) == policy.Person
}

// resultNotes say what a person can do with a send that waits for them.
func (d *detail) resultNotes(v exchangeView) []string {
	st := d.c.st
	switch {
	case v.state == stateQueued:
		return nil
	case d.foreign && (v.awaits || v.state == stateDropped):
		lines := []string{""}
		for _, l := range wrapLines(fmt.Sprintf(d.c.tr(msgForeignAwaits), termsafe.Line(d.data.terminal)), d.leftW) {
			lines = append(lines, st.dim.Render(l))
		}
		return lines
	case v.state == stateDropped:
		return []string{"", st.dim.Render(d.c.tr(msgDroppedResend))}
	case !d.foreign && v.has && v.ex.Result.Code == dispatch.CodeEnrolledElsewhere:
		lines := []string{""}
		for _, l := range wrapLines(d.c.tr(msgHeldElsewhere), d.leftW) {
			lines = append(lines, st.dim.Render(l))
		}
		return lines
	case !v.awaits:
		return nil
	}
	why := msgAwaits
	if p, ok := d.c.platform(v.platform); ok && d.mayDuplicate(v) {
		why = text{fmt.Sprintf(msgAwaitsNoKey.zh, titleIn(p, "zh")), fmt.Sprintf(msgAwaitsNoKey.en, p.Title())}
	}
	lines := []string{""}
	for _, l := range wrapLines(d.c.tr(why), d.leftW) {
		lines = append(lines, st.notice.Render(l))
	}
	return append(lines, st.dim.Render(d.c.tr(msgResendDrop)))
}

// itemLines list a batch answer's items, one line each.
func (d *detail) itemLines(r platforms.Result) []string {
	if len(r.Items) <= 1 {
		return nil
	}
	lines := []string{d.c.st.label.Render(d.c.tr(lblItems))}
	for _, it := range r.Items {
		parts := []string{"#" + strconv.Itoa(it.Index), d.c.outcomeText(string(it.Outcome))}
		for _, p := range []string{it.CustomerID, it.Code, it.Message} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		lines = append(lines, ansi.Truncate(" "+termsafe.Line(strings.Join(parts, " ")), d.leftW, "…"))
	}
	return lines
}

func longestWord(s string) int {
	n := 0
	for _, w := range strings.Fields(s) {
		n = max(n, ansi.StringWidth(w))
	}
	return n
}

// shown is the attempt on screen: the chosen one of the tab's tries, or the
// tab's view itself.
func (d *detail) shown() exchangeView {
	v := d.data.views[d.tab]
	if d.try >= 0 && d.try < len(v.tries)-1 {
		return v.tries[d.try]
	}
	return v
}

// pickTry moves to an older (-1) or newer (+1) attempt of the tab.
func (d *detail) pickTry(dir int) {
	v, ok := d.current()
	if !ok || len(v.tries) < 2 {
		return
	}
	d.try = max(0, min(len(v.tries)-1, d.try+dir))
	d.refresh(false)
}

// latestTry points the tab at its newest attempt.
func (d *detail) latestTry() {
	if v, ok := d.current(); ok {
		d.try = len(v.tries) - 1
	}
}

// attemptLines list every attempt of the tab: when, outcome, how long; the
// one shown is marked, and [ ] move between them.
func (d *detail) attemptLines(v exchangeView) []string {
	if len(v.tries) < 2 {
		return nil
	}
	st := d.c.st
	lines := []string{"", st.label.Render(d.c.tr(lblAttemptList)) + st.dim.Render("  [ ]")}
	loc := d.c.now().Location()
	for i, t := range v.tries {
		mark := "  "
		if i == d.try {
			mark = st.focusMark.Render("› ")
		}
		o := string(t.ex.Result.Outcome)
		line := mark + "#" + strconv.Itoa(i+1) + " " + t.ex.Started.In(loc).Format("01-02 15:04:05") + " " +
			st.outcomeStyle(o).Render(d.c.outcomeText(o)) + " " + st.dim.Render(textcol.Duration(t.ex.Duration))
		lines = append(lines, ansi.Truncate(line, d.leftW, "…"))
	}
	return lines
}

// phasesText is the exchange's steps, the ones that happened.
func (d *detail) phasesText(p platforms.Phases) string {
	if p == (platforms.Phases{}) {
		return ""
	}
	var parts []string
	for _, ph := range []struct {
		name text
		d    time.Duration
	}{{text{"DNS", "DNS"}, p.DNS}, {text{"连接", "connect"}, p.Connect}, {text{"TLS", "TLS"}, p.TLS},
		{text{"等待", "wait"}, p.Wait}, {text{"正文", "body"}, p.Body}} {
		if ph.d > 0 {
			// A no-break space keeps a step's name with its time when the line wraps.
			parts = append(parts, d.c.tr(ph.name)+"\u00a0"+textcol.Duration(ph.d))
		}
	}
	if p.Reused {
		parts = append(parts, d.c.tr(text{"复用连接", "reused connection"}))
	}
	return strings.Join(parts, " · ")
}
