package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/platforms"
)

// textField is a one-line text field: a name, a mobile, an address.
type textField struct {
	fieldBase
	c  *common
	in lineInput
}

func newTextField(c *common, b fieldBase) *textField {
	ph := ""
	if t, ok := placeholders[b.spec.key]; ok {
		ph = t.in(c.lang)
	}
	return &textField{fieldBase: b, c: c, in: newLineInput(ph)}
}

func (t *textField) keys() []key.Binding { return nil }

func (t *textField) update(msg tea.Msg) fieldResult {
	if p, ok := msg.(tea.PasteMsg); ok {
		// Surrounding blanks and line breaks are dropped: a mobile copied
		// from a chat arrives with a trailing newline.
		msg = tea.PasteMsg{Content: oneLine(strings.TrimSpace(p.Content))}
	}
	changed, moved, cmd := t.in.update(msg)
	return fieldResult{handled: true, changed: changed, moved: moved, cmd: cmd}
}

func (t *textField) value(w int, focused bool) string {
	return t.in.view(t.c.st, w, focused, true)
}

func (t *textField) cursor(w int) (int, bool) { return t.in.cursorX(w), true }

func (t *textField) click(x, w int) fieldResult {
	t.in.place(x, w)
	return fieldResult{handled: true, moved: true}
}

func (t *textField) focus() {
	t.in.focus()
	t.in.in.CursorEnd()
}

func (t *textField) blur()        { t.in.blur() }
func (t *textField) typing() bool { return true }
func (t *textField) empty() bool  { return t.in.value() == "" }

func (t *textField) reset() {
	t.in.setValue("")
	t.touched = false
}

func (t *textField) load(c platforms.Customer) {
	v := c.Get(t.spec.key)
	if t.spec.key == "custom" {
		v = customText(c.Custom)
	}
	t.in.setValue(v)
}

func (t *textField) save(c *platforms.Customer) error {
	v := strings.TrimSpace(t.in.value())
	if v == "" {
		return nil
	}
	return c.Set(t.spec.key, v)
}
