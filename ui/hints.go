package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/platforms"
)

// msgSentAs introduces the normalised value shown under a field: the cashier
// typed "134 1111 1111" and sees what the platforms will get.
var msgSentAs = text{"将发送：", "sent as "}

// msgSentEmpty is the hint of a placeholder the normaliser reads as no
// value (暂无, -, N/A in a telephone or date field).
var msgSentEmpty = text{"视为未填，不发送", "read as empty: not sent"}

// normalised is the form's customer through the one normaliser the CLI and
// the importer use. errs adds the values it refused (in the console's
// language) to the form's own errors; hints are the values it rewrote beyond
// trimming, by field, to show under their fields.
func (f *form) normalised() (c platforms.Customer, errs, hints map[string]string) {
	c, errs = f.typed()
	c, changes, refused := platforms.Normalize(c)
	for _, e := range refused {
		if errs == nil {
			errs = map[string]string{}
		}
		if _, ok := errs[e.Field]; !ok {
			errs[e.Field] = e.Message(f.c.lang)
		}
	}
	for _, ch := range changes {
		if ch.TrimOnly() {
			continue
		}
		if hints == nil {
			hints = map[string]string{}
		}
		hints[ch.Field] = ch.To
	}
	return c, errs, hints
}

// appendHint adds field i's hint line, if it has one, after its messages.
func (f *form) appendHint(lines []formLine, i int) []formLine {
	h, ok := f.hints[f.fields[i].base().spec.key]
	if !ok {
		return lines
	}
	hint := msgSentAs.in(f.c.lang) + h
	if h == "" {
		hint = msgSentEmpty.in(f.c.lang)
	}
	return append(lines, formLine{kind: lineHint, field: i, text: hint})
}

// renderHint draws a hint where messages go, clipped and padded to the
// form's width. It is not cached with the static lines: a hint changes with
// every keystroke, and the cache would keep each one.
func (f *form) renderHint(s string) string {
	indent := f.errIndent()
	s = ansi.Truncate("→ "+s, max(4, f.contentW()-indent), "…")
	return padRight(strings.Repeat(" ", indent)+f.c.st.hint.Render(s), f.contentW())
}
