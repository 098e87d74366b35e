package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/platforms"
)

// toggleField ticks one configured platform to send to. The toggles share
// a line at the top of the form; left and right move between them.
type toggleField struct {
	fieldBase
	c    *common
	plat platforms.Platform
	on   bool
}

func newToggleField(c *common, p platforms.Platform) *toggleField {
	return &toggleField{fieldBase: fieldBase{spec: fieldSpec{key: "platform:" + p.Name(), group: "platforms", kind: kindPlatform},
		label: c.title(p), rowDirty: true}, c: c, plat: p, on: true}
}

func (t *toggleField) keys() []key.Binding {
	k := t.c.keys.form
	return []key.Binding{k.Toggle, k.Right, k.Left}
}

func (t *toggleField) update(msg tea.Msg) fieldResult {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return fieldResult{}
	}
	k := t.c.keys.form
	switch {
	case key.Matches(km, k.Toggle):
		t.on = !t.on
		return fieldResult{handled: true, changed: true}
	case key.Matches(km, k.Right):
		return fieldResult{handled: true, focus: +1}
	case key.Matches(km, k.Left):
		return fieldResult{handled: true, focus: -1}
	}
	return fieldResult{}
}

func (t *toggleField) value(int, bool) string {
	if t.on {
		return "[x] " + t.label
	}
	return "[ ] " + t.label
}

func (t *toggleField) cursor(int) (int, bool) { return 0, false }

func (t *toggleField) click(int, int) fieldResult {
	t.on = !t.on
	return fieldResult{handled: true, changed: true}
}

func (t *toggleField) focus()                         {}
func (t *toggleField) blur()                          {}
func (t *toggleField) typing() bool                   { return false }
func (t *toggleField) empty() bool                    { return true }
func (t *toggleField) reset()                         {}
func (t *toggleField) load(platforms.Customer)        {}
func (t *toggleField) save(*platforms.Customer) error { return nil }
