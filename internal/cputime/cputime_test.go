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

func TestThreadCountsOnlyItsOwnThread(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before, ok := Thread()
	if !ok {
		if runtime.GOOS != "linux" {
			t.Skip("not measured on", runtime.GOOS)
		}
		t.Fatal("thread CPU time unreadable")
	}
	// Another goroutine's work is not this thread's.
	done := make(chan int)
	go func() {
		x := 0
		for i := range 200_000_000 {
			x ^= i * 31
		}
		done <- x
	}()
	<-done
	mid, _ := Thread()
	x := 0
	for i := range 200_000_000 {
		x ^= i * 31
	}
	after, _ := Thread()
	idle, busy := mid-before, after-mid
	if busy <= 4*idle {
		t.Fatalf("thread CPU: %v while another goroutine worked, %v while this one did (%d)", idle, busy, x)
	}
}
