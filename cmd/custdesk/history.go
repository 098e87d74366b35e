package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/custdesk/custdesk/internal/central"
	"github.com/custdesk/custdesk/internal/csvsafe"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

func runHistory(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("history", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	search := fs.String("search", "", "name, mobile or customer ID to look for")
	platform := fs.String("platform", "", "only this platform")
	outcome := fs.String("outcome", "", "only this outcome: ok, partial, rejected, failed, unknown, pending; attention (sends waiting for a person) or dropped")
	since := fs.String("since", "", "only since this date (YYYY-MM-DD) or duration ago (e.g. 24h)")
	limit := fs.Int("limit", 100, "at most this many submissions (0: all)")
	output := fs.String("output", "text", "text, json or csv")
	onCentral := fs.Bool("central", false, "search every terminal of the chain in the central store; --search also takes terminal:NAME and store:NAME")
	if err := fs.Parse(args); err != nil {
		return &exitError{exitBadInput, nil}
	}
	q := store.Query{Text: *search, Platform: *platform, Outcome: platforms.Outcome(*outcome), Limit: *limit}
	switch q.Outcome {
	case "", platforms.OK, platforms.Partial, platforms.Rejected, platforms.Failed, platforms.Unknown,
		store.OutcomePending, store.OutcomeAttention, store.OutcomeDropped:
	default:
		return badInput("--outcome must be ok, partial, rejected, failed, unknown, pending, attention or dropped")
	}
	if *since != "" {
		t, err := parseSince(*since, time.Now())
		if err != nil {
			return badInput("--since: %v", err)
		}
		q.Since = t
	}
	switch *output {
	case "text", "json", "csv":
	default:
		return badInput("--output must be text, json or csv")
	}
	e, err := setupQuiet(c, stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	out := stdout
	switch {
	case *output == "json":
		out = termsafe.JSONWriter(stdout) // exact JSON, and safe on a terminal
	case *output == "csv" && isTerminal(stdout):
		out = terminalCSV(stdout)
	}
	if *onCentral {
		rest, terminal, storeName := central.SplitFilters(q.Text)
		q.Text = rest
		return centralHistory(ctx, e, central.Query{Query: q, Terminal: terminal, Store: storeName}, *output, out)
	}
	st, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	return store.WriteHistory(ctx, out, st, q, *output)
}

// terminalCSV is where a CSV goes when it is read on a terminal rather than
// saved: through termsafe, without the byte order mark meant for
// spreadsheets. A CSV redirected to a file keeps its exact bytes.
func terminalCSV(w io.Writer) io.Writer {
	return &bomStripper{w: termsafe.TextWriter(w)}
}

// bomStripper drops the byte order mark at the start of a stream.
type bomStripper struct {
	w    io.Writer
	seen int // bytes of the stream's start checked against the mark
}

func (b *bomStripper) Write(p []byte) (int, error) {
	n := len(p)
	for b.seen < len(csvsafe.BOM) && len(p) > 0 {
		if p[0] != csvsafe.BOM[b.seen] {
			// Not a mark after all: give back what was held.
			if _, err := b.w.Write(csvsafe.BOM[:b.seen]); err != nil {
				return 0, err
			}
			b.seen = len(csvsafe.BOM)
			break
		}
		b.seen++
		p = p[1:]
	}
	if len(p) == 0 {
		return n, nil
	}
	if _, err := b.w.Write(p); err != nil {
		return 0, err
	}
	return n, nil
}

// isTerminal reports whether w is a terminal (and not a file or a pipe).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// parseSince accepts a date, a date and time, or a duration back from now.
func parseSince(s string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.DateOnly, time.DateTime, time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is neither YYYY-MM-DD, \"YYYY-MM-DD HH:MM:SS\" nor a duration like 24h", s)
}
