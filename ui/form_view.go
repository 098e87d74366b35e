package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// View renders the visible lines, each exactly width columns.
func (f *form) View() []string {
	focused := f.active
	end := min(len(f.lines), f.offset+f.height)
	lines := make([]string, 0, f.height)
	for li := f.offset; li < end; li++ {
		lines = append(lines, f.line(li, focused))
	}
	blank := f.cached("blank", func() string { return "" })
	for len(lines) < f.height {
		lines = append(lines, blank)
	}
	bar := f.scrollbar()
	for i := range lines {
		lines[i] += bar[i]
	}
	return lines
}

// Cursor is where the real cursor goes in the pane; ok false when the
// focused field shows none or is scrolled off.
func (f *form) Cursor() (x, y int, ok bool) {
	cx, ok := f.focused().cursor(f.valueW())
	row := f.rowOf[f.focus] - f.offset
	if !ok || row < 0 || row >= f.height {
		return 0, 0, false
	}
	return min(f.valueX()+cx, f.contentW()-1), row, true
}

func (f *form) line(li int, focused bool) string {
	st := f.c.st
	l := f.lines[li]
	switch l.kind {
	case lineGroup:
		return f.cached("g"+l.text, func() string {
			title := " " + l.text + " "
			return st.rule.Render("─") + st.group.Render(title) + st.rule.Render(strings.Repeat("─", max(0, f.contentW()-ansi.StringWidth(title)-1)))
		})
	case lineToggles:
		key := "t" + strconv.Itoa(li)
		for _, i := range l.toggles {
			key += strconv.FormatBool(f.plats[i].on) + strconv.FormatBool(focused && i == f.focus)
		}
		return f.cached(key, func() string { return f.renderToggles(l, focused) })
	case lineField:
		return f.renderRow(l.field, focused)
	case lineHint:
		return f.renderHint(l.text)
	case lineError:
		mark := "✗ "
		if l.cont {
			mark = "  "
		}
		return f.cached("e"+mark+l.text, func() string {
			return strings.Repeat(" ", f.errIndent()) + st.errText.Render(mark+l.text)
		})
	}
	indent := f.errIndent()
	if l.field < 0 {
		indent = 2
	}
	return f.cached("n"+strconv.Itoa(indent)+l.text, func() string {
		return strings.Repeat(" ", indent) + st.hint.Render(l.text)
	})
}

// scrollbar is the column right of the form: a plain divider when the form
// fits, with a thumb showing where the view is when it scrolls.
func (f *form) scrollbar() []string {
	bar := make([]string, f.height)
	total := len(f.lines)
	thumb, start := 0, 0
	if total > f.height && f.height > 0 {
		thumb = max(1, f.height*f.height/total)
		start = f.offset * (f.height - thumb) / max(1, total-f.height)
	}
	track := f.cached("track", func() string { return f.c.st.rule.Render("│") })
	thumbGlyph := f.cached("thumb", func() string { return f.c.st.focusMark.Render("┃") })
	for i := range bar {
		if i >= start && i < start+thumb {
			bar[i] = thumbGlyph
		} else {
			bar[i] = track
		}
	}
	return bar
}

// cached returns the rendered line for key, padded to the content width,
// rendering it once per width.
func (f *form) cached(key string, render func() string) string {
	if s, ok := f.static[key]; ok {
		return s
	}
	if f.static == nil {
		f.static = map[string]string{}
	}
	s := render()
	if key != "track" && key != "thumb" {
		s = padRight(s, f.contentW())
	}
	f.static[key] = s
	return s
}

func (f *form) renderToggles(l formLine, focused bool) string {
	st := f.c.st
	var b strings.Builder
	mark := " "
	for _, i := range l.toggles {
		if focused && i == f.focus {
			mark = st.focusMark.Render("›")
		}
	}
	b.WriteString(mark)
	x := 1
	for j, i := range l.toggles {
		t := f.plats[i]
		b.WriteString(strings.Repeat(" ", max(0, l.xs[j]-x)))
		s := t.value(0, false)
		x = l.xs[j] + ansi.StringWidth(s)
		switch {
		case focused && i == f.focus:
			s = st.rowFocused.Render(s)
		case t.on:
			s = st.choiceOn.Render(s)
		default:
			s = st.choiceOff.Render(s)
		}
		b.WriteString(s)
	}
	return b.String()
}

// renderRow renders one field's row, reusing the last rendering when nothing
// about the field changed: a keystroke re-renders one row, not the form.
func (f *form) renderRow(i int, focused bool) string {
	fl := f.fields[i]
	b := fl.base()
	isFocus := focused && i == f.focus
	if !b.rowDirty && b.row != "" && !isFocus {
		return b.row
	}
	st := f.c.st
	mark := " "
	label := st.label.Render(padRight(b.label, f.labelW))
	if isFocus {
		mark = st.focusMark.Render("›")
		label = st.labelFocus.Render(padRight(b.label, f.labelW))
	}
	req := " "
	if f.required[b.spec.key] {
		req = st.required.Render("*")
	}
	s := padRight(mark+" "+label+req+" "+fl.value(f.valueW(), isFocus), f.contentW())
	if !isFocus {
		b.row, b.rowDirty = s, false
	} else {
		b.rowDirty = true // the focus look must not be reused once focus leaves
	}
	return s
}
