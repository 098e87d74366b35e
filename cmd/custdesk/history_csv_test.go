package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/creack/pty"

	"github.com/custdesk/custdesk/internal/csvsafe"
)

// A CSV read on a terminal goes through termsafe; the same CSV redirected to
// a file keeps the platform's exact bytes for the spreadsheet.
func TestHistoryCSVOnATerminalIsSafe(t *testing.T) {
	dir := isolate(t)
	cfg := hostileConfig(t, dir)
	data := dir + "/data"
	if r := runCLI(t, wang, "submit", "--config", cfg, "--data-dir", data, "--platform", "alsc"); r.code != exitNotOK {
		t.Fatalf("submit: exit %d\n%s", r.code, r.stderr)
	}

	saved := runCLI(t, "", "history", "--config", cfg, "--data-dir", data, "--output", "csv")
	if saved.code != exitOK || !strings.HasPrefix(saved.stdout, string(csvsafe.BOM)) || !strings.Contains(saved.stdout, "\x1b]52;c;aGk=\x07") {
		t.Fatalf("a saved CSV lost its mark or the platform's bytes (exit %d):\n%q", saved.code, saved.stdout)
	}

	shown := onTerminal(t, "history", "--config", cfg, "--data-dir", data, "--output", "csv")
	if strings.HasPrefix(shown, string(csvsafe.BOM)) {
		t.Error("the byte order mark reached the terminal")
	}
	if !strings.Contains(shown, `\x1b]52;c;aGk=\x07`) || !strings.Contains(shown, "王小二") {
		t.Errorf("the terminal does not show the escape as text:\n%s", shown)
	}
	assertSafeOutput(t, "history csv on a terminal", shown)
}

// onTerminal runs the CLI with its stdout on a pseudo-terminal and returns
// what the terminal received.
func onTerminal(t *testing.T, args ...string) string {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	got := make(chan []byte, 1)
	go func() { b, _ := io.ReadAll(ptmx); got <- b }()
	var errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), tty, &errb)
	_ = tty.Close() // the reader sees the end once the terminal's side is closed
	if code != exitOK {
		t.Fatalf("%v: exit %d\n%s", args, code, errb.String())
	}
	return strings.ReplaceAll(string(<-got), "\r\n", "\n")
}

// Writes cut anywhere, a mark split across them: the stream shown is the
// whole text, made safe, without the mark.
func TestTerminalCSVJoinsCutWrites(t *testing.T) {
	in := string(csvsafe.BOM) + "名,msg\n王小二,\"a\x1b[2Jb\"\n"
	var out bytes.Buffer
	w := terminalCSV(&out)
	for i := range len(in) {
		if _, err := w.Write([]byte(in[i : i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := out.String(), "名,msg\n王小二,\"a\\x1b[2Jb\"\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	out.Reset()
	w = terminalCSV(&out)
	_, _ = w.Write([]byte{0xEF, 'x'})
	if got := out.String(); got != `\xefx` {
		t.Errorf("a stream that only starts like a mark: %q", got)
	}
}
