package ui

import (
	"hash/maphash"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// helpBar is the bottom line: the focused component's keys, from the
// bindings its Update matches, most useful first. bubbles' help drops
// whole entries that do not fit (with "…"), so a word is never cut.
type helpBar struct {
	help  help.Model
	width int
	memo  map[uint64]string // rendered bars by a hash of their keys and width
	keys  []key.Binding
	seed  maphash.Seed
	buf   []key.Binding // the form's bar, rebuilt in place each frame
}

func newHelpBar(noColor bool) *helpBar {
	h := &helpBar{help: help.New(), seed: maphash.MakeSeed()}
	if noColor {
		h.help.Styles = help.Styles{}
	}
	return h
}

func (h *helpBar) SetSize(w, _ int) {
	h.width = w
	h.help.SetWidth(w)
}

func (h *helpBar) Update(tea.Msg) tea.Cmd    { return nil }
func (h *helpBar) View() []string            { return []string{h.line(bindings(h.keys), h.width)} }
func (h *helpBar) ShortHelp() []key.Binding  { return h.keys }
func (h *helpBar) FullHelp() [][]key.Binding { return [][]key.Binding{h.keys} }

// line renders km's short help at width w, once per set of keys.
func (h *helpBar) line(km help.KeyMap, w int) string {
	if w != h.width {
		h.SetSize(w, 1)
	}
	h.keys = km.ShortHelp()
	// The bar is looked up on every frame: hash its keys, allocating nothing.
	var mh maphash.Hash
	mh.SetSeed(h.seed)
	_ = mh.WriteByte(byte(w))
	_ = mh.WriteByte(byte(w >> 8))
	for _, k := range h.keys {
		_, _ = mh.WriteString(k.Help().Key)
		_ = mh.WriteByte(0)
		_, _ = mh.WriteString(k.Help().Desc)
		_ = mh.WriteByte(1)
	}
	id := mh.Sum64()
	if s, ok := h.memo[id]; ok {
		return s
	}
	if h.memo == nil || len(h.memo) > 128 {
		h.memo = map[uint64]string{}
	}
	s := padRight(h.help.ShortHelpView(h.keys), w)
	h.memo[id] = s
	return s
}

// bindings is a list of bindings as a help.KeyMap.
type bindings []key.Binding

func (b bindings) ShortHelp() []key.Binding  { return b }
func (b bindings) FullHelp() [][]key.Binding { return [][]key.Binding{b} }

// focusedKeys is the key map of what has the keyboard.
func (m *Model) focusedKeys() help.KeyMap {
	switch {
	case m.focus == paneDetail && m.detail != nil:
		return m.detail
	case m.focus == paneHistory:
		return m.history
	}
	m.helpBar.buf = m.formHelp(m.helpBar.buf[:0])
	return bindings(m.helpBar.buf)
}

// formHelp is the help bar over the form: submit and the next field first,
// the focused field's own keys, what the moment offers (cancel, enrol
// again, undo), then the rest.
func (m *Model) formHelp(bs []key.Binding) []key.Binding {
	g, f := m.c.keys.global, m.c.keys.form
	bs = m.form.appendHelp(append(bs, g.Submit, f.Next))
	if m.inFlight() > 0 {
		bs = append(bs, g.Cancel)
	}
	if m.offerAgain() {
		bs = append(bs, g.Again)
	}
	if m.undo != nil {
		bs = append(bs, f.Undo)
	}
	helpKey := g.HelpAny
	if m.typing() {
		helpKey = g.Help // "?" types into a text field
	}
	return append(bs, g.Panes, helpKey, g.Quit, f.Clear)
}
