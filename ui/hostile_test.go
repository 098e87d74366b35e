package ui

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

// hostileBody is what a hostile platform answers: escape sequences in every
// field, in 7-bit form, as UTF-8 C1 characters and as raw 8-bit bytes (which
// json.Valid lets through), bidi overrides and zero-width characters.
const hostileBody = `{"code":"E\u001b]0;pwned\u0007","msg":"\u001b[2J\u001b]52;c;aGk=\u0007` + "\x9b31m\x9d0;t\x9c" +
	`","message":"\u009b31m\u202Eevil\u200B","sub_code":"\u001b]8;;http://evil.example\u001b\\link","sub_msg":"x\u2066y",` +
	`"error_response":{"code":15,"msg":"\u001b[31mred","sub_code":"isv.\u001b[5m","sub_msg":"\u202Ecba"}}`

// sgr matches the styling the console itself writes; anything else of
// ESC's is the platform's and must not reach the terminal.
var sgr = regexp.MustCompile("\x1b\\[[0-9;:]*m")

// assertTerminalSafe fails when a frame carries, beside the console's own
// styling, any byte or character a terminal acts on or hides.
func assertTerminalSafe(t *testing.T, what, frame string) {
	t.Helper()
	for i, l := range strings.Split(sgr.ReplaceAllString(frame, ""), "\n") {
		if !termsafe.Safe(l) {
			t.Fatalf("%s: line %d carries %q", what, i, l)
		}
	}
}

func TestHostilePlatformNeverReachesTheTerminal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Evil", "\x9b2J\u202e")
		_, _ = w.Write([]byte(hostileBody))
	}))
	t.Cleanup(srv.Close)
	ps, err := config.Sandbox(srv.URL).Build()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	disp := dispatch.New(st, ps, dispatch.Options{Backoff: func(int) time.Duration { return time.Hour }})

	// A customer recorded before names were checked, with an OSC 8 link, a
	// color and a bidi override in the name.
	legacy := &store.Submission{RequestID: "req-\x1b]0;t\x07", Platforms: []string{"alsc"}, Source: store.SourceConsole,
		Customer: platforms.Customer{Name: "\x1b]8;;http://evil.example\x1b\\王小二\x1b]8;;\x1b\\\x1b[31m\u202E", Mobile: "13411111111\u200B"}}
	if err := st.Begin(context.Background(), legacy); err != nil {
		t.Fatal(err)
	}

	m := newModel(Options{Platforms: ps, Lang: "en", NoColor: true}, disp, st)
	m.timers = false
	m.c.now = func() time.Time { return fixedNow }
	d := drive(t, m, 120, 40)
	d.settle()
	d.typeText("王小二")
	d.press("tab")
	d.typeText("13411111111")
	d.press("ctrl+s")
	d.settle()
	assertTerminalSafe(t, "form after the answers", d.m.View().Content)

	d.press("ctrl+o")
	d.settle()
	frame := d.m.View().Content
	assertTerminalSafe(t, "history list", frame)
	if !strings.Contains(frame, `\x1b]8;;http://evil.ex`) || !strings.Contains(frame, "⟨U+") {
		t.Errorf("the legacy name is not shown escaped:\n%s", unstyled(frame))
	}
	for _, row := range []string{"the new submission", "the legacy one"} {
		d.press("enter")
		d.settle()
		for range 3 { // every platform's tab
			for range modeCount { // every view
				assertTerminalSafe(t, row+" entry", d.m.View().Content)
				d.press("v")
			}
			d.press("tab")
		}
		d.press("esc")
		d.settle()
		d.press("down")
	}
	// The exact-bytes view shows the raw 8-bit CSI as an escape, so support
	// still sees what came.
	d.press("up", "enter")
	d.settle()
	d.press("v")
	if s := d.m.View().Content; !strings.Contains(s, `\x9d0;t\x9c`) {
		t.Errorf("the bytes view hides the hostile bytes:\n%s", unstyled(s))
	}
}

func unstyled(s string) string { return sgr.ReplaceAllString(s, "") }

// A bidi override pasted into the name is refused by the form with the
// same error in either language, shown as an escape, and nothing is sent.
func TestFormRefusesInvisibleCharacters(t *testing.T) {
	for _, c := range []struct{ lang, want string }{
		{"en", "character 4, U+202E, is a control"},
		{"zh", "第 4 个字符 U+202E 是控制字符"},
	} {
		e := newEnv(t)
		d := drive(t, e.model(t, c.lang), 120, 40)
		d.settle()
		d.send(tea.PasteMsg{Content: "王小二\u202Egpj.exe"})
		// The cursor stands right after the text as shown, escape included.
		v := d.m.View()
		shown := "王小二⟨U+202E⟩gpj.exe"
		for y, l := range strings.Split(ansi.Strip(v.Content), "\n") {
			if i := strings.Index(l, shown); i >= 0 {
				if x := ansi.StringWidth(l[:i+len(shown)]); v.Cursor == nil || v.Cursor.X != x || v.Cursor.Y != y {
					t.Errorf("%s: cursor at %+v, want column %d row %d", c.lang, v.Cursor, x, y)
				}
			}
		}
		d.press("tab")
		d.typeText("13411111111")
		d.press("ctrl+s")
		d.settle()
		frame := d.m.View().Content
		assertTerminalSafe(t, c.lang+" form", frame)
		if s := unstyled(frame); !strings.Contains(s, c.want) || !strings.Contains(s, "王小二⟨U+202E⟩gpj") {
			t.Errorf("%s: the form does not name the character:\n%s", c.lang, s)
		}
		if subs, err := e.st.List(context.Background(), store.Query{}); err != nil || len(subs) != 0 {
			t.Errorf("%s: %d submissions recorded (%v)", c.lang, len(subs), err)
		}
	}
}

// The x export's CSV opens in a spreadsheet as data: a byte order mark, and
// every cell that would be a formula starts with '.
func TestExportCSVIsSpreadsheetSafe(t *testing.T) {
	e := newEnv(t)
	sub := &store.Submission{RequestID: "req-1", Platforms: []string{"alsc"}, Source: store.SourceConsole,
		Customer: platforms.Customer{Name: `=HYPERLINK("http://evil.example","王小二")`, Mobile: "+86-13411111111",
			Remark: "+cmd|' /C calc'!A0", Address: "@SUM(1)", Level: "-12.5"}}
	if err := e.st.Begin(context.Background(), sub); err != nil {
		t.Fatal(err)
	}
	d := drive(t, e.model(t, "en"), 120, 40)
	d.settle()
	d.press("ctrl+o", "x")
	d.settle()
	b, err := os.ReadFile(filepath.Join(e.dir, "history-20250314-150926.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		t.Errorf("no byte order mark: %q", b[:min(len(b), 16)])
	}
	rows, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	cells := strings.Join(rows[1], "|")
	for _, want := range []string{`'=HYPERLINK("http://evil.example","王小二")`, "'+86-13411111111", "'+cmd|' /C calc'!A0", "'@SUM(1)", "|-12.5|"} {
		if !strings.Contains("|"+cells+"|", want) {
			t.Errorf("no %q in %q", want, cells)
		}
	}
	for _, c := range rows[1] {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) && c != "-12.5" {
			t.Errorf("cell %q would be a formula", c)
		}
	}
}
