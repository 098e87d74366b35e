//go:build !windows

package main

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestConsoleInTmuxMatchesAFullRepaint types Chinese text into the real
// console inside tmux at 80x24, with Chinese names in the history, and
// compares what tmux shows with what it shows after a resize has made the
// console paint every cell again. The renderer only writes the rows a frame
// changed (see third_party/ultraviolet/PATCHED.md); a row it skipped or
// patched wrongly would differ from the full repaint (ultraviolet issue #164:
// wide-cell repaints corrupting rows under tmux).
func TestConsoleInTmuxMatchesAFullRepaint(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it in tmux")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("no tmux")
	}
	bin := buildBinary(t)
	e := newPerfEnv(t)
	session := "custdesk-test-" + strings.ReplaceAll(t.Name(), "/", "-")
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
		"env TERM=xterm-256color LANG=en_US.UTF-8 "+bin+" "+strings.Join(e.args(t, perfBin{}), " "))
	t.Cleanup(func() { _ = exec.Command("tmux", "kill-session", "-t", session).Run() })

	capture := func() string { return tmux("capture-pane", "-p", "-t", session) }
	waitStill := func() string {
		t.Helper()
		// The same screen twice, a beat apart: the console has drawn it.
		prev := ""
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
			time.Sleep(300 * time.Millisecond)
			s := capture()
			if s == prev && strings.Contains(s, frameMarker) {
				return s
			}
			prev = s
		}
		t.Fatalf("the console never settled; screen:\n%s", prev)
		return ""
	}
	waitStill()
	keys := []string{"王", "小", "明", "BSpace", "李", "Tab", "1", "3", "4", "BSpace", "Tab", "BTab", "BTab", "End", "张"}
	for _, k := range keys {
		tmux("send-keys", "-t", session, k)
		time.Sleep(150 * time.Millisecond)
	}
	typed := waitStill()
	if !strings.Contains(typed, "王小李张") {
		t.Fatalf("the name typed is not on screen:\n%s", typed)
	}
	tmux("resize-window", "-t", session, "-x", "81", "-y", "24")
	waitStill()
	tmux("resize-window", "-t", session, "-x", "80", "-y", "24")
	full := waitStill()
	// The sandbox banner shows a port and the history a clock: both hold
	// still between the two captures, but strip the port to be safe.
	port := regexp.MustCompile(`127\.0\.0\.1:\d+`)
	if a, b := port.ReplaceAllString(typed, ""), port.ReplaceAllString(full, ""); a != b {
		t.Errorf("typed frames differ from a full repaint.\ntyped:\n%s\nrepainted:\n%s", a, b)
	}
}
