package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// owner is this process's identity in the database. Rows it begins or sends
// carry its ID; while the process lives it holds an exclusive lock on
// owners/<id>.lock. The kernel drops that lock when the process dies, however
// it dies, so any other process can tell a crashed sender from a live one
// without clocks or heartbeats.
type owner struct {
	id   string
	dir  string
	file *os.File

	mu   sync.Mutex
	dead map[string]bool // owners known dead: they never come back
}

func newOwner(dir string) (*owner, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create %s: %w", dir, err)
	}
	id := randomHex(8)
	f, err := os.OpenFile(filepath.Join(dir, id+".lock"), os.O_CREATE|os.O_RDWR|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot create process lock in %s: %w", dir, err)
	}
	if err := lockFile(f, false); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("cannot lock %s: %w", f.Name(), err)
	}
	o := &owner{id: id, dir: dir, file: f, dead: map[string]bool{}}
	o.sweep()
	return o, nil
}

// sweep removes the lock files of processes that died, so the folder does
// not grow with every crash. Their rows still name them; a missing file reads
// as a dead owner.
func (o *owner) sweep() {
	entries, err := os.ReadDir(o.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if id, ok := strings.CutSuffix(e.Name(), ".lock"); ok && id != o.id {
			o.alive(id)
		}
	}
}

func (o *owner) release() {
	if o == nil || o.file == nil {
		return
	}
	name := o.file.Name()
	// Remove before unlocking: a checker that finds the file missing also
	// concludes the owner is gone, which it is.
	os.Remove(name)
	unlockFile(o.file)
	o.file.Close()
	o.file = nil
}

// alive reports whether the process that wrote id still runs.
func (o *owner) alive(id string) bool {
	if id == "" {
		return false
	}
	if id == o.id {
		return o.file != nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.dead[id] {
		return false
	}
	if !validOwnerID(id) {
		o.dead[id] = true
		return false
	}
	path := filepath.Join(o.dir, id+".lock")
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		o.dead[id] = true
		return false
	}
	if err != nil {
		return true // cannot tell: never take over a row that may still be sending
	}
	defer f.Close()
	if err := lockFile(f, true); err != nil {
		return true
	}
	os.Remove(path)
	unlockFile(f)
	o.dead[id] = true
	return false
}

func validOwnerID(id string) bool {
	if len(id) != 16 {
		return false
	}
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}
