package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

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
}

// detailData is a submission opened from the history.
type detailData struct {
	id        int64
	requestID string
	created   time.Time
	customer  platforms.Customer
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
	names := make([]string, 0, len(ex.ResponseHeaders))
	for k := range ex.ResponseHeaders {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		lines = append(lines, termsafe.Line(k)+": "+termsafe.Line(ex.ResponseHeaders[k]))
	}
	lines = append(lines, fmt.Sprintf("-- %d bytes --", len(ex.Response)))
	return append(lines, strings.Split(termsafe.Text(string(ex.Response)), "\n")...)
}

func requestText(lang string, t platforms.Trace) []string {
	lines := []string{termsafe.Line(t.Method + " " + t.URL)}
	names := make([]string, 0, len(t.Headers))
	for k := range t.Headers {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
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
}

func newDetail(c *common, id int64) *detail {
	d := &detail{c: c, data: detailData{id: id}}
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
	d.refresh(keepTab != "")
}

func (d *detail) setSize(w, h int) {
	d.width, d.height = w, h
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
	v := d.data.views[d.tab]
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

func (d *detail) update(msg tea.Msg) (closed bool) {
	k := d.c.keys.detail
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		n := max(1, len(d.data.views))
		switch {
		case key.Matches(msg, k.Close):
			return true
		case key.Matches(msg, k.Resend), key.Matches(msg, k.Drop), key.Matches(msg, k.Edit), key.Matches(msg, k.Curl):
			return false // the root acts on these
		case key.Matches(msg, k.NextPlatform):
			d.tab = (d.tab + 1) % n
			d.refresh(false)
		case key.Matches(msg, k.PrevPlatform):
			d.tab = (d.tab + n - 1) % n
			d.refresh(false)
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
	case tea.MouseWheelMsg:
		d.vp, _ = d.vp.Update(msg)
	}
	return false
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

func (d *detail) view() []string {
	st := d.c.st
	w := d.width
	lines := make([]string, 0, d.height)

	head := "#" + strconv.FormatInt(d.data.id, 10)
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
		if d.data.requestID != "" {
			head += "  " + d.c.tr(lblRequest) + " " + termsafe.Line(d.data.requestID)
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
	ex, r := v.ex, v.ex.Result
	labelW := 0
	for _, t := range []text{lblOutcome, lblIDs, lblCode, lblSubCode, lblMessage, lblStatus, lblDuration, lblAttempts, lblRetry, lblError} {
		labelW = max(labelW, ansi.StringWidth(d.c.tr(t)))
	}
	valW := max(4, d.leftW-labelW-1)
	var lines []string
	add := func(label text, value string, style func(...string) string) {
		if value == "" {
			return
		}
		parts := wrapLines(termsafe.Line(value), valW)
		for i, p := range parts {
			l := strings.Repeat(" ", labelW)
			if i == 0 {
				l = padRight(st.label.Render(d.c.tr(label)), labelW)
			}
			if style != nil {
				p = style(p)
			}
			lines = append(lines, l+" "+p)
		}
	}
	add(lblOutcome, string(r.Outcome), st.outcomeStyle(string(r.Outcome)).Render)
	add(lblIDs, strings.Join(r.CustomerIDs, ", "), st.title.Render)
	add(lblCode, r.Code, nil)
	add(lblSubCode, r.SubCode, nil)
	add(lblMessage, r.Message, nil)
	if ex.Status > 0 {
		add(lblStatus, strconv.Itoa(ex.Status), nil)
	}
	dur := fmtDur(ex.Duration)
	if ex.FirstByte > 0 {
		dur += " (" + text{"首字节", "first byte"}.in(d.c.lang) + " " + fmtDur(ex.FirstByte) + ")"
	}
	add(lblDuration, dur, nil)
	if v.attempts > 1 {
		add(lblAttempts, strconv.Itoa(v.attempts), nil)
	}
	if r.Retryable && v.state == stateQueued {
		// Only what will really be retried says so: a send waiting for a
		// person is not, whatever its answer's kind.
		add(lblRetry, text{"是", "yes"}.in(d.c.lang), nil)
	}
	add(lblError, ex.Error, st.errText.Render)
	switch {
	case v.state == stateQueued && !v.nextRetry.IsZero():
		add(lblNext, v.nextRetry.In(d.c.now().Location()).Format("15:04:05"), st.notice.Render)
	case v.state == stateDropped:
		lines = append(lines, "", st.dim.Render(d.c.tr(msgDroppedResend)))
	case v.awaits:
		why := msgAwaits
		if p, ok := d.c.platform(v.platform); ok && !p.Traits().Idempotent && r.Outcome == platforms.Unknown {
			why = text{fmt.Sprintf(msgAwaitsNoKey.zh, p.Title()), fmt.Sprintf(msgAwaitsNoKey.en, p.Title())}
		}
		lines = append(lines, "")
		for _, l := range wrapLines(d.c.tr(why), d.leftW) {
			lines = append(lines, st.notice.Render(l))
		}
		lines = append(lines, st.dim.Render(d.c.tr(msgResendDrop)))
	}
	if len(r.Items) > 1 {
		lines = append(lines, st.label.Render(d.c.tr(lblItems)))
		for _, it := range r.Items {
			parts := []string{"#" + strconv.Itoa(it.Index), string(it.Outcome)}
			for _, p := range []string{it.CustomerID, it.Code, it.Message} {
				if p != "" {
					parts = append(parts, p)
				}
			}
			lines = append(lines, ansi.Truncate(" "+termsafe.Line(strings.Join(parts, " ")), d.leftW, "…"))
		}
	}
	return lines
}

// hardWrap appends line cut into pieces of at most w columns. Bodies are
// plain text (termsafe ran), so it measures rune by rune, with a fast
// path for ASCII: a megabyte of minified JSON wraps in milliseconds.
func hardWrap(out []string, line string, w int) []string {
	start, col := 0, 0
	for i, r := range line {
		rw := 1
		if r >= 0x80 {
			rw = runeWidth(r)
		}
		if col+rw > w && i > start {
			out = append(out, line[start:i])
			start, col = i, 0
		}
		col += rw
	}
	return append(out, line[start:])
}

func fill(lines []string, h, w int) []string {
	for len(lines) < h {
		lines = append(lines, strings.Repeat(" ", w))
	}
	return lines[:h]
}
