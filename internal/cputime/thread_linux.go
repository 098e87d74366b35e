package cputime

import (
	"syscall"
	"time"
)

// rusageThread is Linux's RUSAGE_THREAD, which package syscall does not name.
const rusageThread = 1

// Thread is the user and system time the calling OS thread has used; ok is
// false where it cannot be read. The caller must hold its goroutine to the
// thread (runtime.LockOSThread) between two readings for their difference
// to be its own.
func Thread() (d time.Duration, ok bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
