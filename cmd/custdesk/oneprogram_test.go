package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The CLI behaves like one program: help on stdout with exit 0 everywhere,
// flags before and after arguments, the command found among global flags.
func TestCLIIsOneProgram(t *testing.T) {
	dir := isolate(t)
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		r := runCLI(t, "", args...)
		if r.code != exitOK || !strings.Contains(r.stdout, "custdesk history") || !strings.Contains(r.stdout, "custdesk import") {
			t.Errorf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}
	for _, cmd := range []string{"submit", "history", "import", "sandbox", "config"} {
		r := runCLI(t, "", cmd, "-h")
		if r.code != exitOK || !strings.Contains(r.stdout, "-") || r.stderr != "" {
			t.Errorf("%s -h: exit %d\nstdout %q\nstderr %q", cmd, r.code, r.stdout, r.stderr)
		}
	}
	// submit - --dry-run: the flag after the file still counts.
	r := runCLI(t, `{"name":"王小二","mobile":"13411111111"}`, "submit", "-", "--dry-run", "--output", "json")
	if r.code != exitOK || !strings.Contains(r.stdout, `"signed"`) {
		t.Errorf("submit - --dry-run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// No Go types in what a person reads.
	r = runCLI(t, `[{"name":"王小二"}]`, "submit", "-")
	if r.code != exitBadInput || strings.Contains(r.stderr, "Go value") || !strings.Contains(r.stderr, "JSON object") {
		t.Errorf("a list given to submit: exit %d\n%s", r.code, r.stderr)
	}
	cfg := filepath.Join(dir, "c.toml")
	if r := runCLI(t, "", "config", "init", cfg); r.code != exitOK {
		t.Fatalf("config init: %d %s", r.code, r.stderr)
	}
	if _, err := os.Stat(cfg); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"config", "check", cfg}, {"config", "check", "--config", cfg}, {"--config", cfg, "config", "check"}} {
		r := runCLI(t, "", args...)
		if !strings.Contains(r.stdout+r.stderr, filepath.Base(cfg)) {
			t.Errorf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}
	if r := runCLI(t, "", "version"); r.code != exitOK || !strings.HasPrefix(r.stdout, "custdesk ") || !strings.Contains(r.stdout, "go1.") {
		t.Errorf("version: %q", r.stdout)
	}
}

func TestSubmitSpeaksChinese(t *testing.T) {
	isolate(t)
	r := runCLI(t, `{"name":"王小二","mobile":"12"}`, "submit", "--lang", "zh", "-")
	if r.code != exitBadInput || !strings.Contains(r.stderr, "处字段错误，未发送") {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
	if r := runCLI(t, wang, "submit", "--lang", "fr"); r.code != exitBadInput || !strings.Contains(r.stderr, "zh or en") {
		t.Errorf("--lang fr: exit %d %s", r.code, r.stderr)
	}
}

// The built-in sandbox comes back on the same port when it is free, so an
// old entry's URL and a copied curl still reach it; a second one takes
// another port.
func TestBuiltinSandboxKeepsItsPort(t *testing.T) {
	a, err := startBuiltinSandbox()
	if err != nil {
		t.Fatal(err)
	}
	b, err := startBuiltinSandbox()
	if err != nil {
		t.Fatal(err)
	}
	if a.URL == b.URL {
		t.Errorf("two sandboxes on %s", a.URL)
	}
	first := a.URL
	_ = a.Close()
	_ = b.Close()
	// The server lets go of its listener just after Close returns.
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if l, err := net.Listen("tcp", builtinSandboxAddr); err == nil {
			l.Close()
			break
		}
	}
	c, err := startBuiltinSandbox()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if first == "http://"+builtinSandboxAddr && c.URL != first {
		t.Errorf("the port moved: %s then %s", first, c.URL)
	}
}
