package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

// hostileBody is a hostile platform's answer: escape sequences in every
// field (OSC title and clipboard, screen clear, OSC 8), as 7-bit escapes, as
// UTF-8 C1 characters and as raw 8-bit bytes, bidi overrides and
// zero-width characters.
const hostileBody = `{"code":"E\u001b]0;pwned\u0007","msg":"\u001b[2J\u001b]52;c;aGk=\u0007` + "\x9b31m\x9d0;t\x9c" +
	`","message":"\u009b31m\u202Eevil\u200B","sub_code":"\u001b]8;;http://evil.example\u001b\\link","sub_msg":"x\u2066y",` +
	`"error_response":{"code":15,"msg":"\u001b]52;c;aGk=\u0007","sub_code":"isv.\u001b[5m","sub_msg":"\u202Ecba\t\nnext"}}`

// hostileConfig starts the hostile platform on loopback and writes a config
// pointing every platform at it.
func hostileConfig(t *testing.T, dir string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(hostileBody))
	}))
	t.Cleanup(srv.Close)
	text, err := config.Encode(config.ForSandbox(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "hostile.toml")
	if err := os.WriteFile(path, text, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// assertSafeOutput fails when text output carries anything a terminal acts
// on: every line must be what termsafe prints.
func assertSafeOutput(t *testing.T, what, out string) {
	t.Helper()
	// Tabs are the output's own column separators.
	for i, l := range strings.Split(strings.ReplaceAll(out, "\t", " "), "\n") {
		if !termsafe.Safe(l) {
			t.Errorf("%s line %d carries %q", what, i+1, l)
		}
	}
}

func TestHostilePlatformTextOutputIsTerminalSafe(t *testing.T) {
	dir := isolate(t)
	cfg := hostileConfig(t, dir)
	data := filepath.Join(dir, "data")

	r := runCLI(t, wang, "submit", "--config", cfg, "--data-dir", data)
	if r.code != exitNotOK {
		t.Fatalf("submit: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	assertSafeOutput(t, "submit stdout", r.stdout)
	assertSafeOutput(t, "submit stderr", r.stderr)
	if !strings.Contains(r.stdout, `\x1b]52;c;aGk=\x07`) {
		t.Errorf("the clipboard escape is not shown as text:\n%s", r.stdout)
	}

	// JSON stays exact: the platform's bytes come back once decoded.
	r = runCLI(t, wang, "submit", "--config", cfg, "--data-dir", data, "--output", "json", "--platform", "alsc")
	var out []exchangeJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out) != 1 {
		t.Fatalf("submit json: %v\n%s", err, r.stdout)
	}
	if !strings.Contains(out[0].Result.Message, "\x1b]52;c;aGk=\x07") || !strings.Contains(out[0].Response, `\u202Eevil\u200B`) {
		t.Errorf("JSON output changed the platform's text: %+v", out[0])
	}
	assertSafeOutput(t, "submit json", r.stdout)

	r = runCLI(t, "", "history", "--config", cfg, "--data-dir", data)
	if r.code != exitOK {
		t.Fatalf("history: exit %d\n%s", r.code, r.stderr)
	}
	assertSafeOutput(t, "history", r.stdout)

	csvFile := filepath.Join(dir, "members.csv")
	rows := "name,mobile\n王小二,13411111111\n\"bad\x1b]0;x\x07\",13411111112\n"
	if err := os.WriteFile(csvFile, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, "", "import", csvFile, "--config", cfg, "--data-dir", data, "--platform", "alsc", "--rate", "alsc=off")
	if r.code != exitNotOK {
		t.Fatalf("import: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	assertSafeOutput(t, "import stdout", r.stdout)
	assertSafeOutput(t, "import stderr", r.stderr)
	if !strings.Contains(r.stdout, "rows not ok") || !strings.Contains(r.stdout, `\x1b]52;c;aGk=\x07`) {
		t.Errorf("import stdout:\n%s", r.stdout)
	}
	report, err := os.ReadFile(filepath.Join(dir, "members.invalid.csv"))
	if err != nil || !strings.Contains(string(report), "3,name,,characters,") {
		t.Errorf("the report does not refuse the name's escape (%v):\n%s", err, report)
	}
}

// A name with an escape is refused before anything is sent, in both
// languages, and the message shows the character by its code.
func TestSubmitRefusesControlCharacters(t *testing.T) {
	isolate(t)
	for lang, want := range map[string]string{"en": "character 4, U+001B", "zh": "第 4 个字符 U+001B"} {
		r := runCLI(t, `{"name":"王小二\u001b[2J","mobile":"13411111111"}`, "submit", "--lang", lang)
		if r.code != exitBadInput || !strings.Contains(r.stderr, "name: "+want) {
			t.Errorf("%s: exit %d\n%s", lang, r.code, r.stderr)
		}
		assertSafeOutput(t, "stderr", r.stderr)
	}
	r := runCLI(t, "", "history", "--output", "json")
	if r.code != exitOK || strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("something was recorded: %s", r.stdout)
	}
}

// File names are terminal text too.
func TestConfigCheckShowsAHostileFileNameEscaped(t *testing.T) {
	dir := isolate(t)
	cfg := hostileConfig(t, dir)
	evil := filepath.Join(dir, "c\x1b]0;x\x07.toml")
	if err := os.Rename(cfg, evil); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "config", "check", evil)
	if r.code != exitOK || !strings.Contains(r.stdout, `c\x1b]0;x\x07.toml: ok`) {
		t.Fatalf("config check: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	assertSafeOutput(t, "config check", r.stdout)
	r = runCLI(t, "", "submit", "--config", evil+"\u202Emissing")
	assertSafeOutput(t, "missing config", r.stderr)
}

// import --check shows a file's headers and cells: a header's OSC escape and
// a cell's C1 control are shown as text, in both outputs, and the JSON still
// decodes to the file's bytes.
func TestImportCheckShowsAHostileFileEscaped(t *testing.T) {
	dir := isolate(t)
	file := filepath.Join(dir, "members.csv")
	rows := "name,mobile,\x1b]0;pwned\x07evil\n王小二,13411111111,x\n李四,13411111112 ,\"\xc2\x9b31m\"\n"
	if err := os.WriteFile(file, []byte("name,mobile,remark\n王小二,13411111111,\xc2\x9b31m\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "import", file, "--check")
	if r.code != exitOK || !strings.Contains(r.stdout, `\u009b31m`) {
		t.Fatalf("check: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	assertSafeOutput(t, "check stdout", r.stdout)

	if err := os.WriteFile(file, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, "", "import", file, "--check")
	if r.code != exitOK || !strings.Contains(r.stdout, `\x1b]0;pwned\x07evil`) {
		t.Fatalf("check: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	assertSafeOutput(t, "check stdout", r.stdout)
	r = runCLI(t, "", "import", file, "--check", "--output", "json")
	var out struct {
		Columns []struct{ Header string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out.Columns) != 3 || out.Columns[2].Header != "\x1b]0;pwned\x07evil" {
		t.Fatalf("check json (%v): %+v\n%s", err, out, r.stdout)
	}
	assertSafeOutput(t, "check json", r.stdout)
}
