package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// View lays out: a title line (with the sandbox banner), the body (form and
// history side by side, or the opened entry), a status line and the help bar.
func (m *Model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "custdesk"
	if m.width <= 0 || m.height <= 0 || m.quitting {
		return v
	}
	bodyH := max(1, m.height-m.bodyTop-2)

	lines := make([]string, 0, m.height)
	lines = append(lines, m.titleLine())

	var cursor *tea.Cursor
	switch {
	case m.showHelp:
		lines = append(lines, m.fullHelp(bodyH)...)
	case m.focus == paneDetail && m.curl != nil:
		lines = append(lines, m.curl.view()...)
		// The terminal's own selection works without the mouse reported.
		v.MouseMode = tea.MouseModeNone
	case m.focus == paneDetail && m.detail != nil:
		lines = append(lines, m.detail.view()...)
	case m.twoPanes():
		formLines, cx, cy, ok := m.form.view(m.focus == paneForm)
		histLines := m.history.view(m.focus == paneHistory)
		for i := 0; i < bodyH; i++ {
			lines = append(lines, formLines[i]+histLines[i])
		}
		if ok && m.focus == paneForm {
			cursor = m.cursorAt(cx, cy+m.bodyTop)
		}
		if m.searching() {
			cursor = m.cursorAt(m.formW+m.history.searchX, m.bodyTop+1)
		}
	case m.focus == paneForm:
		formLines, cx, cy, ok := m.form.view(true)
		lines = append(lines, formLines...)
		if ok {
			cursor = m.cursorAt(cx, cy+m.bodyTop)
		}
	default:
		lines = append(lines, m.history.view(true)...)
		if m.searching() {
			cursor = m.cursorAt(m.history.searchX, m.bodyTop+1)
		}
	}
	lines = append(lines, m.statusLine(), m.helpLine())
	v.SetContent(strings.Join(lines[:min(len(lines), m.height)], "\n"))
	v.Cursor = cursor
	return v
}

func (m *Model) cursorAt(x, y int) *tea.Cursor {
	c := tea.NewCursor(x, y)
	c.Shape = tea.CursorBar
	c.Blink = true
	c.Color = m.c.st.cursorColor()
	return c
}

func (m *Model) titleLine() string {
	return m.memo(fmt.Sprint("title", m.width, m.stats.Queued, m.stats.Attention, m.centralText), m.renderTitle)
}

func (m *Model) renderTitle() string {
	st := m.c.st
	left := st.title.Render(" " + m.c.tr(msgTitle) + " ")
	if m.sandbox != "" {
		left += " " + st.banner.Render(" "+m.c.tr(msgSandbox)+m.sandbox+" ")
	}
	var parts []string
	if n := m.stats.Attention; n > 0 {
		parts = append(parts, st.errText.Render(strings.Replace(m.c.tr(msgNeedsYou), "%d", strconv.Itoa(n), 1)))
	}
	if n := m.stats.Queued; n > 0 {
		parts = append(parts, st.notice.Render(strings.Replace(m.c.tr(msgQueued), "%d", strconv.Itoa(n), 1)))
	}
	right := ""
	if len(parts) > 0 {
		right = strings.Join(parts, st.dim.Render(" · ")) + " "
	}
	if m.centralText != "" {
		right = st.dim.Render(m.centralText) + "  " + right
	}
	gap := m.width - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 1 {
		return padRight(left, m.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

// statusLine shows sends in flight (spinner and elapsed time per platform),
// else the last notice.
func (m *Model) statusLine() string {
	st := m.c.st
	if m.searching() && !m.confirmQuit {
		// The pane is too narrow for the filters' syntax: it shows here,
		// full width, or what is wrong with the line as typed.
		if p := m.history.search.problem; p != nil {
			return padRight(st.errText.Render(" "+m.c.tr(*p)), m.width)
		}
		return padRight(st.dim.Render(" "+m.searchHint()), m.width)
	}
	if len(m.subs) > 0 && !m.confirmQuit && m.question == nil {
		s := m.subs[len(m.subs)-1]
		var b strings.Builder
		b.WriteString(st.notice.Render(m.spin.View()) + " " + s.name + " ")
		now := m.c.now()
		for _, name := range s.names {
			title := m.c.platformTitle(name)
			if ex, ok := s.results[name]; ok {
				o := string(ex.Result.Outcome)
				b.WriteString(" " + title + " " + st.outcomeStyle(o).Render(o) + " " + st.dim.Render(fmtDur(ex.Duration)))
			} else {
				b.WriteString(" " + title + " " + st.outcomeStyle(statePending).Render(m.c.tr(msgSending)) + " " + st.dim.Render(fmtDur(now.Sub(s.started))))
			}
		}
		if len(m.subs) > 1 {
			b.WriteString(st.dim.Render(" (+" + strconv.Itoa(len(m.subs)-1) + ")"))
		}
		b.WriteString(st.dim.Render("  ctrl+g ✕"))
		return padRight(b.String(), m.width)
	}
	if m.notice == "" {
		return strings.Repeat(" ", m.width)
	}
	style := st.status
	if m.noticeErr {
		style = st.errText
	}
	return padRight(style.Render(" "+m.notice), m.width)
}

func fmtDur(d time.Duration) string {
	if d < 10*time.Millisecond {
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + "ms"
	}
	if d < time.Second {
		return strconv.Itoa(int(d/time.Millisecond)) + "ms"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + "s"
}

func (m *Model) helpLine() string {
	kind := fieldKind(-1)
	if m.focus == paneForm {
		kind = m.form.fields[m.form.focus].spec.kind
	}
	awaits := ""
	if m.focus == paneDetail && m.detail != nil {
		v, _ := m.detail.current()
		awaits = fmt.Sprint(v.awaits, v.state)
	}
	key := fmt.Sprint("help", m.focus, kind, m.inFlight() > 0, m.offerAgain(), awaits, m.width, m.searching(), m.history.search.visible(), m.curl != nil)
	return m.memo(key, func() string { return padRight(m.help.ShortHelpView(m.shortHelp()), m.width) })
}

// memo keeps lines that depend only on a little state (the help bar, the
// title), so a keystroke does not render them again. It is emptied when it
// grows past what the states it holds can explain.
func (m *Model) memo(key string, render func() string) string {
	if s, ok := m.lines[key]; ok {
		return s
	}
	if m.lines == nil || len(m.lines) > 256 {
		m.lines = map[string]string{}
	}
	s := render()
	m.lines[key] = s
	return s
}

// shortHelp is the help bar for what has the focus.
func (m *Model) shortHelp() []key.Binding {
	g, f, h, d := m.c.keys.global, m.c.keys.form, m.c.keys.history, m.c.keys.detail
	switch m.focus {
	case paneDetail:
		if m.curl != nil {
			return []key.Binding{d.Close, d.Up, g.Quit}
		}
		bs := []key.Binding{d.Close, d.NextPlatform, d.Mode}
		if v, ok := m.detail.current(); ok && v.awaits {
			bs = append(bs, d.Resend, d.Drop)
		} else if ok && v.state == stateDropped {
			bs = append(bs, d.Resend)
		}
		return append(bs, d.Curl, d.Edit, d.Up, g.Help)
	case paneHistory:
		sk := m.c.keys.search
		switch {
		case m.searching():
			return []key.Binding{sk.Done, sk.Clear, sk.Select, g.Submit, g.Help, g.Quit}
		case m.history.search.visible():
			return []key.Binding{h.Open, h.Search, h.ClearSearch, h.Inbox, h.Export, h.Up, g.Help, g.Quit}
		}
		return []key.Binding{h.Open, h.Search, h.Inbox, h.Export, h.Up, h.Back, g.Help, g.Quit}
	}
	fl := m.form.fields[m.form.focus]
	bs := []key.Binding{g.Submit, f.Next}
	switch fl.spec.kind {
	case kindPlatform:
		bs = append(bs, f.Toggle)
	case kindChoice:
		bs = append(bs, f.ChoiceNext)
	case kindTags:
		bs = append(bs, f.AddTag)
	}
	if m.inFlight() > 0 {
		bs = append(bs, g.Cancel)
	}
	if m.offerAgain() {
		bs = append(bs, g.Again)
	}
	return append(bs, g.Panes, g.Help, g.Quit)
}

func (m *Model) fullHelp(h int) []string {
	g, f, hk, d := m.c.keys.global, m.c.keys.form, m.c.keys.history, m.c.keys.detail
	// Pairs share a line, so the four blocks and the legend fit 80x24.
	shown := func(keys string, t text) key.Binding {
		return key.NewBinding(key.WithKeys(keys), key.WithHelp(keys, m.c.tr(t)))
	}
	scroll := shown("↑/↓ </> pgup/pgdn", text{"滚动", "scroll"})
	resendDrop := shown("r/d", text{"重新发送/放弃", "resend/drop"})
	export := shown("x", text{"导出 JSONL 和 CSV", "export JSONL+CSV"})
	groups := []struct {
		title text
		keys  []key.Binding
	}{
		{text{"全局", "Anywhere"}, []key.Binding{g.Submit, g.Cancel, g.Again, g.Panes, g.Help, g.Quit}},
		{text{"表单", "Form"}, []key.Binding{f.Next, f.Prev, f.ScrollUp, f.Toggle, f.ChoiceNext, f.AddTag, f.Clear}},
		{text{"历史", "History"}, []key.Binding{hk.Up, hk.PageUp, hk.Top, hk.Open, hk.Search, hk.Inbox, export}},
		{text{"详情", "Entry"}, []key.Binding{d.NextPlatform, d.Mode, scroll, resendDrop, d.Edit, d.Curl, d.Close}},
	}
	hm := m.help
	hm.ShowAll = true
	hm.SetWidth(0)
	blocks := make([][]string, len(groups))
	widths := make([]int, len(groups))
	for i, gr := range groups {
		blocks[i] = append([]string{m.c.st.group.Render(m.c.tr(gr.title))}, strings.Split(hm.FullHelpView([][]key.Binding{gr.keys}), "\n")...)
		for _, l := range blocks[i] {
			widths[i] = max(widths[i], ansi.StringWidth(l))
		}
	}
	// As many blocks side by side as the width takes; the rest below.
	var lines []string
	for i := 0; i < len(blocks); {
		n, w := 1, 1+widths[i]
		for i+n < len(blocks) && w+4+widths[i+n] <= m.width {
			w += 4 + widths[i+n]
			n++
		}
		height := 0
		for _, b := range blocks[i : i+n] {
			height = max(height, len(b))
		}
		for y := range height {
			l := " "
			for j, b := range blocks[i : i+n] {
				cell := ""
				if y < len(b) {
					cell = b[y]
				}
				if j < n-1 {
					cell = padRight(cell, widths[i+j]+4)
				}
				l += cell
			}
			lines = append(lines, l)
		}
		lines = append(lines, "")
		i += n
	}
	legend := wrapLines(m.c.tr(msgLegend)+"  "+m.c.tr(msgMouse), m.width-2)
	if syntax := wrapLines(m.c.tr(msgSearchSyntax), m.width-2); len(lines)+len(syntax)+len(legend) <= h {
		// Where there is room; the search line shows an example anyway.
		legend = append(syntax, legend...)
	}
	for _, l := range legend {
		lines = append(lines, m.c.st.dim.Render(" "+l))
	}
	for i := range lines {
		lines[i] = padRight(lines[i], m.width)
	}
	return fill(lines, h, m.width)
}

// searchHint is the search example, with a configured platform's name as the
// platform filter.
func (m *Model) searchHint() string {
	name := "NAME"
	if n := len(m.c.platforms); n > 0 {
		name = m.c.platforms[n-1].Name()
	}
	return fmt.Sprintf(m.c.tr(msgSearchHint), name)
}
