package ui

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/internal/textcol"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

type noticeKind int

const (
	noticeInfo  noticeKind = iota // goes away by itself after noticeTTL
	noticeError                   // stays until the pane's next change or notice
	noticeAsk                     // a question: stays until answered
	noticeFix                     // problems to fix: stays until the form has none
)

// noticeTTL is how long an informational notice stays on the status line.
const noticeTTL = 5 * time.Second

// paneAny holds notices that show whatever has the focus: questions, quit.
const paneAny pane = -1

type notice struct {
	text string
	kind noticeKind
	at   time.Time
}

// statusBar is the line above the help bar. It shows sends in flight, else
// the focused pane's notice: a message belongs to the pane where it arose,
// so "choose at least one platform" does not follow the cashier into an
// entry, and an informational one expires.
type statusBar struct {
	c       *common
	subs    *submits
	notices map[pane]notice
	width   int
	frame   string // the spinner's frame
	hint    func() (string, bool)
}

func newStatusBar(c *common, subs *submits) *statusBar {
	return &statusBar{c: c, subs: subs, notices: map[pane]notice{}}
}

func (s *statusBar) SetSize(w, _ int) { s.width = w }

func (s *statusBar) Update(msg tea.Msg) tea.Cmd {
	if n, ok := msg.(noticeMsg); ok {
		s.set(n.pane, n.kind, n.text)
	}
	return nil
}

// set shows text for pane p. Notices quote errors, file names and
// customers' names, so they pass the terminal sanitiser.
func (s *statusBar) set(p pane, kind noticeKind, text string) {
	if text == "" {
		delete(s.notices, p)
		return
	}
	s.notices[p] = notice{text: termsafe.Line(text), kind: kind, at: s.c.now()}
}

func (s *statusBar) clear(p pane) { delete(s.notices, p) }

// current is the notice shown over pane p, if any.
func (s *statusBar) current(p pane) (notice, bool) {
	if n, ok := s.notices[paneAny]; ok {
		return n, true
	}
	n, ok := s.notices[p]
	if ok && n.kind == noticeInfo && s.c.now().Sub(n.at) >= noticeTTL {
		return notice{}, false
	}
	return n, ok
}

func (s *statusBar) asking() bool {
	n, ok := s.notices[paneAny]
	return ok && n.kind == noticeAsk
}

// line renders the status line for the focused pane.
func (s *statusBar) line(p pane) string {
	st := s.c.st
	if s.hint != nil && !s.asking() {
		if h, isErr := s.hint(); h != "" {
			style := st.dim
			if isErr {
				style = st.errText
			}
			return padRight(style.Render(" "+h), s.width)
		}
	}
	if s.subs.len() > 0 && !s.asking() {
		return s.sending()
	}
	n, ok := s.current(p)
	if !ok {
		return strings.Repeat(" ", s.width)
	}
	style := st.status
	if n.kind != noticeInfo {
		style = st.errText
	}
	text := " " + n.text
	if n.kind == noticeAsk && ansi.StringWidth(text) > s.width {
		// A question too wide keeps its end: what is asked and [y/N].
		text = "…" + ansi.TruncateLeft(text, ansi.StringWidth(text)-s.width+1, "")
	}
	return padRight(style.Render(text), s.width)
}

// sending shows the newest send in flight: spinner, name, and per platform
// its outcome and time, or how long it has been sending. When that is too
// wide it says less rather than cut a value: marks for words, then short
// platform names, then the name alone.
func (s *statusBar) sending() string {
	st := s.c.st
	sub := s.subs.list[len(s.subs.list)-1]
	more := ""
	if s.subs.len() > 1 {
		more = st.dim.Render(" (+" + strconv.Itoa(s.subs.len()-1) + ")")
	}
	cancel := st.dim.Render("  " + s.c.keys.global.Cancel.Help().Key + " ✕")
	head := st.notice.Render(s.frame) + " " + sub.name + " "
	for level := 0; level < 3; level++ {
		line := head + s.platformsText(sub, level) + more
		if ansi.StringWidth(line+cancel) <= s.width {
			return padRight(line+cancel, s.width)
		}
		if ansi.StringWidth(line) <= s.width {
			return padRight(line, s.width)
		}
	}
	return padRight(head+more, s.width)
}

// platformsText is each platform's progress at a level of detail: 0 words,
// 1 marks, 2 marks with the platforms' short names.
func (s *statusBar) platformsText(sub *submitting, level int) string {
	st := s.c.st
	now := s.c.now()
	var b strings.Builder
	for _, name := range sub.names {
		title := s.c.platformTitle(name)
		if level == 2 {
			title = name
		}
		state, word, dur := statePending, s.c.tr(msgSending), now.Sub(sub.started)
		if ex, ok := sub.results[name]; ok {
			state, dur = string(ex.Result.Outcome), ex.Duration
			word = s.c.outcomeText(state)
		}
		if level > 0 {
			word = (&history{c: s.c}).mark(state)
		}
		b.WriteString(" " + title + " " + st.outcomeStyle(state).Render(word) + " " + st.dim.Render(textcol.Duration(dur)))
	}
	return b.String()
}

func (s *statusBar) View() []string            { return []string{s.line(paneForm)} }
func (s *statusBar) ShortHelp() []key.Binding  { return nil }
func (s *statusBar) FullHelp() [][]key.Binding { return nil }
