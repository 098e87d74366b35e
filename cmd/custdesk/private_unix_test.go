//go:build unix

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/store"
)

func umask0(t *testing.T) {
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
}

func modeOf(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// With umask 0 and an existing 0755 data directory, the history and the
// import's report are 0600, and every command that opens the directory,
// and config check, warns about it.
func TestPrivateFilesInAnOpenDataDirectory(t *testing.T) {
	dir := isolate(t)
	umask0(t)
	data := filepath.Join(dir, "shared")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, wang, "submit", "--data-dir", data)
	if r.code != exitOK {
		t.Fatalf("submit: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "warning: data directory "+data+" is readable by others (mode 0755)") {
		t.Errorf("no warning about the directory:\n%s", r.stderr)
	}
	db := filepath.Join(data, store.FileName)
	// The -wal and -shm files go when the last connection closes; the
	// store's own test checks them while the history is open.
	if m := modeOf(t, db); m != 0o600 {
		t.Errorf("%s: mode %04o", filepath.Base(db), m)
	}

	csvFile := filepath.Join(dir, "members.csv")
	if err := os.WriteFile(csvFile, []byte("name,mobile\n王小二,134\n李四,13411111112\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, "", "import", csvFile, "--data-dir", data)
	if r.code != exitOK {
		t.Fatalf("import: exit %d\n%s", r.code, r.stderr)
	}
	if m := modeOf(t, filepath.Join(dir, "members.invalid.csv")); m != 0o600 {
		t.Errorf("report mode %04o", m)
	}
	// An old report left 0644 is narrowed when written again.
	report := filepath.Join(dir, "old-report.csv")
	if err := os.WriteFile(report, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	runCLI(t, "", "import", csvFile, "--data-dir", data, "--report", report)
	if m := modeOf(t, report); m != 0o600 {
		t.Errorf("--report mode %04o", m)
	}

	cfg := filepath.Join(dir, "custdesk.toml")
	f := config.ForSandbox("http://127.0.0.1:1")
	f.DataDir = data
	text, err := config.Encode(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, text, 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, "", "config", "check", cfg)
	if !strings.Contains(r.stderr, "data directory "+data+" is readable by others") {
		t.Errorf("config check does not warn (exit %d):\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// config init never writes through a symbolic link, not even a dangling one.
func TestConfigInitRefusesADanglingSymlink(t *testing.T) {
	dir := isolate(t)
	target := filepath.Join(dir, "elsewhere", "stolen.toml")
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "config.toml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "config", "init", link)
	if r.code != exitBadInput || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Errorf("the link's target was written: %v", err)
	}
	umask0(t)
	fresh := filepath.Join(dir, "fresh.toml")
	if r := runCLI(t, "", "config", "init", fresh); r.code != exitOK || modeOf(t, fresh) != 0o600 {
		t.Errorf("config init: exit %d, mode %04o", r.code, modeOf(t, fresh))
	}
}

// sandbox --write-config keeps an existing file unless --force, and a
// forced write is a new 0600 file, not the old file's mode.
func TestSandboxWriteConfigRefusesToOverwrite(t *testing.T) {
	dir := isolate(t)
	umask0(t)
	cfg := filepath.Join(dir, "mine.toml")
	if err := os.WriteFile(cfg, []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "sandbox", "--listen", "127.0.0.1:0", "--write-config", cfg)
	if r.code != exitBadInput || !strings.Contains(r.stderr, "--force") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(cfg); string(b) != "# mine\n" {
		t.Fatalf("the file was changed: %q", b)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	var out, errb bytes.Buffer
	go func() {
		done <- run(ctx, []string{"sandbox", "--listen", "127.0.0.1:0", "--write-config", cfg, "--force"}, nil, &out, &errb)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, _ := os.ReadFile(cfg); string(b) != "# mine\n" && len(b) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not replaced; stderr %s", errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("sandbox exit %d: %s", code, errb.String())
	}
	if m := modeOf(t, cfg); m != 0o600 {
		t.Errorf("forced config mode %04o", m)
	}
}
