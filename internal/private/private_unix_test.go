//go:build unix

package private

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func perm(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestFilesArePrivateWhateverTheUmask(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := t.TempDir()

	old644 := filepath.Join(dir, "old.csv")
	if err := os.WriteFile(old644, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Create(old644)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if m := perm(t, old644); m != Mode {
		t.Errorf("Create left %04o", m)
	}

	target := filepath.Join(dir, "target")
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := WriteNew(link, []byte("x")); !errors.Is(err, fs.ErrExist) {
		t.Errorf("WriteNew through a dangling link: %v", err)
	}
	if _, err := os.Stat(target); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the link's target was created: %v", err)
	}
	if err := Replace(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&fs.ModeSymlink != 0 || perm(t, link) != Mode {
		t.Errorf("Replace kept the link or its mode: %v", fi.Mode())
	}
	if _, err := os.Stat(target); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Replace wrote through the link: %v", err)
	}
}

func TestDirWarning(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if w := DirWarning(dir); !strings.Contains(w, "mode 0755") || !strings.Contains(w, "chmod 700 "+dir) {
		t.Errorf("warning %q", w)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if w := DirWarning(dir); w != "" {
		t.Errorf("a private directory: %q", w)
	}
	if w := DirWarning(filepath.Join(dir, "absent")); w != "" {
		t.Errorf("an absent directory: %q", w)
	}
}
