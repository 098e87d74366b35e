// Package private creates the files that hold customers' personal data
// (history, exports, reports) and config files that hold secrets: readable
// and writable by their owner only, whatever the umask and whatever the
// directory's own mode.
package private

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// Mode is what every private file is created with.
const Mode fs.FileMode = 0o600

// Create opens path for writing, truncated, mode 0600. A file that already
// exists is set to 0600 too: truncating keeps a file's old mode.
func Create(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, Mode)
	if err != nil {
		return nil, err
	}
	if err := restrict(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// CreateNew creates path, mode 0600, and fails with fs.ErrExist when anything
// is there already, a symbolic link included, even one that points nowhere:
// O_EXCL never follows a link (CREATE_NEW on Windows).
func CreateNew(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, Mode)
}

// WriteNew writes data to a new file at path (see CreateNew).
func WriteNew(path string, data []byte) error {
	f, err := CreateNew(path)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
	}
	return err
}

// Replace writes data to path through a temporary file renamed over it: the
// result is a new 0600 file even where an old one had a wider mode, and a
// symbolic link at path is replaced, not followed.
func Replace(path string, data []byte) error {
	return ReplaceWith(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// ReplaceWith is Replace for content written as a stream: a file with the
// final name is never a partial one.
func ReplaceWith(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = write(f)
	if err == nil {
		err = restrict(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}

// Restrict sets an existing file to 0600, for files created by others (an
// older custdesk); a file that is not there is no error.
func Restrict(path string) error {
	if runtime.GOOS == "windows" {
		return nil // modes there are ACLs; a user's profile folder is private
	}
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() == Mode {
		return err
	}
	return os.Chmod(path, Mode)
}

func restrict(f *os.File) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	return f.Chmod(Mode)
}

// OpenDir reports whether dir lets others in (any group or other
// permission bit), and its mode. An absent dir is not open: it is created
// 0700. Windows folders are governed by ACLs and not checked.
func OpenDir(dir string) (fs.FileMode, bool) {
	if runtime.GOOS == "windows" || dir == "" {
		return 0, false
	}
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() || fi.Mode().Perm()&0o077 == 0 {
		return 0, false
	}
	return fi.Mode().Perm(), true
}

// DirWarning says why dir is not private, or "" when it is (see OpenDir).
func DirWarning(dir string) string {
	mode, open := OpenDir(dir)
	if !open {
		return ""
	}
	return fmt.Sprintf("data directory %s is readable by others (mode %04o) and holds customers' personal data: run chmod 700 %s",
		dir, mode, dir)
}
