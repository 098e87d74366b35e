package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/platforms"
)

// choiceField picks one of a few values: gender, member or not.
type choiceField struct {
	fieldBase
	c      *common
	choice int // index into spec.choices
}

func (ch *choiceField) keys() []key.Binding {
	k := ch.c.keys.form
	return []key.Binding{k.ChoiceNext, k.ChoicePrev, k.ChoiceClear}
}

func (ch *choiceField) update(msg tea.Msg) fieldResult {
	choice := ch.choice
	switch msg := msg.(type) {
	case tea.PasteMsg:
		choice = ch.find(strings.TrimSpace(msg.Content), true)
	case tea.KeyPressMsg:
		k, n := ch.c.keys.form, len(ch.spec.choices)
		switch {
		case key.Matches(msg, k.ChoiceNext):
			choice = (choice + 1) % n
		case key.Matches(msg, k.ChoicePrev):
			choice = (choice + n - 1) % n
		case key.Matches(msg, k.ChoiceClear):
			choice = 0
		case msg.Text == "":
			return fieldResult{}
		default:
			choice = ch.find(strings.ToLower(msg.Text), false)
		}
	default:
		return fieldResult{}
	}
	return ch.pick(choice)
}

// find is the choice a paste names or a letter starts (m, f, u; y/n for
// member); the current one when none does.
func (ch *choiceField) find(t string, whole bool) int {
	for i, v := range ch.spec.choices {
		switch {
		case v == "":
		case whole && strings.EqualFold(v, t):
			return i
		case !whole && (strings.HasPrefix(v, t) || (v == "true" && (t == "y" || t == "1")) || (v == "false" && (t == "n" || t == "0"))):
			return i
		}
	}
	return ch.choice
}

func (ch *choiceField) pick(i int) fieldResult {
	changed := i != ch.choice
	ch.choice = i
	return fieldResult{handled: true, changed: changed}
}

// spans are the column ranges of each option within the value area.
func (ch *choiceField) spans() [][2]int {
	spans := make([][2]int, len(ch.spec.choices))
	x := 0
	for i, v := range ch.spec.choices {
		w := ansi.StringWidth(choiceLabels[v].in(ch.c.lang)) + 2
		spans[i] = [2]int{x, x + w}
		x += w + 1
	}
	return spans
}

func (ch *choiceField) value(w int, _ bool) string {
	st := ch.c.st
	spans := ch.spans()
	if spans[len(spans)-1][1] > w {
		// too narrow for every option: show the chosen one with arrows
		return st.choiceOn.Render("‹ " + choiceLabels[ch.spec.choices[ch.choice]].in(ch.c.lang) + " ›")
	}
	var b strings.Builder
	for i, v := range ch.spec.choices {
		if i > 0 {
			b.WriteByte(' ')
		}
		label := choiceLabels[v].in(ch.c.lang)
		if i == ch.choice {
			b.WriteString(st.choiceOn.Render("[" + label + "]"))
		} else {
			b.WriteString(st.choiceOff.Render(" " + label + " "))
		}
	}
	return b.String()
}

func (ch *choiceField) cursor(int) (int, bool) { return 0, false }

func (ch *choiceField) click(x, _ int) fieldResult {
	for i, span := range ch.spans() {
		if x >= span[0] && x < span[1] {
			return ch.pick(i)
		}
	}
	return fieldResult{handled: true}
}

func (ch *choiceField) focus()       {}
func (ch *choiceField) blur()        {}
func (ch *choiceField) typing() bool { return false }
func (ch *choiceField) empty() bool  { return ch.choice == 0 }

func (ch *choiceField) reset() {
	ch.choice = 0
	ch.touched = false
}

func (ch *choiceField) load(c platforms.Customer) {
	ch.choice = 0
	v := c.Get(ch.spec.key)
	for i, x := range ch.spec.choices {
		if x == v {
			ch.choice = i
		}
	}
}

func (ch *choiceField) save(c *platforms.Customer) error {
	v := ch.spec.choices[ch.choice]
	if ch.spec.key == "member" && v == "true" {
		return nil // absent means member
	}
	return c.Set(ch.spec.key, v)
}
