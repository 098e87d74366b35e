package importer

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/platforms"
)

// syncBuffer is a bytes.Buffer safe for the watcher and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func watchImport(t *testing.T, terminal bool) string {
	t.Helper()
	g := smallFile(t, 40)
	slow := &fakePlatform{name: "alsc", answer: func(int64, platforms.Submission) (platforms.Result, int) {
		time.Sleep(5 * time.Millisecond)
		return platforms.Result{Outcome: platforms.OK}, 200
	}}
	st := openStore(t, t.TempDir())
	ps := []platforms.Platform{slow, &fakePlatform{name: "nxlink", batch: 100, answer: ok}}
	c, err := Check(context.Background(), Input{Path: g.path}, ps, nil)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := Start(context.Background(), c, Options{Platforms: ps, Store: st, Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	Watch(context.Background(), imp, &out, terminal, 50*time.Millisecond)
	if _, err := imp.Wait(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// Off a terminal, progress is plain lines, one every so often, ending with
// the final counts: readable in a log, no escape sequences.
func TestWatchPlainLines(t *testing.T) {
	out := watchImport(t, false)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 {
		t.Fatalf("want a line every 50 ms over ~200 ms, got:\n%s", out)
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("escape sequences in plain output:\n%q", out)
	}
	last := lines[len(lines)-1]
	if !strings.Contains(last, "alsc 100% 40/40 ok 40 failed 0") || !strings.Contains(last, "nxlink 100% 40/40 ok 40 failed 0") {
		t.Errorf("last line %q", last)
	}
}

// On a terminal, one bar per platform is redrawn in place.
func TestWatchBarsRedrawInPlace(t *testing.T) {
	out := watchImport(t, true)
	if !strings.Contains(out, ansi.CursorUp(2)) {
		t.Errorf("bars are not redrawn in place:\n%q", out)
	}
	plain := ansi.Strip(out)
	if !strings.Contains(plain, "alsc") || !strings.Contains(plain, "100% 40/40 ok 40") || !strings.ContainsAny(plain, "▌█") {
		t.Errorf("no finished bar in:\n%s", plain)
	}
}

func TestCountsShowRateETAAndThrottling(t *testing.T) {
	got := counts(Progress{Platform: "alsc", Total: 1000, Done: 250, OK: 240, Failed: 10, Rate: 50, ETA: 15 * time.Second, Throttled: 2})
	for _, want := range []string{" 25%", "250/1000", "ok 240", "failed 10", "50/s", "ETA 15s", "slowed down 2×"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
}

func TestRateMeter(t *testing.T) {
	var m rateMeter
	t0 := time.Now()
	if r := m.observe(t0, 0); r != 0 {
		t.Errorf("first sample gives rate %v", r)
	}
	if r := m.observe(t0.Add(2*time.Second), 100); r != 50 {
		t.Errorf("100 in 2 s = %v/s", r)
	}
	// Old samples fall out of the window: the rate follows a slowdown.
	m.observe(t0.Add(20*time.Second), 100)
	if r := m.observe(t0.Add(22*time.Second), 110); r != 5 {
		t.Errorf("10 in the last 2 s = %v/s", r)
	}
}
