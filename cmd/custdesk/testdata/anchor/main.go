// Command anchor is the yardstick of custdesk's terminal benchmarks: one bare
// textinput in Bubble Tea, the least a console can be. "anchor version"
// prints a line and exits, the least a start-up can cost.
package main

import (
	"fmt"
	"os"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

type model struct{ in textinput.Model }

func (m model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "ctrl+c" {
		return m, tea.Quit
	}
	var cmd tea.Cmd
	m.in, cmd = m.in.Update(msg)
	return m, cmd
}

func (m model) View() tea.View {
	v := tea.NewView("name: " + m.in.View() + "\nctrl+s")
	v.AltScreen = true
	return v
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "version" {
		fmt.Println("anchor")
		return
	}
	in := textinput.New()
	in.Focus()
	if _, err := tea.NewProgram(model{in: in}).Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
