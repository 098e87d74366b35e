//go:build unix

package store

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

// withUmask runs the test with umask 0, the widest: whatever is not created
// private explicitly comes out readable by everyone.
func withUmask0(t *testing.T) {
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s: mode %04o, want %04o", filepath.Base(path), got, want)
	}
}

// In an existing 0755 data directory, with umask 0, the database and the
// -wal and -shm files SQLite creates beside it are 0600.
func TestDatabaseFilesArePrivateInAnOpenDirectory(t *testing.T) {
	withUmask0(t)
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sub := Submission{Customer: platforms.Customer{Name: "王小二", Mobile: "13411111111"}, Platforms: []string{"alsc"}}
	if err := st.Begin(context.Background(), &sub); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveDraft(context.Background(), Draft{Customer: platforms.Customer{Name: "半"}}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, FileName)
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		assertMode(t, p, 0o600)
	}
}

// Files an older custdesk left 0644 are narrowed when the history opens.
func TestOpenNarrowsOldDatabaseFiles(t *testing.T) {
	withUmask0(t)
	dir := t.TempDir()
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	sub := Submission{Customer: platforms.Customer{Name: "王小二"}, Platforms: []string{"alsc"}}
	if err := st.Begin(context.Background(), &sub); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, FileName)
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	st, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if _, err := os.Stat(p); err == nil {
			assertMode(t, p, 0o600)
		}
	}
	assertMode(t, path, 0o600)
}
