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

// Two tills of one store on the central store: a member submitted at one
// is not created again by an import at the other, which says where it is
// enrolled; --allow-duplicates, a person's decision, creates it there too.
func TestImportAtAnotherTillRespectsTheChain(t *testing.T) {
	dir := isolate(t)
	t.Setenv("CUSTDESK_CENTRAL_URL", pgtest.NewDB(t))
	sb, err := sandbox.Start(sandbox.Demo(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	sb.CountByMobile()
	pos1, pos2 := filepath.Join(dir, "pos-1.toml"), filepath.Join(dir, "pos-2.toml")
	writeTerminalConfig(t, pos1, sandboxConfig(t, sb.URL), "store-012/pos-1")
	writeTerminalConfig(t, pos2, sandboxConfig(t, sb.URL), "store-012/pos-2")
	if r := runCLI(t, "", "central", "init", "--config", pos1); r.code != exitOK {
		t.Fatalf("init: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, wang, "submit", "--config", pos1, "--data-dir", filepath.Join(dir, "till1")); r.code != exitOK {
		t.Fatalf("submit: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	file := filepath.Join(dir, "members.csv")
	if err := os.WriteFile(file, []byte("姓名,手机\n王小二,13411111111\n李四,13411111112\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	till2 := filepath.Join(dir, "till2")
	r := runCLI(t, "", "import", file, "--config", pos2, "--data-dir", till2)
	if r.code != exitOK || strings.Count(r.stdout, "already enrolled at store-012/pos-1") != 3 {
		t.Fatalf("import at pos-2: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, path := range []string{sandbox.PathALSC, sandbox.PathYouzan, sandbox.PathNXLink} {
		if n := sb.CreatedFor(path, "13411111111"); n != 1 {
			t.Errorf("%s holds %d customers for the member, want the one pos-1 created", path, n)
		}
	}
	r = runCLI(t, "", "import", file, "--config", pos2, "--data-dir", till2, "--allow-duplicates")
	if r.code != exitOK {
		t.Fatalf("import --allow-duplicates: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// NXLink finds an existing customer by contact instead of creating one.
	for path, want := range map[string]int64{sandbox.PathALSC: 2, sandbox.PathYouzan: 2, sandbox.PathNXLink: 1} {
		if n := sb.CreatedFor(path, "13411111111"); n != want {
			t.Errorf("with --allow-duplicates %s holds %d, want %d", path, n, want)
		}
	}
}
