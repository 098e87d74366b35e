package importer

import (
	"os"
	"runtime/debug"
	"sync"
)

// An import allocates a few kilobytes per send (each request, its answer
// and their encodings for the history) over a live heap of about 13 MB, so
// at Go's default GOGC of 100 the collector ran every ~13 MB allocated: a
// sixth of the importer's CPU, and its assists and preemptions landed on the
// one goroutine that writes the history. While an import runs the heap may
// grow to five times the live heap instead, capped by a soft memory limit
// so the process stays well under 100 MB whatever the live heap does: near
// the limit the collector runs as often as it must. A GOGC or GOMEMLIMIT
// the user set is left alone.
const (
	importGCPercent   = 400
	importMemoryLimit = 64 << 20
)

// gcTuning counts the imports running in this process: the first raises
// the collector's target, the last puts back what was there before.
var gcTuning struct {
	mu      sync.Mutex
	running int
	percent int
	limit   int64
}

// tuneGC raises the collector's target for one import; call the returned
// function when it ends.
func tuneGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	g := &gcTuning
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.running == 0 {
		g.percent = debug.SetGCPercent(importGCPercent)
		g.limit = debug.SetMemoryLimit(min(importMemoryLimit, debug.SetMemoryLimit(-1)))
	}
	g.running++
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			defer g.mu.Unlock()
			if g.running--; g.running == 0 {
				debug.SetGCPercent(g.percent)
				debug.SetMemoryLimit(g.limit)
			}
		})
	}
}
