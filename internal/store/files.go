package store

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/custdesk/custdesk/internal/private"
)

// prepareFiles makes the database and its -wal and -shm files private
// (0600) before the driver opens them. SQLite creates a new database 0644
// less the umask, but gives the -wal and -shm files it creates the mode of
// the database file (and sets it exactly, umask or not): so an empty 0600
// file created here, which SQLite takes as a new database, makes all three
// private. Files left by an older custdesk are narrowed to 0600.
func prepareFiles(path string) error {
	f, err := private.CreateNew(path)
	switch {
	case err == nil:
		if err := f.Close(); err != nil {
			return fmt.Errorf("history: cannot create %s: %w", path, err)
		}
	case errors.Is(err, fs.ErrExist):
	default:
		return fmt.Errorf("history: cannot create %s: %w (use --data-dir to start on another directory)", path, err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		// A file this user does not own cannot be narrowed; the data
		// directory's warning covers it.
		if err := private.Restrict(p); err != nil && !errors.Is(err, fs.ErrPermission) {
			return fmt.Errorf("history: cannot make %s private: %w", p, err)
		}
	}
	return nil
}
