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
	"github.com/custdesk/custdesk/internal/search"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

func runHistory(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("history", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	text := fs.String("search", "", "words to look for (name, mobile, e-mail, request or customer ID), with the console's filters too (platform:NAME outcome:failed since:7d)")
	platform := fs.String("platform", "", "only this platform, and only its states")
	outcome := fs.String("outcome", "", "only this outcome: ok, partial, rejected, failed, unknown, pending; attention (sends waiting for a person) or dropped")
	since := fs.String("since", "", "from this day (YYYY-MM-DD), today, yesterday, or a span back (7d, 24h)")
	until := fs.String("until", "", "up to and including this day (YYYY-MM-DD), today, yesterday, or a span back")
	limit := fs.Int("limit", 100, "at most this many submissions (0: all)")
	output := fs.String("output", "text", "text, json or csv")
	onCentral := fs.Bool("central", false, "search every terminal of the chain in the central store; --search also takes terminal:NAME and store:NAME")
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInput("history takes no arguments but flags (got %q); words to look for go in --search", pos[0])
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
	words, terminal, storeName := *text, "", ""
	if *onCentral {
		words, terminal, storeName = central.SplitFilters(words)
	}
	q, err := historyQuery(words, map[string]string{"platform": *platform, "outcome": *outcome, "since": *since, "until": *until},
		searchPlatforms(e), time.Now())
	if err != nil {
		return badInput("%v", err)
	}
	q.Limit = *limit
	out := stdout
	switch {
	case *output == "json":
		out = termsafe.JSONWriter(stdout) // exact JSON, and safe on a terminal
	case *output == "csv" && isTerminal(stdout):
		out = terminalCSV(stdout)
	}
	if *onCentral {
		return centralHistory(ctx, e, central.Query{Query: q, Terminal: terminal, Store: storeName}, *output, out)
	}
	st, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	return store.WriteHistory(ctx, out, st, q, *output)
}

// historyQuery reads --search with the console's grammar (internal/search)
// and sets each filter flag given, as the same grammar's key:value would.
func historyQuery(text string, flags map[string]string, plats []search.Platform, now time.Time) (store.Query, error) {
	q, p := search.Parse(text, plats, now)
	if p != nil {
		return q, fmt.Errorf("--search: %s", p.En)
	}
	for _, name := range []string{"platform", "outcome", "since", "until"} {
		if v := flags[name]; v != "" {
			if p := search.Apply(&q, name, v, plats, now); p != nil {
				return q, fmt.Errorf("--%s: %s", name, p.En)
			}
		}
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Since.Before(q.Until) {
		return q, fmt.Errorf("--since is not before --until: nothing can match")
	}
	return q, nil
}

// searchPlatforms are the configured platforms as the search grammar names them.
func searchPlatforms(e *env) []search.Platform {
	out := make([]search.Platform, len(e.platforms))
	for i, p := range e.platforms {
		out[i] = search.Platform{Name: p.Name(), Title: p.Title()}
	}
	return out
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
