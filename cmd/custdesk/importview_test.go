package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/internal/importer"
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

// scripted is an import whose progress advances one step per read, then ends.
type scripted struct {
	mu    sync.Mutex
	steps [][]importer.Progress
	done  chan struct{}
}

func newScripted(total int) *scripted {
	s := &scripted{done: make(chan struct{})}
	for n := 0; n <= total; n += 10 {
		s.steps = append(s.steps, []importer.Progress{
			{Platform: "alsc", Total: total, Done: n, OK: n},
			{Platform: "nxlink", Total: total, Done: n, OK: n},
		})
	}
	return s
}

func (s *scripted) Progress() []importer.Progress {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.steps[0]
	if len(s.steps) > 1 {
		s.steps = s.steps[1:]
	} else {
		select {
		case <-s.done:
		default:
			close(s.done)
		}
	}
	return p
}

func (s *scripted) Done() <-chan struct{} { return s.done }

func watchImport(t *testing.T, terminal bool) string {
	t.Helper()
	var out syncBuffer
	watch(context.Background(), newScripted(40), &out, terminal, time.Millisecond)
	return out.String()
}

// Off a terminal, progress is plain lines, one every so often, ending with
// the final counts: readable in a log, no escape sequences.
func TestWatchPlainLines(t *testing.T) {
	out := watchImport(t, false)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 {
		t.Fatalf("want a line per tick, got:\n%s", out)
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
	got := counts(importer.Progress{Platform: "alsc", Total: 1000, Done: 250, OK: 240, Failed: 10, Rate: 50, ETA: 15 * time.Second, Throttled: 2})
	for _, want := range []string{" 25%", "250/1000", "ok 240", "failed 10", "50/s", "ETA 15s", "slowed down 2×"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
}
