//go:build linux

package ui

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

// The disk fills up while the requests are out: the write-ahead and the
// claims are in the history, the answers cannot be written after them
// (RLIMIT_FSIZE stops the real SQLite file growing, as a full disk does).
// The console says the answers are not in the history, names what each
// platform said with its customer ID, and keeps the form.
func TestConsoleSaysAnAnswerIsNotRecordedAndKeepsTheForm(t *testing.T) {
	e := newEnv(t)
	e.sb.SetFaults(sandbox.Faults{Latency: 300 * time.Millisecond})
	d := drive(t, e.model(t, "en"), 200, 30)
	d.settle()
	d.typeText("王小二")
	d.press("tab")
	d.typeText("13411111111")
	d.press("ctrl+s")
	// Feed the console's commands back (write-ahead, then the sends) until
	// every request is at the sandbox, which holds them 300 ms.
	for deadline := time.Now().Add(5 * time.Second); e.sb.Requests(sandbox.PathALSC) == 0 || e.sb.Requests(sandbox.PathYouzan) == 0 || e.sb.Requests(sandbox.PathNXLink) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the requests never reached the sandbox")
		}
		select {
		case msg := <-d.msgs:
			d.pending--
			d.deliver(msg)
		case <-time.After(5 * time.Millisecond):
		}
	}
	wal, err := os.Stat(filepath.Join(e.dir, store.FileName+"-wal"))
	if err != nil {
		t.Fatal(err)
	}
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	// The limit holds for the whole test process, for as long as the answers
	// take to come back and fail to be written; nothing else writes files.
	full := syscall.Rlimit{Cur: uint64(wal.Size()), Max: old.Max}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &full); err != nil {
		t.Fatal(err)
	}
	d.settle()
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	screen := d.screen()
	if !strings.Contains(screen, "answers NOT saved in history") || !strings.Contains(screen, "form kept") {
		t.Fatalf("no notice that the answers are not recorded:\n%s", screen)
	}
	for _, p := range []string{"Alibaba ALSC ok 1", "Youzan ok 1", "NXLink ok 1"} {
		if !strings.Contains(screen, p) {
			t.Errorf("the notice does not say %q:\n%s", p, screen)
		}
	}
	if strings.Contains(screen, "every platform said ok") {
		t.Errorf("the console reports success:\n%s", screen)
	}
	if d.value("name") != "王小二" || d.value("mobile") != "13411111111" {
		t.Errorf("form not kept: name %q mobile %q", d.value("name"), d.value("mobile"))
	}
}
