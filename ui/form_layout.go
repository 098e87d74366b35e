package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

type lineKind uint8

const (
	lineGroup lineKind = iota
	lineToggles
	lineField
	lineError
	lineNote
	lineHint // the normalised value that will be sent (hints.go)
)

// formLine is one line of the form's layout; the layout is rebuilt in Update
// when the form changes so View only renders the visible window.
type formLine struct {
	kind  lineKind
	field int    // lineField, lineError, lineNote: the field (-1: the toggles); lineToggles: unused
	text  string // lineGroup: title; lineError, lineNote: the message line
	cont  bool   // lineError: a wrapped continuation of the line above
	// lineToggles: the toggles on this line and where each starts.
	toggles []int
	xs      []int
}

func (f *form) validate() {
	sel := f.selected()
	c, local, hints := f.normalised()
	f.local, f.hints = local, hints
	f.platErrs = map[string][]platforms.FieldError{}
	for _, e := range platforms.ValidateAll(c, sel) {
		if _, refused := local[e.Field]; !refused {
			f.platErrs[e.Field] = append(f.platErrs[e.Field], e)
		}
	}

	// Required markers depend only on the selection: cache them per selection.
	if key := strings.Join(f.selectedNames(), ","); f.required == nil || key != f.reqKey {
		f.reqKey, f.required = key, map[string]bool{}
		for _, e := range platforms.ValidateAll(platforms.Customer{}, sel) {
			if e.Rule == platforms.RuleRequired {
				f.required[e.Field] = true
			}
		}
		for _, fl := range f.fields {
			fl.base().rowDirty = true
		}
	}

	for _, fl := range f.fields[f.nPlat:] {
		b := fl.base()
		if errs := f.messages(b); !slices.Equal(errs, b.errs) {
			b.errs = errs
		}
	}
}

// isQuietRule: an empty required field is not an error to shout while the
// cashier has not reached it yet.
func isQuietRule(rule string) bool {
	return rule == platforms.RuleRequired || rule == platforms.RuleContact
}

// messages are the error lines of one field: the form's own, then each
// platform message once, naming every selected platform that gives it
// ("Alibaba ALSC, Youzan: ...").
func (f *form) messages(fl *fieldBase) []string {
	key := fl.spec.key
	var out []string
	if msg, ok := f.local[key]; ok {
		out = append(out, msg)
	}
	errs := f.platErrs[key]
	if len(errs) == 0 {
		return out
	}
	var order []string
	titles := map[string][]string{}
	for _, e := range errs {
		if isQuietRule(e.Rule) && !fl.touched && !f.submitted {
			continue
		}
		msg := e.En
		if f.c.lang == "zh" {
			msg = e.Zh
		}
		if _, seen := titles[msg]; !seen {
			order = append(order, msg)
		}
		titles[msg] = append(titles[msg], e.TitleIn(f.c.lang))
	}
	// The platforms as the checkboxes above name them, in the console's
	// language and punctuation.
	for _, msg := range order {
		if who := f.c.list(titles[msg]); who != "" {
			msg = f.c.labelled(who, msg)
		}
		out = append(out, msg)
	}
	return out
}

// problems counts fields that would block a submit, quiet rules included.
func (f *form) problems() int {
	n := 0
	for _, fl := range f.fields[f.nPlat:] {
		if f.blocked(fl.base().spec.key) {
			n++
		}
	}
	return n
}

func (f *form) blocked(key string) bool { return len(f.platErrs[key]) > 0 || f.local[key] != "" }

// firstProblem is the first field in tab order with any error.
func (f *form) firstProblem() int {
	for i := f.nPlat; i < len(f.fields); i++ {
		if f.blocked(f.fields[i].base().spec.key) {
			return i
		}
	}
	return -1
}

func (f *form) SetSize(w, h int) {
	if w != f.width {
		for _, fl := range f.fields {
			fl.base().rowDirty = true
		}
		f.static = nil
	}
	f.width, f.height = w, h
	f.relayout()
	f.ensureVisible()
}

// contentW leaves the last column for the scrollbar.
func (f *form) contentW() int { return max(10, f.width-1) }

// valueX is where values start: focus mark, space, label, required mark, space.
func (f *form) valueX() int { return f.labelW + 4 }

func (f *form) valueW() int { return max(4, f.contentW()-f.valueX()) }

// relayout rebuilds the line list. It renders nothing.
func (f *form) relayout() {
	f.lines = f.lines[:0]
	f.rowOf = make([]int, len(f.fields))
	if f.nPlat > 0 {
		f.layoutToggles()
	}
	group := ""
	errIndent := f.errIndent()
	for i := f.nPlat; i < len(f.fields); i++ {
		fl := f.fields[i].base()
		if fl.spec.group != group {
			group = fl.spec.group
			f.lines = append(f.lines, formLine{kind: lineGroup, text: groupTitles[group].in(f.c.lang)})
		}
		f.rowOf[i] = len(f.lines)
		f.lines = append(f.lines, formLine{kind: lineField, field: i})
		for _, msg := range fl.errs {
			for j, part := range wrapLines(msg, max(8, f.contentW()-errIndent-2)) {
				f.lines = append(f.lines, formLine{kind: lineError, field: i, text: part, cont: j > 0})
			}
		}
		f.appendNotes(fl.spec.key, i)
		f.lines = f.appendHint(f.lines, i)
	}
	// The legend of the required mark, last, where it costs no field a line.
	f.lines = append(f.lines, formLine{kind: lineNote, field: -1, text: f.c.tr(msgRequired)})
	f.offset = min(f.offset, max(0, len(f.lines)-f.height))
}

// layoutToggles puts the platform toggles on as few lines as the width takes.
func (f *form) layoutToggles() {
	f.lines = append(f.lines, formLine{kind: lineGroup, text: groupTitles["platforms"].in(f.c.lang)})
	cur := formLine{kind: lineToggles}
	x := 2
	for i := 0; i < f.nPlat; i++ {
		w := ansi.StringWidth(f.fields[i].base().label) + 4
		if len(cur.toggles) > 0 && x+w > f.contentW() {
			f.lines = append(f.lines, cur)
			cur = formLine{kind: lineToggles}
			x = 2
		}
		f.rowOf[i] = len(f.lines)
		cur.toggles = append(cur.toggles, i)
		cur.xs = append(cur.xs, x)
		x += w + 2
	}
	f.lines = append(f.lines, cur)
	f.appendNotes("platforms", -1)
}

func (f *form) appendNotes(key string, field int) {
	indent := f.errIndent()
	if field < 0 {
		indent = 2
	}
	for _, note := range f.notes[key] {
		for j, part := range wrapLines(note, max(8, f.contentW()-indent-2)) {
			f.lines = append(f.lines, formLine{kind: lineNote, field: field, text: part, cont: j > 0})
		}
	}
}

// setNotes replaces the notes under a field; nil removes them.
//
// Notes quote what the history and the chain's other terminals say (store
// names, platforms), so they pass the terminal sanitiser, as notices do.
func (f *form) setNotes(key string, lines []string) {
	for i, l := range lines {
		if safe := termsafe.Line(l); safe != l {
			lines = slices.Clone(lines)
			lines[i] = safe
		}
	}
	if slices.Equal(f.notes[key], lines) {
		return
	}
	if f.notes == nil {
		f.notes = map[string][]string{}
	}
	if len(lines) == 0 {
		delete(f.notes, key)
	} else {
		f.notes[key] = lines
	}
	f.relayout()
}

// errIndent puts messages under the value when there is room for them there.
func (f *form) errIndent() int {
	if f.valueW() >= 36 {
		return f.valueX()
	}
	return 4
}

// ensureVisible scrolls so the focused field and its messages are on screen,
// and its group title when that costs nothing.
func (f *form) ensureVisible() {
	if f.height <= 0 || len(f.lines) == 0 {
		return
	}
	top := f.rowOf[f.focus]
	bottom := top
	for bottom+1 < len(f.lines) && (f.lines[bottom+1].kind == lineError || f.lines[bottom+1].kind == lineHint) && f.lines[bottom+1].field == f.focus {
		bottom++
	}
	if top > 0 && f.lines[top-1].kind == lineGroup {
		top--
	}
	if f.focus <= f.nPlat {
		top = 0 // the first field sits right under the toggles: show them
	}
	bottom = min(bottom, top+f.height-1)
	if top < f.offset {
		f.offset = top
	}
	if bottom >= f.offset+f.height {
		f.offset = bottom - f.height + 1
	}
	f.offset = max(0, min(f.offset, len(f.lines)-f.height))
}
