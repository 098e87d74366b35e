package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"
)

// fullHelp is the help screen (f1): every key by where it works, as many
// blocks side by side as the width takes, then the legend.
func (m *Model) fullHelp(h int) []string {
	g, d := m.c.keys.global, m.c.keys.detail
	// Pairs share a line, so the four blocks and the legend fit 80x24.
	shown := func(keys string, t text) key.Binding {
		return key.NewBinding(key.WithKeys(keys), key.WithHelp(keys, m.c.tr(t)))
	}
	scroll := shown("↑/↓ </> pgup/pgdn", text{"滚动", "scroll"})
	resendDrop := shown("r/d", text{"重新发送/放弃", "resend/drop"})
	copies := shown("y/Y c", text{"复制客户ID/请求ID/curl", "copy ID / request ID / curl"})
	tabs := shown("tab/←/→ [/]", text{"平台，各次尝试", "platform, attempt"})
	entry := []key.Binding{tabs, d.Mode, scroll, resendDrop, d.Edit, copies, d.Close}
	if m.readOnlyEntry() {
		entry = []key.Binding{tabs, d.Mode, scroll, copies, d.Close}
	}
	groups := []struct {
		title text
		keys  []key.Binding
	}{
		{text{"全局", "Anywhere"}, []key.Binding{g.Submit, g.Cancel, g.Again, g.Panes, shown("f1/?", text{"帮助（文本框里 ? 照常输入）", "help (? types in a text field)"}), g.Quit}},
		{text{"表单", "Form"}, m.form.FullHelp()[0]},
		{text{"历史", "History"}, m.history.FullHelp()[0]},
		{text{"详情", "Entry"}, entry},
	}
	hm := m.helpBar.help
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
