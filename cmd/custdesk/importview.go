package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"charm.land/bubbles/v2/progress"
	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/internal/importer"
)

// The importer reports progress as data (importer.Progress); drawing it is
// the command line's business.

// progressSource is what watch reads: a running import.
type progressSource interface {
	Progress() []importer.Progress
	Done() <-chan struct{}
}

// watch shows an import's progress on w until it is done. On a terminal it
// redraws one bubbles progress bar per platform a few times a second; on
// anything else (a pipe, a log file, CI) it prints a plain line every
// `every`, so logs stay readable. It prints the final state once more at the
// end and returns when the import is done.
func watch(ctx context.Context, imp progressSource, w io.Writer, terminal bool, every time.Duration) {
	if terminal {
		every = 200 * time.Millisecond
	}
	bars := newBars()
	drawn := 0
	draw := func() {
		ps := imp.Progress()
		if !terminal {
			fmt.Fprintln(w, statusLine(ps))
			return
		}
		var b strings.Builder
		if drawn > 0 {
			b.WriteString(ansi.CursorUp(drawn))
		}
		for _, line := range bars.lines(ps) {
			b.WriteString("\r" + line + ansi.EraseLineRight + "\n")
		}
		drawn = len(ps)
		_, _ = io.WriteString(w, b.String())
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-imp.Done():
			draw()
			return
		case <-t.C:
			draw()
		case <-ctx.Done():
			// ctrl+c: the import finishes what is in flight; keep showing it.
			ctx = context.Background()
			fmt.Fprintln(w, "stopping: waiting for requests in flight to finish…")
			drawn = 0
		}
	}
}

// bars renders platforms' progress as bubbles progress bars.
type bars struct{ bar progress.Model }

func newBars() *bars {
	return &bars{bar: progress.New(progress.WithWidth(24), progress.WithoutPercentage())}
}

func (b *bars) lines(ps []importer.Progress) []string {
	width := 0
	for _, p := range ps {
		width = max(width, len(p.Platform))
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = fmt.Sprintf("%-*s %s %s", width, p.Platform, b.bar.ViewAs(fraction(p)), counts(p))
	}
	return out
}

func fraction(p importer.Progress) float64 {
	if p.Total == 0 {
		return 1
	}
	return float64(p.Done) / float64(p.Total)
}

// counts is the text beside a bar: done of total, ok and failed, rate, ETA.
func counts(p importer.Progress) string {
	s := fmt.Sprintf("%3.0f%% %d/%d ok %d failed %d", 100*fraction(p), p.Done, p.Total, p.OK, p.Failed)
	if p.Rate > 0 {
		s += fmt.Sprintf(" %.0f/s", p.Rate)
	}
	if p.ETA > 0 {
		s += " ETA " + p.ETA.Round(time.Second).String()
	}
	if p.Throttled > 0 {
		s += fmt.Sprintf(" (slowed down %d×)", p.Throttled)
	}
	return s
}

// statusLine is every platform's progress on one line, for logs.
func statusLine(ps []importer.Progress) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Platform + " " + counts(p)
	}
	return strings.Join(parts, " | ")
}
