package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/custdesk/custdesk/internal/central"
	"github.com/custdesk/custdesk/internal/central/pgtest"
	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

// A terminal configured with [central], as a person sets one up: config
// check before the schema exists, central init (twice), a submit that is
// shipped before the command exits, config check's high-water mark, and
// the head-office search naming the terminal. The URL's password never
// shows.
func TestCentralFromInitToHeadOfficeSearch(t *testing.T) {
	dir := isolate(t)
	url := strings.Replace(pgtest.NewDB(t), "custdesk_admin@", "custdesk_admin:s3cretpw@", 1)
	t.Setenv("CUSTDESK_CENTRAL_URL", url)
	sb, err := sandbox.Start(sandbox.Demo(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	cfg := filepath.Join(dir, "config.toml")
	writeTerminalConfig(t, cfg, sandboxConfig(t, sb.URL), "store-012/pos-1")
	data := filepath.Join(dir, "till")
	var outputs []string
	cli := func(stdin string, args ...string) result {
		t.Helper()
		r := runCLI(t, stdin, args...)
		outputs = append(outputs, r.stdout, r.stderr)
		return r
	}

	if r := cli("", "config", "check", cfg); r.code != exitOK || !strings.Contains(r.stdout, "no custdesk schema yet") {
		t.Fatalf("check before init: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := cli("", "central", "init", "--config", cfg); r.code != exitOK || !strings.Contains(r.stdout, fmt.Sprintf("from version 0 to %d", central.Version)) {
		t.Fatalf("init: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := cli("", "central", "init", "--config", cfg); r.code != exitOK || !strings.Contains(r.stdout, fmt.Sprintf("already at version %d", central.Version)) {
		t.Fatalf("init again: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := cli(wang, "submit", "--config", cfg, "--data-dir", data); r.code != exitOK {
		t.Fatalf("submit: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r := cli("", "config", "check", cfg)
	if r.code != exitOK || !regexp.MustCompile(fmt.Sprintf(`PostgreSQL \d+[^\n]*, schema version %d`, central.Version)).MatchString(r.stdout) ||
		!regexp.MustCompile(`high-water mark of store-012/pos-1: [1-9]`).MatchString(r.stdout) {
		t.Fatalf("check after a submit: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = cli("", "history", "--central", "--config", cfg, "--search", "store:store-012 王小二")
	if r.code != exitOK || !strings.Contains(r.stdout, "store-012/pos-1") || !regexp.MustCompile(`alsc:ok\(\S+\)`).MatchString(r.stdout) {
		t.Fatalf("history --central: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = cli("", "history", "--central", "--config", cfg, "--search", "terminal:store-999/pos-1")
	if r.code != exitOK || strings.Contains(r.stdout, "王小二") {
		t.Fatalf("another terminal's filter found this one's entry: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, out := range outputs {
		if strings.Contains(out, "s3cretpw") {
			t.Fatalf("the central URL's password was printed:\n%s", out)
		}
	}
}

// sandboxConfig is the configuration text of the sandbox at url.
func sandboxConfig(t *testing.T, url string) []byte {
	t.Helper()
	text, err := config.Encode(config.ForSandbox(url))
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// writeTerminalConfig writes base with a [central] section naming this
// terminal, its url read from $CUSTDESK_CENTRAL_URL.
func writeTerminalConfig(t *testing.T, path string, base []byte, terminal string) {
	t.Helper()
	text := append(append([]byte{}, base...), "\n[central]\nurl = \"env:CUSTDESK_CENTRAL_URL\"\nterminal = \""+terminal+"\"\n"...)
	if err := os.WriteFile(path, text, 0o600); err != nil {
		t.Fatal(err)
	}
}
