package importer

import (
	"context"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

func TestLingerFollowsArrivalRate(t *testing.T) {
	const base = 20 * time.Millisecond
	var a arrivals
	if d := a.linger(base, 99); d != base {
		t.Errorf("no rate yet: %v, want %v", d, base)
	}
	// 3,000 rows a second: 99 more take 33 ms.
	start := time.Unix(0, 0)
	for i := range 700 {
		a.add(start.Add(time.Duration(i) * time.Second / 3000))
	}
	if d := a.linger(base, 99); d < 30*time.Millisecond || d > 36*time.Millisecond {
		t.Errorf("at 3,000/s: %v, want about 33 ms", d)
	}
	if d := a.linger(base, 10); d != base {
		t.Errorf("a batch nearly full: %v, want at least Linger %v", d, base)
	}
	// 100 rows a second: filling would take a second; the wait is capped.
	var slow arrivals
	for i := range 30 {
		slow.add(start.Add(time.Duration(i) * 10 * time.Millisecond))
	}
	if d := slow.linger(base, 99); d != lingerCap*base {
		t.Errorf("at 100/s: %v, want the cap %v", d, lingerCap*base)
	}
}

// A small import's last batch does not wait for rows that will never come:
// once the planner is done, a partly filled batch leaves at once.
func TestLastBatchLeavesAtOnce(t *testing.T) {
	g := generate(t, genOptions{rows: 30, dir: t.TempDir()})
	batch := &fakePlatform{name: "nxlink", batch: 100, answer: ok}
	start := time.Now()
	sum := run1(t, context.Background(), g, openStore(t, t.TempDir()), Options{Platforms: []platforms.Platform{batch}, Linger: 10 * time.Second})
	if !sum.AllOK() || sum.Platforms[0].OK != 30 {
		t.Fatalf("summary %+v", sum.Platforms)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("30 rows took %v: the last batch waited for Linger (10 s)", took)
	}
	if n := batch.calls.Load(); n != 1 {
		t.Errorf("%d requests for 30 rows, want 1 batch", n)
	}
}
