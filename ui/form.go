package ui

import (
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/platforms"
)

// form is the customer form with the platform toggles at its top.
type form struct {
	c      *common
	fields []field
	plats  []*toggleField // fields[:len(plats)]
	nPlat  int

	focus         int
	active        bool // the form has the keyboard
	width, height int
	offset        int // first visible layout line

	lines []formLine
	rowOf []int // field -> its line in lines

	labelW   int
	required map[string]bool
	reqKey   string

	platErrs map[string][]platforms.FieldError
	local    map[string]string // errors of the form itself (custom's syntax, values the normaliser refused)
	hints    map[string]string // normalised values to show under their fields (hints.go)

	// notes are lines shown under a field (by key; "platforms" for the
	// toggles) that are not errors: what the history knows of the member.
	notes map[string][]string

	submitted bool // a submit was tried: required errors show everywhere
	version   int  // bumps on every edit, so a finished submit knows if the form moved on

	// static holds rendered lines that depend only on their text and the
	// width (group titles, messages, the scrollbar's glyphs), so a keystroke
	// renders one row instead of the form.
	static map[string]string
}

func newForm(c *common) *form {
	f := &form{c: c}
	for _, p := range c.platforms {
		t := newToggleField(c, p)
		f.plats = append(f.plats, t)
		f.fields = append(f.fields, t)
	}
	f.nPlat = len(f.fields)
	for _, spec := range formLayout {
		fl := newField(c, spec)
		f.labelW = max(f.labelW, ansi.StringWidth(fl.base().label))
		f.fields = append(f.fields, fl)
	}
	f.focusField(f.indexOf("name"))
	f.changed()
	return f
}

func (f *form) indexOf(key string) int {
	for i, fl := range f.fields {
		if fl.base().spec.key == key {
			return i
		}
	}
	return -1
}

func (f *form) field(key string) field {
	if i := f.indexOf(key); i >= 0 {
		return f.fields[i]
	}
	return nil
}

// focused is the field with the focus.
func (f *form) focused() field { return f.fields[f.focus] }

// selected is the platforms the toggles pick, in configured order.
func (f *form) selected() []platforms.Platform {
	var ps []platforms.Platform
	for _, t := range f.plats {
		if t.on {
			ps = append(ps, t.plat)
		}
	}
	return ps
}

func (f *form) selectedNames() []string {
	var names []string
	for _, p := range f.selected() {
		names = append(names, p.Name())
	}
	return names
}

// selectPlatforms sets the toggles; names not configured are ignored.
func (f *form) selectPlatforms(names []string) {
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	for _, t := range f.plats {
		t.on = want[t.plat.Name()]
		t.rowDirty = true
	}
	f.changed()
}

// customer is the form's customer as it will be sent, normalised; errs holds
// fields the model cannot take or the normaliser refused.
func (f *form) customer() (platforms.Customer, map[string]string) {
	c, errs, _ := f.normalised()
	return c, errs
}

// typed reads the form into a Customer as typed; errs holds fields whose text
// the model cannot take (custom that is neither JSON nor k=v pairs).
func (f *form) typed() (platforms.Customer, map[string]string) {
	var c platforms.Customer
	var errs map[string]string
	for _, fl := range f.fields[f.nPlat:] {
		if err := fl.save(&c); err != nil {
			if errs == nil {
				errs = map[string]string{}
			}
			errs[fl.base().spec.key] = err.Error()
		}
	}
	return c, errs
}

// setCustomer loads c into the form (a restored draft), keeping the toggles.
func (f *form) setCustomer(c platforms.Customer) {
	for _, fl := range f.fields[f.nPlat:] {
		fl.load(c)
		fl.base().rowDirty = true
	}
	f.changed()
}

// customText writes custom attributes as k=v pairs when that reads back the
// same, JSON otherwise.
func customText(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k, v := range m {
		if strings.ContainsAny(k+v, ";=") || strings.TrimSpace(k) != k || strings.TrimSpace(v) != v {
			c := platforms.Customer{Custom: m}
			return c.Get("custom")
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return strings.Join(parts, ";")
}

// empty reports whether nothing has been typed or chosen (toggles aside).
func (f *form) empty() bool {
	for _, fl := range f.fields[f.nPlat:] {
		if !fl.empty() {
			return false
		}
	}
	return true
}

// valueOf is a field's value as the customer record holds it.
func (f *form) valueOf(key string) string {
	if fl, ok := f.field(key).(*textField); ok {
		return fl.in.value()
	}
	c, _ := f.typed()
	return c.Get(key)
}

// clear empties every field for the next customer, keeping the platform choice.
func (f *form) clear() {
	f.focusField(f.indexOf("name"))
	for _, fl := range f.fields[f.nPlat:] {
		fl.reset()
		fl.base().rowDirty = true
	}
	f.submitted = false
	f.offset = 0
	f.changed()
}

// changed re-validates and re-lays out after any edit.
func (f *form) changed() {
	f.version++
	f.validate()
	f.relayout()
	f.ensureVisible()
}

func (f *form) focusField(i int) {
	if i < 0 || i >= len(f.fields) {
		return
	}
	if i != f.focus {
		old := f.fields[f.focus]
		old.base().touched = true
		old.blur()
		old.base().rowDirty = true
	}
	f.focus = i
	fl := f.fields[i]
	fl.base().rowDirty = true
	fl.focus()
}

// moveFocus changes the focus and refreshes what depends on touched fields.
func (f *form) moveFocus(i int) {
	if i == f.focus {
		return
	}
	f.focusField(i)
	f.validate()
	f.relayout()
	f.ensureVisible()
}

func (f *form) next() { f.moveFocus((f.focus + 1) % len(f.fields)) }
func (f *form) prev() { f.moveFocus((f.focus + len(f.fields) - 1) % len(f.fields)) }

// page moves the focus about one screen of lines.
func (f *form) page(dir int) {
	target := f.rowOf[f.focus] + dir*max(1, f.height-2)
	best := f.focus
	for i := range f.fields {
		if dir > 0 && f.rowOf[i] <= target && f.rowOf[i] > f.rowOf[best] {
			best = i
		}
		if dir < 0 && f.rowOf[i] >= target && f.rowOf[i] < f.rowOf[best] {
			best = i
		}
	}
	if best == f.focus {
		if dir > 0 {
			best = len(f.fields) - 1
		} else {
			best = 0
		}
	}
	f.moveFocus(best)
}

// Update handles a key or a paste for the focused field: the field's own
// keys first, then moving between fields, then typing into the field.
func (f *form) Update(msg tea.Msg) tea.Cmd {
	fl := f.focused()
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if matchesAny(msg, fl.keys()) {
			if r := fl.update(msg); r.handled {
				return f.apply(fl, r)
			}
		}
		if f.navigate(msg) {
			return nil
		}
	case tea.PasteMsg:
	default:
		return nil
	}
	return f.apply(fl, fl.update(msg))
}

// navigate moves the focus for the form's own keys.
func (f *form) navigate(msg tea.KeyPressMsg) bool {
	k := f.c.keys.form
	switch {
	case key.Matches(msg, k.Next), key.Matches(msg, k.Down):
		f.next()
	case key.Matches(msg, k.Prev), key.Matches(msg, k.Up):
		f.prev()
	case key.Matches(msg, k.ScrollUp):
		f.page(-1)
	case key.Matches(msg, k.ScrollDown):
		f.page(1)
	default:
		return false
	}
	return true
}

// apply carries out what a field reported.
func (f *form) apply(fl field, r fieldResult) tea.Cmd {
	switch {
	case r.changed:
		fl.base().rowDirty = true
		f.changed()
	case r.moved:
		fl.base().rowDirty = true
	}
	switch r.focus {
	case 1:
		f.next()
	case -1:
		f.prev()
	}
	return r.cmd
}

func matchesAny(msg tea.KeyPressMsg, bs []key.Binding) bool {
	for _, b := range bs {
		if key.Matches(msg, b) {
			return true
		}
	}
	return false
}

// click focuses what is at (x, y) of the form pane; a toggle or choice under
// the pointer is also switched.
func (f *form) click(x, y int) {
	line := f.offset + y
	if y < 0 || line >= len(f.lines) || line < 0 {
		return
	}
	l := f.lines[line]
	switch l.kind {
	case lineToggles:
		for j, i := range l.toggles {
			if x >= l.xs[j] && x < l.xs[j]+ansi.StringWidth(f.fields[i].base().label)+4 {
				f.moveFocus(i)
				f.apply(f.fields[i], f.fields[i].click(0, 0))
			}
		}
	case lineField:
		f.moveFocus(l.field)
		fl := f.fields[l.field]
		f.apply(fl, fl.click(x-f.valueX(), f.valueW()))
	case lineError, lineHint:
		f.moveFocus(l.field)
	}
}

// wheel scrolls the form without moving the focus.
func (f *form) wheel(delta int) {
	f.offset = max(0, min(f.offset+delta, len(f.lines)-f.height))
}

// appendHelp appends to the help bar's part for the form: the focused field's own
// keys that have help.
func (f *form) appendHelp(bs []key.Binding) []key.Binding {
	for _, b := range f.focused().keys() {
		if b.Help().Key != "" {
			bs = append(bs, b)
		}
	}
	return bs
}

// ShortHelp is the form's own part of the help bar: the next field and the
// focused field's keys (the root adds submit and what spans the panes).
func (f *form) ShortHelp() []key.Binding {
	return f.appendHelp([]key.Binding{f.c.keys.form.Next})
}

func (f *form) FullHelp() [][]key.Binding {
	k := f.c.keys.form
	clear := key.NewBinding(key.WithKeys("ctrl+x"), key.WithHelp("ctrl+x/z", f.c.tr(text{"清空表单/撤销", "clear form / undo"})))
	return [][]key.Binding{{k.Next, k.Prev, k.ScrollUp, k.Toggle, k.ChoiceNext, k.AddTag, clear}}
}
