package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// queryPlan is SQLite's EXPLAIN QUERY PLAN of query, one detail per step.
func queryPlan(t *testing.T, st *Store, query string, args ...any) []string {
	t.Helper()
	rows, err := st.read.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", query, err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return steps
}

// The queries the console runs on every poll and refresh read partial
// indexes of the few rows they are about, never the states of the whole
// history: with a platform filter the planner used to pick states_platform
// and read every state of those platforms.
func TestPollQueriesUseDueIndex(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	// Some history, so a plan is chosen over real tables and indexes.
	for i := range 20 {
		sub := Submission{Customer: platforms.Customer{Name: "王小二", Mobile: "1341111111" + string(rune('0'+i%10))},
			Platforms: []string{"alsc", "youzan"}, Source: SourceConsole, AllowDuplicate: true}
		if err := st.Begin(ctx, &sub); err != nil {
			t.Fatal(err)
		}
		if err := st.Queue(ctx, sub.ID, "alsc", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	filter, fargs := platformFilter([]string{"alsc", "youzan", "nxlink"})
	cases := []struct {
		name, query string
		args        []any
		index       string // every step must read this index; "" means any partial index below
	}{
		{"ClaimDue", claimDueSQL(filter), append(append([]any{time.Now().UnixNano()}, fargs...), 10), "states_due"},
		{"ClaimDue/all", claimDueSQL(""), []any{time.Now().UnixNano(), 10}, "states_due"},
		{"NextDue", nextDueSQL(filter), fargs, "states_due"},
		{"NextDue/all", nextDueSQL(""), nil, "states_due"},
		{"Stats", statsSQL, nil, ""},
	}
	partial := []string{"states_due", "states_owned", "states_attention"}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			steps := queryPlan(t, st, c.query, c.args...)
			read := 0
			for _, s := range steps {
				if !strings.Contains(s, "states") {
					continue
				}
				read++
				ok := false
				for _, idx := range partial {
					if (c.index == "" || c.index == idx) && strings.Contains(s, "INDEX "+idx) {
						ok = true
					}
				}
				if !ok {
					t.Errorf("step %q reads states other than through %v", s, partial)
				}
			}
			if read == 0 {
				t.Errorf("plan %q never reads states", steps)
			}
		})
	}
}

// A text search with nothing but words of three characters or more walks the
// trigram index newest first and stops at the page: no step collects and
// sorts every match (a fragment like "138" matches a tenth of the history).
func TestTextSearchWalksTheTrigramIndex(t *testing.T) {
	st, _ := openTemp(t)
	exactHistory(t, st)
	for _, text := range []string{"138", "王小一 134", "13411 王小一"} {
		q, err := st.exactWords(context.Background(), Query{Text: text, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		query, args := q.plan().listSQL()
		steps := queryPlan(t, st, query+` LIMIT 50`, args...)
		if len(steps) == 0 || !strings.HasPrefix(steps[0], "SCAN search VIRTUAL TABLE") {
			t.Errorf("%q: the walk does not start at the trigram index: %q", text, steps)
		}
		for _, s := range steps {
			if strings.Contains(s, "TEMP B-TREE") || strings.Contains(s, "LIST SUBQUERY") {
				t.Errorf("%q: step %q collects the matches", text, s)
			}
		}
		if got, want := listIDs(t, st, text), bruteForce(t, st, text); !equalIDs(got, want) {
			t.Errorf("%q: found %v, want %v", text, got, want)
		}
	}
}

// bruteForce is the IDs of every submission whose search text holds every
// word, newest first.
func bruteForce(t *testing.T, st *Store, text string) []int64 {
	t.Helper()
	rows, err := st.read.QueryContext(context.Background(), `SELECT rowid, text FROM search ORDER BY rowid DESC`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			t.Fatal(err)
		}
		all := true
		for _, w := range strings.Fields(text) {
			all = all && strings.Contains(s, w)
		}
		if all {
			ids = append(ids, id)
		}
	}
	return ids
}

// A short word with an outcome other than ok walks that outcome's states
// and probes each one's names (the outcome is the rarer of the two: at a
// million submissions walking the names read tens of thousands of rows for
// a page), and finds what a scan of every submission finds.
func TestShortWordWithRareOutcome(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	names := []string{"王小二", "李四", "王芳", "张三"}
	outcomes := []platforms.Outcome{platforms.OK, platforms.Unknown, platforms.OK, platforms.Failed, platforms.Unknown}
	for i := range 40 {
		sub := Submission{Customer: platforms.Customer{Name: names[i%len(names)], Mobile: fmt.Sprintf("134%08d", i)},
			Platforms: []string{"alsc", "youzan"}, Source: SourceConsole}
		if err := st.Begin(ctx, &sub); err != nil {
			t.Fatal(err)
		}
		ex := okExchange("alsc", fmt.Sprintf("C%d", i))
		ex.Result.Outcome = outcomes[i%len(outcomes)]
		if _, err := st.Record(ctx, sub.ID, ex); err != nil {
			t.Fatal(err)
		}
	}
	all, err := st.List(ctx, Query{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []platforms.Outcome{platforms.Unknown, platforms.Failed, OutcomePending} {
		q := Query{Text: "王", Outcome: o}
		var want []int64
		for _, s := range all {
			has := false
			for _, ps := range s.States {
				has = has || ps.Outcome == o || (o == OutcomePending && ps.Outcome == "")
			}
			if has && strings.Contains(s.Customer.Name, "王") {
				want = append(want, s.ID)
			}
		}
		got, err := st.List(ctx, Query{Text: q.Text, Outcome: o, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, s := range got {
			ids = append(ids, s.ID)
		}
		if !equalIDs(ids, want) {
			t.Errorf("%s: found %v, want %v", o, ids, want)
		}
		if n, err := st.Count(ctx, q); err != nil || n != len(want) {
			t.Errorf("%s: counted %d (%v), want %d", o, n, err, len(want))
		}
		query, args := q.plan().listSQL()
		steps := queryPlan(t, st, query, args...)
		if len(steps) == 0 || !strings.Contains(steps[0], "st USING") {
			t.Errorf("%s: the walk must start at the states: plan %q", o, steps)
		}
	}
}
