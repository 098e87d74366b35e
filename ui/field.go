package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/platforms"
)

// field is one focusable stop of the form. Each kind (text, choice, tags,
// platform toggle) is its own type in its own file; the form lays them out,
// moves the focus and validates, and never asks which kind a field is.
type field interface {
	base() *fieldBase
	// keys are the field's own bindings: a key matching one goes to the
	// field before the form's navigation, and the help bar shows them.
	keys() []key.Binding
	// update takes a key or a paste while the field has the focus; handled
	// false lets the form try its own keys.
	update(msg tea.Msg) (r fieldResult)
	// value renders the value area, w columns at most.
	value(w int, focused bool) string
	// cursor is the real cursor's column in the value area; ok false when
	// the field shows none.
	cursor(w int) (x int, ok bool)
	// click acts on a click at column x of the value area.
	click(x, w int) fieldResult
	focus()
	blur()
	typing() bool // printable keys type into it
	empty() bool
	reset()
	load(c platforms.Customer)
	save(c *platforms.Customer) error
}

// fieldResult is what a field did with a message.
type fieldResult struct {
	handled bool
	changed bool // the value changed: revalidate
	moved   bool // only the cursor moved: re-render the row
	focus   int  // -1, +1: ask the form to move the focus
	cmd     tea.Cmd
}

// fieldBase is what every field has: its place in the layout, its label,
// its error lines and its rendered row.
type fieldBase struct {
	spec  fieldSpec
	label string

	touched bool // focus has left it once: required errors may show

	errs     []string // error lines under the field, in the console's language
	row      string   // rendered row, reused until dirty
	rowDirty bool
}

func (b *fieldBase) base() *fieldBase { return b }

// newField builds the field for a spec of the form's layout.
func newField(c *common, spec fieldSpec) field {
	b := fieldBase{spec: spec, label: fieldLabels[spec.key].in(c.lang), rowDirty: true}
	switch spec.kind {
	case kindChoice:
		return &choiceField{fieldBase: b, c: c}
	case kindTags:
		return newTagsField(c, b)
	}
	return newTextField(c, b)
}
