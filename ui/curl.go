package ui

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

// Copy as curl: the request of an exchange, as stored, as a shell command
// that sends it again with curl: same method, URL, headers and body bytes.
//
// The stored request has its secrets masked (platforms.MaskString) at the
// positions its Redactions list, each with the name of the shell variable
// that holds that secret (the platform client names them; config.toml.example
// lists them). The command refers to exactly those positions as variables,
// so it can be pasted into a ticket or a chat without leaking anything, and
// run by whoever holds the secrets. Text that merely looks like a mask, or
// equals a secret, is the customer's and is copied as it is.
//
// Signatures are not secrets (they are digests) and are copied as sent; they
// cover the timestamp sent with them, so the platform refuses the copy once
// that timestamp is old.
//
// Quoting: every argument is single-quoted, where the shell interprets
// nothing; a single quote inside becomes '\'' and a variable "$NAME". The
// bytes are otherwise exactly those stored, newlines included.

// shellPart is a literal piece of an argument, or a variable reference.
type shellPart struct {
	lit string
	env string
}

// shellWord is one word of the command: an option written bare, or an
// argument built from parts and quoted.
type shellWord struct {
	bare  string
	parts []shellPart
}

// curlCommand is a command laid out one option per line.
type curlCommand struct {
	lines [][]shellWord
	envs  []string // variables it needs, in order of first use
	// signed: the request carries a signature over a timestamp, which the
	// platform accepts for window (0: not known).
	signed bool
	window time.Duration
	// hasNUL: the body holds NUL bytes, which no command-line argument can carry.
	hasNUL bool
}

// buildCurl turns a stored request into a curl command.
func buildCurl(t platforms.Trace) curlCommand {
	c := curlCommand{signed: t.Signed != ""}
	seen := map[string]bool{}
	parts := func(s, part string, shift int) []shellPart { return c.split(t, s, part, shift, seen) }
	method := t.Method
	if method == "" {
		method = http.MethodGet
	}
	first := []shellWord{{bare: "curl"}}
	implied := http.MethodGet
	if len(t.Body) > 0 {
		implied = http.MethodPost
	}
	if method != implied {
		first = append(first, shellWord{bare: "-X"}, shellWord{parts: []shellPart{{lit: method}}})
	}
	first = append(first, shellWord{parts: parts(t.URL, platforms.PartURL, 0)})
	c.lines = append(c.lines, first)

	for _, k := range slices.Sorted(maps.Keys(t.Headers)) {
		c.lines = append(c.lines, []shellWord{{bare: "-H"},
			{parts: parts(k+": "+t.Headers[k], platforms.PartHeader(k), len(k)+2)}})
	}
	if len(t.Body) > 0 {
		body := string(t.Body)
		c.hasNUL = strings.IndexByte(body, 0) >= 0
		c.lines = append(c.lines, []shellWord{{bare: "--data-raw"}, {parts: parts(body, platforms.PartBody, 0)}})
	}
	return c
}

// split cuts s (the text of part, after shift bytes of prefix) at the
// request's redactions of that part; each secret becomes its variable.
func (c *curlCommand) split(t platforms.Trace, s, part string, shift int, seen map[string]bool) []shellPart {
	var ps []shellPart
	at := 0
	for _, r := range redactionsOf(t, part) {
		i := r.Offset + shift
		if i < at || i+len(platforms.MaskString) > len(s) || s[i:i+len(platforms.MaskString)] != platforms.MaskString || r.Var == "" {
			continue // not a mask this text has: copy the text as it is
		}
		if i > at {
			ps = append(ps, shellPart{lit: s[at:i]})
		}
		if !seen[r.Var] {
			seen[r.Var] = true
			c.envs = append(c.envs, r.Var)
		}
		ps = append(ps, shellPart{env: r.Var})
		at = i + len(platforms.MaskString)
	}
	if at < len(s) || len(ps) == 0 {
		ps = append(ps, shellPart{lit: s[at:]})
	}
	return ps
}

// redactionsOf are t's redactions in part, in order.
func redactionsOf(t platforms.Trace, part string) []platforms.Redaction {
	var out []platforms.Redaction
	for _, r := range t.Redactions {
		if r.Part == part {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Offset < out[j].Offset })
	return out
}

// text is the command to paste, exactly: one option per line, joined by
// backslash-newline.
func (c curlCommand) text() string {
	lines, _ := c.render(0)
	return strings.Join(lines, "\n")
}

// render lays the command out. width 0 leaves lines whole (the clipboard).
// A width wraps long arguments so that the screen can be copied by hand and
// still run the same: a break inside a quoted argument closes the quote and
// continues the line with a backslash ('\ newline '), which the shell joins
// back together. Such continuation lines start at column 0, since a space
// there would split the argument. lossy reports that the screen had to
// escape control characters or invalid UTF-8, so that a copy by hand would
// differ from the stored bytes.
func (c curlCommand) render(width int) (lines []string, lossy bool) {
	r := &shellRenderer{width: width, display: width > 0}
	for i, words := range c.lines {
		if i > 0 {
			r.write("  ")
		}
		for j, w := range words {
			if j > 0 {
				r.write(" ")
			}
			if w.bare != "" {
				r.atom(w.bare)
				continue
			}
			r.word(w.parts)
		}
		if i < len(c.lines)-1 {
			r.write(" \\")
			r.newline()
		}
	}
	r.newline()
	return r.lines, r.lossy
}

// shellRenderer writes words into lines, breaking them at a width.
type shellRenderer struct {
	width   int
	display bool // escape what a terminal must not print
	lines   []string
	cur     strings.Builder
	col     int
	lossy   bool
}

// room is the width left for content: two columns stay free for the " \"
// or "'\" that ends a broken line.
func (r *shellRenderer) room() int { return r.width - 2 }

func (r *shellRenderer) write(s string) {
	r.cur.WriteString(s)
	r.col += ansi.StringWidth(s)
}

func (r *shellRenderer) newline() {
	r.lines = append(r.lines, r.cur.String())
	r.cur.Reset()
	r.col = 0
}

// atom writes text outside quotes that must not be split; a line too full
// for it is continued with a backslash first.
func (r *shellRenderer) atom(s string) {
	if r.width > 0 && r.col > 0 && r.col+ansi.StringWidth(s) > r.room() {
		r.write("\\")
		r.newline()
	}
	r.write(s)
}

// word writes an argument: its literal pieces single-quoted, its variables
// double-quoted.
func (r *shellRenderer) word(parts []shellPart) {
	for _, p := range parts {
		if p.env != "" {
			r.atom(`"$` + p.env + `"`)
			continue
		}
		segs := strings.Split(p.lit, "'")
		for i, seg := range segs {
			if i > 0 {
				r.atom(`\'`)
			}
			if seg != "" || len(segs) == 1 {
				r.quoted(seg)
			}
		}
	}
}

// quoted writes s between single quotes, breaking it where the width ends.
func (r *shellRenderer) quoted(s string) {
	if r.width > 0 && r.col > 0 && r.col+2 > r.room() {
		r.write("\\")
		r.newline()
	}
	r.write("'")
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		raw := s[i : i+size]
		i += size
		if c == '\n' {
			// Inside quotes a newline is part of the argument: the line
			// breaks where the body does.
			r.newline()
			continue
		}
		shown := raw
		if r.display {
			if e := termsafe.Text(raw); e != raw {
				shown, r.lossy = e, true
			}
		}
		w := ansi.StringWidth(shown)
		if r.width > 0 && r.col > 1 && r.col+w > r.room() {
			r.write("'\\")
			r.newline()
			r.write("'")
		}
		r.write(shown)
	}
	r.write("'")
}

// curlView shows a copied command over the entry, scrollable, for copying
// by hand. The console lets go of the mouse while it is open, so the
// terminal's own selection works.
type curlView struct {
	c        *common
	title    string
	cmd      curlCommand
	lines    []string
	cmdStart int // lines from here on are the command
	top      int

	width, height int
}

func newCurlView(c *common, title string, cmd curlCommand) *curlView {
	return &curlView{c: c, title: title, cmd: cmd}
}

func (v *curlView) SetSize(w, h int) {
	v.width, v.height = w, h
	v.layout()
}

// layout wraps the notes and the command at the width, once per size.
func (v *curlView) layout() {
	st := v.c.st
	cmdLines, lossy := v.cmd.render(max(20, v.width))
	var notes []text
	notes = append(notes, msgCurlCopied)
	if len(v.cmd.envs) > 0 {
		notes = append(notes, text{msgCurlEnv.zh + strings.Join(v.cmd.envs, " "), msgCurlEnv.en + strings.Join(v.cmd.envs, " ")})
	}
	if v.cmd.signed {
		notes = append(notes, signedNote(v.cmd.window))
	}
	if lossy {
		notes = append(notes, msgCurlLossy)
	}
	if v.cmd.hasNUL {
		notes = append(notes, msgCurlNUL)
	}
	var lines []string
	for _, n := range notes {
		for _, l := range wrapLines(v.c.tr(n), max(10, v.width-2)) {
			lines = append(lines, st.dim.Render(" "+l))
		}
	}
	lines = append(lines, "")
	// Command lines start at column 0: a continuation line with a space in
	// front would split an argument when copied.
	v.cmdStart = len(lines)
	v.lines = append(lines, cmdLines...)
	v.clamp()
}

// bodyH is the number of scrolling lines: the pane minus title and rule.
func (v *curlView) bodyH() int { return max(1, v.height-2) }

func (v *curlView) clamp() {
	v.top = max(0, min(v.top, len(v.lines)-v.bodyH()))
}

// Update scrolls the command; esc (or c again) closes the view, which it
// says with a command the detail takes as "closed".
func (v *curlView) Update(msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	k := v.c.keys.detail
	switch {
	case key.Matches(km, k.Close), key.Matches(km, k.Curl):
		return func() tea.Msg { return closeMsg{} } // the detail closes the view
	case key.Matches(km, k.Up):
		v.top--
	case key.Matches(km, k.Down):
		v.top++
	case key.Matches(km, k.PageUp):
		v.top -= v.bodyH()
	case key.Matches(km, k.PageDown):
		v.top += v.bodyH()
	case key.Matches(km, v.c.keys.history.Top):
		v.top = 0
	case key.Matches(km, v.c.keys.history.Bottom):
		v.top = len(v.lines)
	}
	v.clamp()
	return nil
}

func (v *curlView) ShortHelp() []key.Binding {
	return []key.Binding{v.c.keys.detail.Close, v.c.keys.detail.Up, v.c.keys.global.Quit}
}

func (v *curlView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }

func (v *curlView) View() []string {
	st := v.c.st
	out := make([]string, 0, v.height)
	out = append(out, padRight(st.title.Render(ansi.Truncate(v.title, v.width, "…")), v.width))
	out = append(out, st.rule.Render(strings.Repeat("─", v.width)))
	end := min(len(v.lines), v.top+v.bodyH())
	for i := v.top; i < end; i++ {
		if i >= v.cmdStart {
			// Not padded: spaces after a line's final backslash, copied by
			// hand, would stop it continuing the command.
			out = append(out, ansi.Truncate(v.lines[i], v.width, ""))
			continue
		}
		out = append(out, padRight(v.lines[i], v.width))
	}
	return fill(out, v.height, v.width)
}

// signedNote says how long a copied signed request replays.
func signedNote(window time.Duration) text {
	zh, en := "几分钟", "a few minutes"
	switch {
	case window <= 0:
	case window >= 2*time.Minute && window%time.Minute == 0:
		n := strconv.Itoa(int(window / time.Minute))
		zh, en = n+" 分钟", n+" minutes"
	default:
		n := strconv.Itoa(int(window / time.Second))
		zh, en = n+" 秒", n+" seconds"
	}
	return text{fmt.Sprintf(msgCurlSigned.zh, zh), fmt.Sprintf(msgCurlSigned.en, en)}
}
