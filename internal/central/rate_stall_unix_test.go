//go:build unix

package central

import (
	"syscall"
	"testing"
	"time"
)

// An importer the machine stalls (here paused with SIGSTOP, as a loaded
// machine deschedules a process) wakes with its requests' moments passed.
// Spent on waking they would arrive together, on top of the other
// importers' tokens for the same stretch: the busiest 2 s went above the
// rate under a load average of 10–15. Dropped, the chain stays under it.
func TestRateStalledImporterDoesNotBurst(t *testing.T) {
	if raceEnabled {
		t.Skip("a timing test: run without -race (.ci/run does)")
	}
	const rate = 30
	stall := func(ws []*worker, until time.Time) {
		for i := 0; time.Until(until) > time.Second; i++ {
			w := ws[i%len(ws)]
			w.mu.Lock()
			p := w.cmd.Process
			w.mu.Unlock()
			_ = p.Signal(syscall.SIGSTOP)
			time.Sleep(400 * time.Millisecond)
			_ = p.Signal(syscall.SIGCONT)
			time.Sleep(600 * time.Millisecond)
		}
	}
	r := runImporters(t, rate, scaled("CUSTDESK_RATE_SECONDS", 6), stall)
	if r.worst > 2*rate {
		t.Errorf("%d requests in one 2 s window with an importer stalled now and then, above %d", r.worst, 2*rate)
	}
	// A stalled importer loses the tokens of its stall, no more: the chain
	// keeps most of its rate.
	if r.measured < rate*0.6 {
		t.Errorf("measured %.2f requests/s with stalls, want at least %.0f", r.measured, rate*0.6)
	}
}
