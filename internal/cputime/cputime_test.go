package cputime

import (
	"runtime"
	"testing"
)

func TestProcessGrowsWithWork(t *testing.T) {
	before, ok := Process()
	if !ok {
		if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "js" {
			t.Skip("not measured on", runtime.GOOS)
		}
		t.Fatal("CPU time unreadable")
	}
	x := 0
	for i := range 50_000_000 {
		x ^= i * 31
	}
	after, _ := Process()
	if after <= before {
		t.Fatalf("CPU time did not grow over busy work (%v -> %v, %d)", before, after, x)
	}
}
