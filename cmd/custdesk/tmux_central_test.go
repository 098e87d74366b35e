//go:build !windows

package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/central/pgtest"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

// The real binary opened with --central in tmux at 80x24: two terminals
// submitted through the CLI and shipped, the history pane lists both with
// their terminals, the other terminal's entry refuses r, and c switches to
// this terminal's own history.
func TestConsoleCentralInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it in tmux")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("no tmux")
	}
	bin := buildBinary(t) // before isolate moves HOME, and with it the build cache
	url, cfg, data := twoTerminalsShipped(t)
	session := "custdesk-test-" + t.Name()
	tmux := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("tmux", args...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	_ = exec.Command("tmux", "kill-session", "-t", session).Run()
	tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24",
		"env TERM=xterm-256color LANG=en_US.UTF-8 CUSTDESK_CENTRAL_URL='"+url+"' "+bin+
			" --config "+cfg+" --data-dir "+data+" --central --lang en")
	t.Cleanup(func() { _ = exec.Command("tmux", "kill-session", "-t", session).Run() })
	waitFor := func(what string, want ...string) string {
		t.Helper()
		var scr string
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			scr = tmux("capture-pane", "-p", "-t", session)
			all := true
			for _, w := range want {
				all = all && strings.Contains(scr, w)
			}
			if all {
				return scr
			}
		}
		t.Fatalf("%s: the screen never showed %q:\n%s", what, want, scr)
		return ""
	}
	waitFor("the chain view", "Chain history (2)", "store-012/pos-1 王小二", "store-007/pos-2 李雷")
	tmux("send-keys", "-t", session, "C-o")
	tmux("send-keys", "-t", session, "Enter") // the newest: the other terminal's
	waitFor("the other terminal's entry", "store-007/pos-2 #1  李雷")
	tmux("send-keys", "-t", session, "r")
	waitFor("r on the other terminal's entry", "store-007/pos-2's entry is read-only")
	tmux("send-keys", "-t", session, "Escape")
	// A key right after esc would arrive as alt+key: wait for the pane.
	waitFor("esc", "Chain history (2)", "c chain/local")
	tmux("send-keys", "-t", session, "c")
	scr := waitFor("c", "History (1)", "王小二")
	if strings.Contains(scr, "李雷") {
		t.Errorf("this terminal's history shows the other terminal's entry:\n%s", scr)
	}
}

// writeCentralOnly is a config for `central init`: the platforms and the
// [central] url, run as the admin role.
func writeCentralOnly(t *testing.T, dir string, base []byte) string {
	t.Helper()
	cfg := filepath.Join(dir, "admin.toml")
	writeTerminalConfig(t, cfg, base, "hq/admin")
	return cfg
}

// twoTerminalsShipped initialises a central store on a private PostgreSQL
// and submits one member at each of two terminals through the CLI (each
// ships before it exits); it returns the URL and this terminal's config and
// data directory.
func twoTerminalsShipped(t *testing.T) (url, cfg, data string) {
	t.Helper()
	dir := isolate(t)
	url = pgtest.NewDB(t)
	t.Setenv("CUSTDESK_CENTRAL_URL", url)
	sb, err := sandbox.Start(sandbox.Demo(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	base := sandboxConfig(t, sb.URL)
	terminal := func(name, customer string) (cfg, data string) {
		t.Helper()
		slug := strings.ReplaceAll(name, "/", "-")
		cfg, data = filepath.Join(dir, slug+".toml"), filepath.Join(dir, slug)
		writeTerminalConfig(t, cfg, base, name)
		if r := runCLI(t, customer, "submit", "--config", cfg, "--data-dir", data); r.code != exitOK {
			t.Fatalf("submit at %s: exit %d\n%s%s", name, r.code, r.stdout, r.stderr)
		}
		return cfg, data
	}
	if r := runCLI(t, "", "central", "init", "--config", writeCentralOnly(t, dir, base)); r.code != exitOK {
		t.Fatalf("central init: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	cfg, data = terminal("store-012/pos-1", `{"name":"王小二","mobile":"13411111111"}`)
	terminal("store-007/pos-2", `{"name":"李雷","mobile":"13422222222"}`)
	return url, cfg, data
}
