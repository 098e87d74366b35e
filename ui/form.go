package ui

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

// formField is one focusable stop of the form: a platform toggle or a
// customer field.
type formField struct {
	spec  fieldSpec
	label string

	input textinput.Model // text fields, and the pending tag of the tags field
	left  int             // first visible rune of input: the field scrolls by display width

	choice int      // index into spec.choices
	tags   []string // committed tags

	plat platforms.Platform // kindPlatform
	on   bool

	touched bool // focus has left it once: required errors may show

	errs     []string // error lines under the field, in the console's language
	row      string   // rendered row, reused until dirty
	rowDirty bool
}

func (fl *formField) editable() bool {
	return fl.spec.kind == kindText || fl.spec.kind == kindTags
}

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

// form is the customer form with the platform toggles at its top.
type form struct {
	c      *common
	fields []*formField
	nPlat  int // fields[:nPlat] are the platform toggles

	focus         int
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
		f.fields = append(f.fields, &formField{
			spec: fieldSpec{key: "platform:" + p.Name(), group: "platforms", kind: kindPlatform},
			plat: p, on: true, label: p.Title(),
		})
	}
	f.nPlat = len(f.fields)
	for _, spec := range formLayout {
		fl := &formField{spec: spec, label: fieldLabels[spec.key].in(c.lang)}
		if spec.kind == kindText || spec.kind == kindTags {
			in := textinput.New()
			in.Prompt = ""
			in.SetVirtualCursor(false)
			if ph, ok := placeholders[spec.key]; ok {
				in.Placeholder = ph.in(c.lang)
			}
			fl.input = in
		}
		f.labelW = max(f.labelW, ansi.StringWidth(fl.label))
		f.fields = append(f.fields, fl)
	}
	f.focusField(f.indexOf("name"))
	f.changed()
	return f
}

func (f *form) indexOf(key string) int {
	for i, fl := range f.fields {
		if fl.spec.key == key {
			return i
		}
	}
	return -1
}

func (f *form) field(key string) *formField {
	if i := f.indexOf(key); i >= 0 {
		return f.fields[i]
	}
	return nil
}

// selected is the platforms the toggles pick, in configured order.
func (f *form) selected() []platforms.Platform {
	var ps []platforms.Platform
	for _, fl := range f.fields[:f.nPlat] {
		if fl.on {
			ps = append(ps, fl.plat)
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
	for _, fl := range f.fields[:f.nPlat] {
		fl.on = want[fl.plat.Name()]
		fl.rowDirty = true
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
		key := fl.spec.key
		switch fl.spec.kind {
		case kindChoice:
			v := fl.spec.choices[fl.choice]
			if key == "member" && v == "true" {
				continue // absent means member
			}
			_ = c.Set(key, v)
		case kindTags:
			c.Tags = append(append([]string(nil), fl.tags...), platforms.SplitTags(fl.input.Value())...)
		default:
			v := strings.TrimSpace(fl.input.Value())
			if v == "" {
				continue
			}
			if err := c.Set(key, v); err != nil {
				if errs == nil {
					errs = map[string]string{}
				}
				errs[key] = err.Error()
			}
		}
	}
	return c, errs
}

// setCustomer loads c into the form (a restored draft), keeping the toggles.
func (f *form) setCustomer(c platforms.Customer) {
	for _, fl := range f.fields[f.nPlat:] {
		key := fl.spec.key
		switch fl.spec.kind {
		case kindChoice:
			v := c.Get(key)
			fl.choice = 0
			for i, ch := range fl.spec.choices {
				if ch == v {
					fl.choice = i
				}
			}
		case kindTags:
			fl.tags = append([]string(nil), c.Tags...)
			fl.input.SetValue("")
		default:
			v := c.Get(key)
			if key == "custom" {
				v = customText(c.Custom)
			}
			fl.input.SetValue(v)
			fl.input.CursorEnd()
			fl.left = 0
		}
		fl.rowDirty = true
	}
	f.changed()
	f.scrollInput(f.fields[f.focus])
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
		switch fl.spec.kind {
		case kindChoice:
			if fl.choice != 0 {
				return false
			}
		case kindTags:
			if len(fl.tags) > 0 || fl.input.Value() != "" {
				return false
			}
		default:
			if fl.input.Value() != "" {
				return false
			}
		}
	}
	return true
}

// clear empties every field for the next customer, keeping the platform choice.
func (f *form) clear() {
	f.focusField(f.indexOf("name"))
	for _, fl := range f.fields[f.nPlat:] {
		fl.choice, fl.tags, fl.left, fl.touched = 0, nil, 0, false
		if fl.editable() {
			fl.input.SetValue("")
		}
		fl.rowDirty = true
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
			fl.rowDirty = true
		}
	}

	for _, fl := range f.fields[f.nPlat:] {
		errs := f.messages(fl)
		if !equalStrings(errs, fl.errs) {
			fl.errs = errs
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
func (f *form) messages(fl *formField) []string {
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
		titles[msg] = append(titles[msg], e.Title)
	}
	for _, msg := range order {
		if who := strings.Join(titles[msg], ", "); who != "" {
			msg = who + ": " + msg
		}
		out = append(out, msg)
	}
	return out
}

// problems counts fields that would block a submit, quiet rules included.
func (f *form) problems() int {
	n := 0
	for _, fl := range f.fields[f.nPlat:] {
		if len(f.platErrs[fl.spec.key]) > 0 || f.local[fl.spec.key] != "" {
			n++
		}
	}
	return n
}

// firstProblem is the first field in tab order with any error.
func (f *form) firstProblem() int {
	for i, fl := range f.fields {
		if i < f.nPlat {
			continue
		}
		if len(f.platErrs[fl.spec.key]) > 0 || f.local[fl.spec.key] != "" {
			return i
		}
	}
	return -1
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (f *form) setSize(w, h int) {
	if w != f.width {
		for _, fl := range f.fields {
			fl.rowDirty = true
		}
		f.static = nil
	}
	f.width, f.height = w, h
	f.relayout()
	for _, fl := range f.fields {
		if fl.editable() {
			f.scrollInput(fl)
		}
	}
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
		f.lines = append(f.lines, formLine{kind: lineGroup, text: groupTitles["platforms"].in(f.c.lang)})
		var cur formLine
		cur.kind = lineToggles
		x := 2
		for i := 0; i < f.nPlat; i++ {
			w := ansi.StringWidth(f.fields[i].label) + 4
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
	group := ""
	errIndent := f.errIndent()
	for i := f.nPlat; i < len(f.fields); i++ {
		fl := f.fields[i]
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
	f.offset = min(f.offset, max(0, len(f.lines)-f.height))
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
func (f *form) setNotes(key string, lines []string) {
	if equalStrings(f.notes[key], lines) {
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
	if f.focus < f.nPlat || f.focus == f.nPlat {
		top = 0 // the first field sits right under the toggles: show them
	}
	if bottom-top+1 > f.height {
		bottom = top + f.height - 1
	}
	if top < f.offset {
		f.offset = top
	}
	if bottom >= f.offset+f.height {
		f.offset = bottom - f.height + 1
	}
	f.offset = max(0, min(f.offset, len(f.lines)-f.height))
}

func (f *form) focusField(i int) {
	if i < 0 || i >= len(f.fields) {
		return
	}
	if i != f.focus {
		old := f.fields[f.focus]
		old.touched = true
		old.input.Blur()
		old.rowDirty = true
	}
	f.focus = i
	fl := f.fields[i]
	fl.rowDirty = true
	if fl.editable() {
		fl.input.Focus()
		fl.input.CursorEnd()
		f.scrollInput(fl)
	}
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

// scrollInput keeps the input's cursor inside the visible width, measuring in
// display columns: a Chinese character takes two. It walks from the cursor,
// so a long paste costs one pass, not one pass per rune.
func (f *form) scrollInput(fl *formField) {
	if !fl.editable() {
		return
	}
	fl.left = scrollStart(fl.input.Value(), fl.input.Position(), fl.left, f.inputW(fl))
}

// scrollStart is the first rune to show of value in w display columns so that
// the cursor at pos stays visible, moving as little as possible from left.
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

// inputW is the width left for the typed text (after tag chips).
func (f *form) inputW(fl *formField) int {
	w := f.valueW()
	if fl.spec.kind == kindTags {
		_, cw := f.chips(fl, w)
		w -= cw
	}
	return max(2, w)
}

// update handles a message for the focused field. It reports whether the
// message was the form's.
func (f *form) update(msg tea.Msg) (tea.Cmd, bool) {
	k := f.c.keys.form
	fl := f.fields[f.focus]
	switch msg := msg.(type) {
	case tea.PasteMsg:
		return f.paste(fl, msg.Content), true
	case tea.KeyPressMsg:
		if fl.spec.kind == kindTags && f.tagKey(fl, msg) {
			return nil, true
		}
		switch {
		case key.Matches(msg, k.Next):
			f.next()
			return nil, true
		case key.Matches(msg, k.Prev):
			f.prev()
			return nil, true
		case key.Matches(msg, k.Up):
			f.prev()
			return nil, true
		case key.Matches(msg, k.Down):
			f.next()
			return nil, true
		case key.Matches(msg, k.ScrollUp):
			f.page(-1)
			return nil, true
		case key.Matches(msg, k.ScrollDown):
			f.page(1)
			return nil, true
		case key.Matches(msg, k.Clear):
			f.clear()
			return nil, true
		}
		switch fl.spec.kind {
		case kindPlatform:
			return nil, f.platformKey(fl, msg)
		case kindChoice:
			return nil, f.choiceKey(fl, msg)
		default:
			return f.edit(fl, msg), true
		}
	}
	return nil, false
}

func (f *form) edit(fl *formField, msg tea.Msg) tea.Cmd {
	before, pos := fl.input.Value(), fl.input.Position()
	var cmd tea.Cmd
	fl.input, cmd = fl.input.Update(msg)
	if fl.input.Value() != before {
		fl.rowDirty = true
		f.scrollInput(fl)
		f.changed()
	} else if fl.input.Position() != pos {
		fl.rowDirty = true
		f.scrollInput(fl)
	}
	return cmd
}

// paste inserts pasted text. Surrounding blanks and line breaks are dropped:
// a mobile copied from a chat arrives with a trailing newline.
func (f *form) paste(fl *formField, content string) tea.Cmd {
	content = strings.TrimSpace(content)
	switch fl.spec.kind {
	case kindText:
		return f.edit(fl, tea.PasteMsg{Content: content})
	case kindTags:
		cmd := f.edit(fl, tea.PasteMsg{Content: content})
		f.commitTags(fl, false)
		return cmd
	case kindChoice:
		for i, ch := range fl.spec.choices {
			if ch != "" && strings.EqualFold(ch, content) {
				fl.choice = i
				fl.rowDirty = true
				f.changed()
			}
		}
	}
	return nil
}

// tagKey: enter, ";" and "," commit the pending tag; backspace on an empty
// pending tag removes the last one.
func (f *form) tagKey(fl *formField, msg tea.KeyPressMsg) bool {
	switch {
	case msg.String() == "enter" && strings.TrimSpace(fl.input.Value()) != "":
		f.commitTags(fl, true)
		return true
	case msg.Text == ";" || msg.Text == "," || msg.Text == "；" || msg.Text == "，":
		f.commitTags(fl, true)
		return true
	case key.Matches(msg, f.c.keys.form.DropLastTag) && fl.input.Value() == "" && len(fl.tags) > 0:
		fl.tags = fl.tags[:len(fl.tags)-1]
		fl.rowDirty = true
		f.scrollInput(fl)
		f.changed()
		return true
	}
	return false
}

// commitTags moves complete tags out of the pending text; all of it when
// everything is complete (a separator or enter was typed).
func (f *form) commitTags(fl *formField, all bool) {
	v := fl.input.Value()
	rest := ""
	if !all {
		i := strings.LastIndexAny(v, ";,；，")
		if i < 0 {
			return
		}
		_, size := firstRune(v[i:])
		v, rest = v[:i], v[i+size:]
	}
	fl.tags = append(fl.tags, platforms.SplitTags(v)...)
	fl.input.SetValue(rest)
	fl.input.CursorEnd()
	fl.left = 0
	fl.rowDirty = true
	f.scrollInput(fl)
	f.changed()
}

func firstRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }

func (f *form) platformKey(fl *formField, msg tea.KeyPressMsg) bool {
	switch msg.String() {
	case "space", "x", "enter":
		fl.on = !fl.on
		fl.rowDirty = true
		f.changed()
		return true
	case "right":
		f.next()
		return true
	case "left":
		f.prev()
		return true
	}
	return false
}

func (f *form) choiceKey(fl *formField, msg tea.KeyPressMsg) bool {
	k := f.c.keys.form
	n := len(fl.spec.choices)
	choice := fl.choice
	switch {
	case key.Matches(msg, k.ChoiceNext):
		choice = (choice + 1) % n
	case key.Matches(msg, k.ChoicePrev):
		choice = (choice + n - 1) % n
	case key.Matches(msg, k.ChoiceClear):
		choice = 0
	default:
		// A letter picks the choice it starts: m, f, u; y/n for member.
		t := strings.ToLower(msg.Text)
		if t == "" {
			return false
		}
		for i, ch := range fl.spec.choices {
			if ch != "" && (strings.HasPrefix(ch, t) || (ch == "true" && (t == "y" || t == "1")) || (ch == "false" && (t == "n" || t == "0"))) {
				choice = i
				break
			}
		}
	}
	if choice != fl.choice {
		fl.choice = choice
		fl.rowDirty = true
		f.changed()
	}
	return true
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
			if x >= l.xs[j] && x < l.xs[j]+ansi.StringWidth(f.fields[i].label)+4 {
				f.moveFocus(i)
				f.fields[i].on = !f.fields[i].on
				f.fields[i].rowDirty = true
				f.changed()
			}
		}
	case lineField, lineError, lineHint:
		i := l.field
		f.moveFocus(i)
		fl := f.fields[i]
		if l.kind != lineField {
			return
		}
		switch fl.spec.kind {
		case kindChoice:
			for j, span := range f.choiceSpans(fl) {
				if x >= f.valueX()+span[0] && x < f.valueX()+span[1] && fl.choice != j {
					fl.choice = j
					fl.rowDirty = true
					f.changed()
				}
			}
		case kindText:
			f.placeCursor(fl, x-f.valueX())
		}
	}
}

// placeCursor puts the text cursor at display column col of the field.
func (f *form) placeCursor(fl *formField, col int) {
	runes := []rune(fl.input.Value())
	w, pos := 0, fl.left
	for pos < len(runes) {
		rw := runeWidth(runes[pos])
		if w+rw > col {
			break
		}
		w += rw
		pos++
	}
	fl.input.SetCursor(pos)
	fl.rowDirty = true
	f.scrollInput(fl)
}

// wheel scrolls the form without moving the focus.
func (f *form) wheel(delta int) {
	f.offset = max(0, min(f.offset+delta, len(f.lines)-f.height))
}

// view renders the visible lines, each exactly width columns, and where the
// real cursor goes (ok false when the focused field shows none).
func (f *form) view(focused bool) (lines []string, cx, cy int, ok bool) {
	st := f.c.st
	cw := f.contentW()
	end := min(len(f.lines), f.offset+f.height)
	lines = make([]string, 0, f.height)
	for li := f.offset; li < end; li++ {
		l := f.lines[li]
		switch l.kind {
		case lineGroup:
			lines = append(lines, f.cached("g"+l.text, func() string {
				title := " " + l.text + " "
				return st.rule.Render("─") + st.group.Render(title) + st.rule.Render(strings.Repeat("─", max(0, cw-ansi.StringWidth(title)-1)))
			}))
		case lineToggles:
			key := "t" + strconv.Itoa(li)
			for _, i := range l.toggles {
				key += strconv.FormatBool(f.fields[i].on) + strconv.FormatBool(focused && i == f.focus)
			}
			lines = append(lines, f.cached(key, func() string { return f.renderToggles(l, focused) }))
		case lineField:
			lines = append(lines, f.renderRow(l.field, focused))
		case lineError:
			mark := "✗ "
			if l.cont {
				mark = "  "
			}
			lines = append(lines, f.cached("e"+mark+l.text, func() string {
				return strings.Repeat(" ", f.errIndent()) + st.errText.Render(mark+l.text)
			}))
		case lineNote:
			indent := f.errIndent()
			if l.field < 0 {
				indent = 2
			}
			lines = append(lines, f.cached("n"+strconv.Itoa(indent)+l.text, func() string {
				return strings.Repeat(" ", indent) + st.hint.Render(l.text)
			}))
		case lineHint:
			lines = append(lines, f.renderHint(l.text))
		}
	}
	blank := f.cached("blank", func() string { return "" })
	for len(lines) < f.height {
		lines = append(lines, blank)
	}
	bar := f.scrollbar()
	for i := range lines {
		lines[i] += bar[i]
	}

	fl := f.fields[f.focus]
	if focused && fl.editable() {
		row := f.rowOf[f.focus] - f.offset
		if row >= 0 && row < f.height {
			runes := []rune(fl.input.Value())
			pos := min(fl.input.Position(), len(runes))
			x := f.valueX() + shownWidth(string(runes[min(fl.left, pos):pos]))
			if fl.spec.kind == kindTags {
				_, chipW := f.chips(fl, f.valueW())
				x += chipW
			}
			return lines, min(x, cw-1), row, true
		}
	}
	return lines, 0, 0, false
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
		fl := f.fields[i]
		b.WriteString(strings.Repeat(" ", max(0, l.xs[j]-x)))
		box := "[ ] "
		if fl.on {
			box = "[x] "
		}
		s := box + fl.label
		x = l.xs[j] + ansi.StringWidth(s)
		switch {
		case focused && i == f.focus:
			s = st.rowFocused.Render(s)
		case fl.on:
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
	isFocus := focused && i == f.focus
	if !fl.rowDirty && fl.row != "" && !isFocus {
		return fl.row
	}
	st := f.c.st
	mark := " "
	label := st.label.Render(padRight(fl.label, f.labelW))
	if isFocus {
		mark = st.focusMark.Render("›")
		label = st.labelFocus.Render(padRight(fl.label, f.labelW))
	}
	req := " "
	if f.required[fl.spec.key] {
		req = st.required.Render("*")
	}
	s := padRight(mark+" "+label+req+" "+f.renderValue(fl, isFocus), f.contentW())
	if !isFocus {
		fl.row, fl.rowDirty = s, false
	} else {
		fl.rowDirty = true // the focus look must not be reused once focus leaves
	}
	return s
}

func (f *form) renderValue(fl *formField, isFocus bool) string {
	w := f.valueW()
	switch fl.spec.kind {
	case kindChoice:
		return f.renderChoice(fl, w)
	case kindTags:
		chips, cw := f.chips(fl, w)
		return chips + f.renderInput(fl, w-cw, isFocus)
	}
	return f.renderInput(fl, w, isFocus)
}

// renderInput shows the window of the text that holds the cursor, measured in
// display columns.
func (f *form) renderInput(fl *formField, w int, isFocus bool) string {
	st := f.c.st
	v := fl.input.Value()
	if v == "" {
		if fl.input.Placeholder != "" && (isFocus || fl.spec.kind != kindTags) {
			return st.placehold.Render(ansi.Truncate(fl.input.Placeholder, w, "…"))
		}
		return ""
	}
	if !isFocus {
		return st.value.Render(ansi.Truncate(termsafe.Line(v), w, "…"))
	}
	// A bidi or zero-width character shows as its escape (the field's error
	// names it); widths and the cursor count the escape (runeWidth).
	runes := []rune(v)
	visible := string(runes[min(fl.left, len(runes)):])
	return st.value.Render(ansi.Truncate(termsafe.Line(visible), w, ""))
}

// choiceSpans are the column ranges of each option within the value area.
func (f *form) choiceSpans(fl *formField) [][2]int {
	spans := make([][2]int, len(fl.spec.choices))
	x := 0
	for i, ch := range fl.spec.choices {
		w := ansi.StringWidth(choiceLabels[ch].in(f.c.lang)) + 2
		spans[i] = [2]int{x, x + w}
		x += w + 1
	}
	return spans
}

func (f *form) renderChoice(fl *formField, w int) string {
	st := f.c.st
	spans := f.choiceSpans(fl)
	if spans[len(spans)-1][1] > w {
		// too narrow for every option: show the chosen one with arrows
		return st.choiceOn.Render("‹ " + choiceLabels[fl.spec.choices[fl.choice]].in(f.c.lang) + " ›")
	}
	var b strings.Builder
	for i, ch := range fl.spec.choices {
		if i > 0 {
			b.WriteByte(' ')
		}
		label := choiceLabels[ch].in(f.c.lang)
		if i == fl.choice {
			b.WriteString(st.choiceOn.Render("[" + label + "]"))
		} else {
			b.WriteString(st.choiceOff.Render(" " + label + " "))
		}
	}
	return b.String()
}

// chips renders committed tags that fit in w (the newest ones, with a count
// of the hidden), leaving room for typing, and their display width.
func (f *form) chips(fl *formField, w int) (string, int) {
	if len(fl.tags) == 0 {
		return "", 0
	}
	room := w - min(12, w/2)
	var parts []string
	used := 0
	hidden := 0
	for i := len(fl.tags) - 1; i >= 0; i-- {
		cw := shownWidth(fl.tags[i]) + 3
		if used+cw > room {
			hidden = i + 1
			break
		}
		parts = append(parts, termsafe.Line(fl.tags[i]))
		used += cw
	}
	var b strings.Builder
	width := 0
	if hidden > 0 {
		s := "+" + strconv.Itoa(hidden) + " "
		b.WriteString(f.c.st.dim.Render(s))
		width += len(s)
	}
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(f.c.st.chip.Render("[" + parts[i] + "]"))
		b.WriteByte(' ')
		width += ansi.StringWidth(parts[i]) + 3
	}
	return b.String(), width
}

// wrapLines wraps plain text at spaces only ("YYYY-MM-DD" stays whole; the
// ansi wrappers also break at hyphens), cutting only words wider than a line.
func wrapLines(s string, w int) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		start := len(out)
		line, lineW := "", 0
		for _, word := range strings.Split(para, " ") {
			ww := ansi.StringWidth(word)
			if lineW > 0 && lineW+1+ww > w {
				out = append(out, line)
				line, lineW = "", 0
			}
			if lineW > 0 {
				line += " "
				lineW++
			}
			for lineW == 0 && ww > w {
				head := ansi.Truncate(word, w, "")
				if head == "" { // a character wider than the line
					_, size := firstRune(word)
					head = word[:size]
				}
				out = append(out, head)
				word = word[len(head):]
				ww = ansi.StringWidth(word)
			}
			line += word
			lineW += ww
		}
		if line != "" || len(out) == start {
			out = append(out, line)
		}
	}
	return out
}

// padRight pads s with spaces to w display columns, cutting what is wider.
func padRight(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "")
	}
	return s + strings.Repeat(" ", w-sw)
}
