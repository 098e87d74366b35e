package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

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
	q, err := historyQuery(*text, map[string]string{"platform": *platform, "outcome": *outcome, "since": *since, "until": *until},
		searchPlatforms(e), time.Now())
	if err != nil {
		return badInput("%v", err)
	}
	q.Limit = *limit
	st, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	out := stdout
	if *output == "json" {
		out = termsafe.JSONWriter(stdout) // exact JSON, and safe on a terminal
	}
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
