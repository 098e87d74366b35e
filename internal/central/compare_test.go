package central

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// localFacts and centralFacts describe a terminal's history as comparable
// lines: every submission, platform state and exchange with what matters.
func localFacts(ctx context.Context, t *testing.T, l *Local) []string {
	t.Helper()
	var out []string
	add := func(q string) {
		rows, err := l.read.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	add(`SELECT 's ' || id || ' ' || request_id || ' ' || mobile FROM submissions`)
	add(`SELECT 't ' || submission_id || ' ' || platform || ' ' || outcome || ' ' || attempts || ' ' ||
		(queued <> 0) || ' ' || (in_flight <> 0) || ' ' || (dropped <> 0) || ' ' || exchange_id FROM states`)
	add(`SELECT 'e ' || id || ' ' || submission_id || ' ' || platform || ' ' || attempt || ' ' || (in_flight <> 0) || ' ' ||
		outcome || ' ' || length(coalesce(response, '')) FROM exchanges`)
	slices.Sort(out)
	return out
}

func centralFacts(ctx context.Context, t *testing.T, pool *pgxpool.Pool, terminal string) []string {
	t.Helper()
	var out []string
	b := func(v bool) int {
		if v {
			return 1
		}
		return 0
	}
	rows, err := pool.Query(ctx, `SELECT local_id, request_id, mobile FROM submissions WHERE terminal = $1`, terminal)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var rid, mobile string
		if err := rows.Scan(&id, &rid, &mobile); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("s %d %s %s", id, rid, mobile))
	}
	rows.Close()
	rows, err = pool.Query(ctx, `SELECT submission_id, platform, outcome, attempts, queued, in_flight, dropped, exchange_id
		FROM states WHERE terminal = $1`, terminal)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var sub, ex int64
		var platform, outcome string
		var attempts int
		var q, f, d bool
		if err := rows.Scan(&sub, &platform, &outcome, &attempts, &q, &f, &d, &ex); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("t %d %s %s %d %d %d %d %d", sub, platform, outcome, attempts, b(q), b(f), b(d), ex))
	}
	rows.Close()
	rows, err = pool.Query(ctx, `SELECT local_id, submission_id, platform, attempt, in_flight, outcome, length(coalesce(response, ''))
		FROM exchanges WHERE terminal = $1`, terminal)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, sub int64
		var platform, outcome string
		var attempt, n int
		var f bool
		if err := rows.Scan(&id, &sub, &platform, &attempt, &f, &outcome, &n); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("e %d %d %s %d %d %s %d", id, sub, platform, attempt, b(f), outcome, n))
	}
	rows.Close()
	slices.Sort(out)
	return out
}

// sameHistory fails t unless the central store holds exactly the
// terminal's history.
func sameHistory(ctx context.Context, t *testing.T, l *Local, pool *pgxpool.Pool) {
	t.Helper()
	loc, cen := localFacts(ctx, t, l), centralFacts(ctx, t, pool, l.terminal)
	if slices.Equal(loc, cen) {
		return
	}
	missing, extra := diff(loc, cen), diff(cen, loc)
	t.Fatalf("%s: central differs from local: %d lines only local (first %v), %d only central (first %v)",
		l.terminal, len(missing), first(missing, 5), len(extra), first(extra, 5))
}

func diff(a, b []string) []string {
	var out []string
	for _, s := range a {
		if _, ok := slices.BinarySearch(b, s); !ok {
			out = append(out, s)
		}
	}
	return out
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }
