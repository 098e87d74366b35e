package ui

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

// tagsField holds committed tags as chips and a pending tag being typed.
type tagsField struct {
	fieldBase
	c    *common
	tags []string
	in   lineInput
}

func newTagsField(c *common, b fieldBase) *tagsField {
	return &tagsField{fieldBase: b, c: c, in: newLineInput(placeholders[b.spec.key].in(c.lang))}
}

func (t *tagsField) keys() []key.Binding {
	k := t.c.keys.form
	return []key.Binding{k.AddTag, k.DropLastTag}
}

// update: enter, ";" and "," commit the pending tag; backspace on an empty
// pending tag removes the last one; anything else edits the pending tag.
func (t *tagsField) update(msg tea.Msg) fieldResult {
	k := t.c.keys.form
	switch msg := msg.(type) {
	case tea.PasteMsg:
		changed, _, cmd := t.in.update(tea.PasteMsg{Content: oneLine(strings.TrimSpace(msg.Content))})
		t.commit(false)
		return fieldResult{handled: true, changed: changed, cmd: cmd}
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.AddTag):
			if msg.String() == "enter" && strings.TrimSpace(t.in.value()) == "" {
				return fieldResult{} // enter on nothing pending: the next field
			}
			t.commit(true)
			return fieldResult{handled: true, changed: true}
		case key.Matches(msg, k.DropLastTag) && t.in.value() == "" && len(t.tags) > 0:
			t.tags = t.tags[:len(t.tags)-1]
			return fieldResult{handled: true, changed: true}
		case key.Matches(msg, k.DropLastTag) && t.in.value() == "":
			return fieldResult{handled: true}
		}
	}
	changed, moved, cmd := t.in.update(msg)
	return fieldResult{handled: true, changed: changed, moved: moved, cmd: cmd}
}

// commit moves complete tags out of the pending text; all of it when
// everything is complete (a separator or enter was typed).
func (t *tagsField) commit(all bool) {
	v := t.in.value()
	rest := ""
	if !all {
		i := strings.LastIndexAny(v, ";,；，")
		if i < 0 {
			return
		}
		_, size := utf8.DecodeRuneInString(v[i:])
		v, rest = v[:i], v[i+size:]
	}
	t.tags = append(t.tags, platforms.SplitTags(v)...)
	t.in.setValue(rest)
}

// inputW is the width left for the pending tag after the chips.
func (t *tagsField) inputW(w int) int {
	_, cw := t.chips(w)
	return max(2, w-cw)
}

func (t *tagsField) value(w int, focused bool) string {
	chips, cw := t.chips(w)
	return chips + t.in.view(t.c.st, max(2, w-cw), focused, focused)
}

func (t *tagsField) cursor(w int) (int, bool) {
	_, cw := t.chips(w)
	return cw + t.in.cursorX(t.inputW(w)), true
}

func (t *tagsField) click(int, int) fieldResult { return fieldResult{handled: true} }

func (t *tagsField) focus() {
	t.in.focus()
	t.in.in.CursorEnd()
}

func (t *tagsField) blur()        { t.in.blur() }
func (t *tagsField) typing() bool { return true }
func (t *tagsField) empty() bool  { return len(t.tags) == 0 && t.in.value() == "" }

func (t *tagsField) reset() {
	t.tags = nil
	t.in.setValue("")
	t.touched = false
}

func (t *tagsField) load(c platforms.Customer) {
	t.tags = append([]string(nil), c.Tags...)
	t.in.setValue("")
}

func (t *tagsField) save(c *platforms.Customer) error {
	c.Tags = append(append([]string(nil), t.tags...), platforms.SplitTags(t.in.value())...)
	return nil
}

// chips renders committed tags that fit in w (the newest ones, with a count
// of the hidden), leaving room for typing, and their display width.
func (t *tagsField) chips(w int) (string, int) {
	if len(t.tags) == 0 {
		return "", 0
	}
	room := w - min(12, w/2)
	var parts []string
	used, hidden := 0, 0
	for i := len(t.tags) - 1; i >= 0; i-- {
		cw := shownWidth(t.tags[i]) + 3
		if used+cw > room {
			hidden = i + 1
			break
		}
		parts = append(parts, termsafe.Line(t.tags[i]))
		used += cw
	}
	var b strings.Builder
	width := 0
	if hidden > 0 {
		s := "+" + strconv.Itoa(hidden) + " "
		b.WriteString(t.c.st.dim.Render(s))
		width += len(s)
	}
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(t.c.st.chip.Render("[" + parts[i] + "]"))
		b.WriteByte(' ')
		width += ansi.StringWidth(parts[i]) + 3
	}
	return b.String(), width
}
