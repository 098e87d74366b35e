package ui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// styles is every style the console uses, built once. With NoColor every style
// keeps only attributes (bold, reverse, underline, faint) so focus, errors and
// selection stay visible without color, as NO_COLOR asks.
type styles struct {
	noColor bool

	title      lipgloss.Style
	banner     lipgloss.Style
	group      lipgloss.Style
	label      lipgloss.Style
	labelFocus lipgloss.Style
	required   lipgloss.Style
	value      lipgloss.Style
	placehold  lipgloss.Style
	errText    lipgloss.Style
	hint       lipgloss.Style
	chip       lipgloss.Style
	choiceOn   lipgloss.Style
	choiceOff  lipgloss.Style
	focusMark  lipgloss.Style
	rule       lipgloss.Style

	rowSelected lipgloss.Style
	rowFocused  lipgloss.Style
	dim         lipgloss.Style
	header      lipgloss.Style
	tabOn       lipgloss.Style
	tabOff      lipgloss.Style

	outcome map[string]lipgloss.Style
	status  lipgloss.Style
	notice  lipgloss.Style
}

func newStyles(noColor bool) *styles {
	s := &styles{noColor: noColor}
	plain := lipgloss.NewStyle()
	fg := func(st lipgloss.Style, c string) lipgloss.Style {
		if noColor {
			return st
		}
		return st.Foreground(lipgloss.Color(c))
	}
	bg := func(st lipgloss.Style, c string) lipgloss.Style {
		if noColor {
			return st
		}
		return st.Background(lipgloss.Color(c))
	}

	s.title = fg(plain.Bold(true), "#7D56F4")
	s.banner = plain.Bold(true).Reverse(true)
	if !noColor {
		s.banner = plain.Bold(true).Foreground(lipgloss.Color("#1A1A1A")).Background(lipgloss.Color("#F5C542"))
	}
	s.group = fg(plain.Bold(true), "#5FAFD7")
	s.label = fg(plain, "#A8A8A8")
	s.labelFocus = fg(plain.Bold(true), "#FFFFFF")
	s.required = fg(plain.Bold(true), "#FF8787")
	s.value = plain
	s.placehold = fg(plain.Faint(true), "#6C6C6C")
	s.errText = fg(plain, "#FF5F5F")
	s.hint = fg(plain.Faint(true), "#8A8A8A")
	s.chip = bg(fg(plain, "#FFFFFF"), "#3A3A5A")
	if noColor {
		s.chip = plain.Underline(true)
	}
	s.choiceOn = fg(plain.Bold(true), "#87D787")
	s.choiceOff = fg(plain, "#8A8A8A")
	s.focusMark = fg(plain.Bold(true), "#7D56F4")
	s.rule = fg(plain, "#444444")

	s.rowSelected = bg(plain.Bold(true), "#303050")
	if noColor {
		s.rowSelected = plain.Reverse(true)
	}
	s.rowFocused = s.rowSelected
	s.dim = fg(plain.Faint(true), "#767676")
	s.header = fg(plain.Bold(true), "#A8A8A8")
	s.tabOn = bg(fg(plain.Bold(true), "#FFFFFF"), "#7D56F4")
	if noColor {
		s.tabOn = plain.Bold(true).Reverse(true)
	}
	s.tabOff = fg(plain, "#A8A8A8")
	s.outcome = map[string]lipgloss.Style{
		"ok":       fg(plain.Bold(true), "#5FD75F"),
		"partial":  fg(plain.Bold(true), "#FFD75F"),
		"rejected": fg(plain.Bold(true), "#FF5F5F"),
		"failed":   fg(plain.Bold(true), "#FF875F"),
		"unknown":  fg(plain.Bold(true), "#AF87FF"),
		"pending":  fg(plain, "#5FAFD7"),
		"queued":   fg(plain, "#FFAF5F"),
	}
	s.status = fg(plain, "#A8A8A8")
	s.notice = fg(plain.Bold(true), "#FFD75F")
	return s
}

// outcomeStyle falls back to plain text for states the map does not know.
func (s *styles) outcomeStyle(o string) lipgloss.Style {
	if st, ok := s.outcome[o]; ok {
		return st
	}
	return lipgloss.NewStyle()
}

// cursorColor is the real cursor's color; nil leaves the terminal's own.
func (s *styles) cursorColor() color.Color {
	if s.noColor {
		return nil
	}
	return lipgloss.Color("#7D56F4")
}
