package ui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/platforms/termsafe"
)

// lineInput is the one-line text input of the form's text and tags fields
// and of the history's search line. Bubbles' textinput holds the value and
// edits it (keys, paste, word motions). The window shown is kept here, in
// display columns, because textinput v2.2.1 cannot be shown as it is: its
// View writes a pasted bidi override or zero-width character raw to the
// terminal, and its Cursor counts runes rather than columns and ignores its
// own scroll offset (charmbracelet/bubbles#906 and #1001, open). Whatever
// the terminal would act on shows as its escape, and widths count the escape.
type lineInput struct {
	in   textinput.Model
	left int    // first visible rune
	val  string // in.Value(), which builds a new string on every call
}

func newLineInput(placeholder string) lineInput {
	in := textinput.New()
	in.Prompt = ""
	in.SetVirtualCursor(false)
	in.Placeholder = placeholder
	return lineInput{in: in}
}

func (l *lineInput) value() string { return l.val }

// setValue replaces the text and puts the cursor at its end.
func (l *lineInput) setValue(v string) {
	l.in.SetValue(v)
	l.in.CursorEnd()
	l.left = 0
	l.val = l.in.Value()
}

func (l *lineInput) focus() tea.Cmd { return l.in.Focus() }
func (l *lineInput) blur()          { l.in.Blur() }

// update passes a key or a paste to textinput. changed: the text changed;
// moved: only the cursor did.
func (l *lineInput) update(msg tea.Msg) (changed, moved bool, cmd tea.Cmd) {
	pos := l.in.Position()
	l.in, cmd = l.in.Update(msg)
	before := l.val
	l.val = l.in.Value()
	return l.val != before, l.in.Position() != pos, cmd
}

// scroll keeps the cursor inside w columns.
func (l *lineInput) scroll(w int) {
	l.left = scrollStart(l.val, l.in.Position(), l.left, w)
}

// view is the window of the text at width w: the part holding the cursor
// when focused, the start (cut with "…") when not. The placeholder shows in
// an empty input when placeholder is true.
func (l *lineInput) view(st *styles, w int, focused, placeholder bool) string {
	v := l.val
	if v == "" {
		if placeholder && l.in.Placeholder != "" {
			return st.placehold.Render(ansi.Truncate(l.in.Placeholder, w, "…"))
		}
		return ""
	}
	if !focused {
		return st.value.Render(ansi.Truncate(termsafe.Line(v), w, "…"))
	}
	l.scroll(w)
	runes := []rune(v)
	return st.value.Render(ansi.Truncate(termsafe.Line(string(runes[min(l.left, len(runes)):])), w, ""))
}

// cursorX is the cursor's column within the window of width w.
func (l *lineInput) cursorX(w int) int {
	l.scroll(w)
	runes := []rune(l.val)
	pos := min(l.in.Position(), len(runes))
	return min(shownWidth(string(runes[min(l.left, pos):pos])), max(0, w-1))
}

// place puts the cursor at column col of the window (a click).
func (l *lineInput) place(col, w int) {
	runes := []rune(l.val)
	x, pos := 0, min(l.left, len(runes))
	for pos < len(runes) {
		rw := runeWidth(runes[pos])
		if x+rw > col {
			break
		}
		x += rw
		pos++
	}
	l.in.SetCursor(pos)
	l.scroll(w)
}

// scrollStart is the first rune to show of value in w display columns so that
// the cursor at pos stays visible, moving as little as possible from left. It
// walks from the cursor, so a long paste costs one pass, not one per rune.
func scrollStart(value string, pos, left, w int) int {
	runes := []rune(value)
	pos = min(pos, len(runes))
	left = min(left, pos)
	// The cursor needs its own cell: the text from left to pos must stay under w.
	acc, i := 0, pos
	for i > left {
		rw := runeWidth(runes[i-1])
		if acc+rw >= w {
			break
		}
		acc += rw
		i--
	}
	if i > left {
		return i
	}
	// Deleting may leave room: bring back text scrolled off on the left.
	tail := 0
	for _, r := range runes[left:] {
		tail += runeWidth(r)
	}
	for left > 0 && tail+runeWidth(runes[left-1]) < w {
		left--
		tail += runeWidth(runes[left])
	}
	return left
}

// runeWidth is the columns r takes on screen: a character the sanitiser
// escapes takes its escape's width.
func runeWidth(r rune) int {
	if termsafe.Unsafe(r) {
		return ansi.StringWidth(termsafe.Line(string(r)))
	}
	return ansi.StringWidth(string(r))
}

// shownWidth is the columns s takes once made terminal-safe.
func shownWidth(s string) int { return ansi.StringWidth(termsafe.Line(s)) }

// oneLine joins a paste's lines: a line input holds one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
