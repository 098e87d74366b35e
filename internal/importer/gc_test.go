package importer

import (
	"runtime/debug"
	"testing"
)

func TestTuneGCRaisesTheTargetWhileImportsRun(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	limit := debug.SetMemoryLimit(-1)

	first := tuneGC()
	second := tuneGC()
	if got := debug.SetGCPercent(-1); got != importGCPercent {
		t.Errorf("GC percent during an import = %d, want %d", got, importGCPercent)
	}
	debug.SetGCPercent(importGCPercent)
	if got := debug.SetMemoryLimit(-1); got > importMemoryLimit {
		t.Errorf("memory limit during an import = %d, want at most %d", got, importMemoryLimit)
	}
	first()
	first() // a second call of the same restore changes nothing
	if got := debug.SetGCPercent(-1); got != importGCPercent {
		t.Errorf("GC percent with one import still running = %d, want %d", got, importGCPercent)
	}
	debug.SetGCPercent(importGCPercent)
	second()
	if got := debug.SetGCPercent(-1); got != 100 {
		t.Errorf("GC percent after the imports = %d, want 100 back", got)
	}
	debug.SetGCPercent(100)
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("memory limit after the imports = %d, want %d back", got, limit)
	}
}

func TestTuneGCLeavesTheUsersSettingAlone(t *testing.T) {
	t.Setenv("GOGC", "50")
	before := debug.SetGCPercent(50)
	defer debug.SetGCPercent(before)
	restore := tuneGC()
	if got := debug.SetGCPercent(-1); got != 50 {
		t.Errorf("GC percent with GOGC=50 set = %d, want 50", got)
	}
	debug.SetGCPercent(50)
	restore()
}
