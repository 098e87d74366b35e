//go:build !windows

package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/custdesk/custdesk/internal/store"
)

// console is the real binary running under a pseudo-terminal, as at a till.
type console struct {
	cmd *exec.Cmd
	tty *os.File
	mu  sync.Mutex
	out strings.Builder
}

func startConsole(t *testing.T, bin string, args ...string) *console {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "LANG=en_US.UTF-8")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		t.Fatal(err)
	}
	c := &console{cmd: cmd, tty: tty}
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := tty.Read(buf)
			c.mu.Lock()
			c.out.Write(buf[:n])
			c.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { c.kill() })
	return c
}

func (c *console) screen() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.String()
}

// waitFor waits until the output so far contains s.
func (c *console) waitFor(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(c.screen(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("console never showed %q; output tail:\n%q", s, tail(c.screen(), 600))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (c *console) typeKeys(t *testing.T, s string) {
	t.Helper()
	if _, err := io.WriteString(c.tty, s); err != nil {
		t.Fatal(err)
	}
}

func (c *console) kill() {
	if c.cmd.Process != nil {
		_ = c.cmd.Process.Kill()
		_ = c.cmd.Wait()
	}
	_ = c.tty.Close()
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// TestConsoleSurvivesSIGKILL types customers into the real console and submits
// them with ctrl+s, killing it at random points while the slow sandbox has not
// answered yet. Afterwards nothing submitted is lost or created twice.
func TestConsoleSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it under a pty")
	}
	bin := buildBinary(t)
	srv, cfgPath := slowSandbox(t, 300*time.Millisecond)
	dataDir := filepath.Join(t.TempDir(), "data")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 11))
	const runs = 5
	for i := range runs {
		c := startConsole(t, bin, "--config", cfgPath, "--data-dir", dataDir, "--lang", "en")
		c.waitFor(t, "ctrl+s")
		c.typeKeys(t, fmt.Sprintf("Customer %d\t1341112%04d\x13", i, i))
		time.Sleep(time.Duration(rng.IntN(600)) * time.Millisecond)
		c.kill()
	}
	verifyExactlyOnce(t, srv, cfgPath, dataDir)
}

// TestConsoleSIGKILLThenSubmitAgain: killed at a random point after ctrl+s,
// the console restarts (restoring the bound form, or the typing) and the
// cashier presses ctrl+s again. Each member is still in the history once and
// created once on every idempotent platform, never twice anywhere.
func TestConsoleSIGKILLThenSubmitAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it under a pty")
	}
	bin := buildBinary(t)
	srv, cfgPath := slowSandbox(t, 300*time.Millisecond)
	dataDir := filepath.Join(t.TempDir(), "data")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 13))
	const runs = 4
	for i := range runs {
		c := startConsole(t, bin, "--config", cfgPath, "--data-dir", dataDir, "--lang", "en")
		c.waitFor(t, "ctrl+s")
		c.typeKeys(t, fmt.Sprintf("Member %d\t1351112%04d\x13", i, i))
		time.Sleep(time.Duration(300+rng.IntN(900)) * time.Millisecond)
		c.kill()
		c = startConsole(t, bin, "--config", cfgPath, "--data-dir", dataDir, "--lang", "en")
		c.waitFor(t, "ctrl+s")
		c.typeKeys(t, "\x13")
		time.Sleep(time.Duration(rng.IntN(900)) * time.Millisecond)
		c.kill()
	}
	verifyExactlyOnce(t, srv, cfgPath, dataDir)
}

// TestConsoleKeepsAHalfTypedFormThroughSIGKILL: a cashier's half-typed form
// survives the terminal being killed, and comes back on the next start.
func TestConsoleKeepsAHalfTypedFormThroughSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it under a pty")
	}
	bin := buildBinary(t)
	_, cfgPath := slowSandbox(t, 0)
	dataDir := filepath.Join(t.TempDir(), "data")

	c := startConsole(t, bin, "--config", cfgPath, "--data-dir", dataDir, "--lang", "en")
	c.waitFor(t, "ctrl+s")
	c.typeKeys(t, "王小二\t13411111111")
	// The draft is written once typing pauses; give it that pause.
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := store.Open(dataDir)
		if err != nil {
			t.Fatal(err)
		}
		draft, ok, err := st.LoadDraft(context.Background())
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		if ok && draft.Customer.Name == "王小二" && draft.Customer.Mobile == "13411111111" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no draft written while typing (have %+v, %v)", draft, ok)
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.kill()

	c = startConsole(t, bin, "--config", cfgPath, "--data-dir", dataDir, "--lang", "en")
	c.waitFor(t, "王小二")
	c.waitFor(t, "13411111111")
}
