package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/custdesk/custdesk/internal/central"
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
	if *onCentral {
		rest, terminal, storeName := central.SplitFilters(q.Text)
		q.Text = rest
		return centralHistory(ctx, e, central.Query{Query: q, Terminal: terminal, Store: storeName}, *output, stdout)
	}
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
