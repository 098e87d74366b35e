package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// exactHistory: three members, each created on ALSC with a long numeric
// customer ID sharing its prefix with the others, as real IDs do.
func exactHistory(t *testing.T, st *Store) []Submission {
	t.Helper()
	ctx := context.Background()
	var subs []Submission
	for i, mobile := range []string{"13411112222", "13411113333", "13511112222"} {
		sub := Submission{Customer: platforms.Customer{Name: "王小" + string(rune('一'+i)), Mobile: mobile},
			Platforms: []string{"alsc"}, Source: SourceConsole}
		if err := st.Begin(ctx, &sub); err != nil {
			t.Fatal(err)
		}
		cid := "12146313276207759" + string(rune('1'+i)) + "0"
		if _, err := st.Record(ctx, sub.ID, okExchange("alsc", cid)); err != nil {
			t.Fatal(err)
		}
		subs = append(subs, sub)
	}
	return subs
}

func listIDs(t *testing.T, st *Store, text string) []int64 {
	t.Helper()
	got, err := st.List(context.Background(), Query{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, s := range got {
		ids = append(ids, s.ID)
	}
	return ids
}

func TestSearchFindsWholeNumbersExactly(t *testing.T) {
	st, _ := openTemp(t)
	subs := exactHistory(t, st)
	cases := []struct {
		text string
		want []int64
	}{
		{"1214631327620775920", []int64{subs[1].ID}},                       // a whole customer ID
		{"13411113333", []int64{subs[1].ID}},                               // a whole mobile
		{"+8613411113333", []int64{subs[1].ID}},                            // the same mobile as E.164
		{"12146313276207759", []int64{subs[2].ID, subs[1].ID, subs[0].ID}}, // a fragment of the IDs
		{"11112222", []int64{subs[2].ID, subs[0].ID}},                      // a fragment of mobiles
		{"13411112222 1214631327620775910", []int64{subs[0].ID}},           // both exact
		{"13411112222 1214631327620775920", nil},                           // two members' numbers
		{"1214631327620775999", nil},                                       // no such ID
	}
	for _, c := range cases {
		if got := listIDs(t, st, c.text); !equalIDs(got, c.want) {
			t.Errorf("List(%q) = %v, want %v", c.text, got, c.want)
		}
		n, err := st.Count(context.Background(), Query{Text: c.text})
		if err != nil || n != len(c.want) {
			t.Errorf("Count(%q) = %d, %v; want %d", c.text, n, err, len(c.want))
		}
	}
	// The exact words are looked up in their indexes, not the trigram index.
	q, err := st.exactWords(context.Background(), Query{Text: "1214631327620775920 13411113333"})
	if err != nil {
		t.Fatal(err)
	}
	query, args := q.plan().listSQL()
	if strings.Contains(query, "MATCH") {
		t.Errorf("whole numbers still searched through the trigram index: %s", query)
	}
	for _, step := range queryPlan(t, st, query, args...) {
		if strings.HasPrefix(step, "SCAN") {
			t.Errorf("plan step %q reads a whole table", step)
		}
	}
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A history written before the exact index existed gets it filled from its
// recorded exchanges when it is opened.
func TestCustomerIDIndexFilledOnUpgrade(t *testing.T) {
	st, dir := openTemp(t)
	subs := exactHistory(t, st)
	ctx := context.Background()
	if _, err := st.write.ExecContext(ctx, `DROP TABLE customer_ids; DROP TABLE search_later; ALTER TABLE submissions DROP COLUMN allow_duplicate; PRAGMA user_version = 4`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got := listIDs(t, st, "1214631327620775930"); !equalIDs(got, []int64{subs[2].ID}) {
		t.Errorf("after the upgrade the customer ID finds %v, want %v", got, []int64{subs[2].ID})
	}
	var n int
	if err := st.read.QueryRowContext(ctx, `SELECT count(*) FROM customer_ids`).Scan(&n); err != nil || n != 3 {
		t.Errorf("customer_ids holds %d rows (%v), want 3", n, err)
	}
}

func TestCountUpToStopsAtTheLimit(t *testing.T) {
	st, _ := openTemp(t)
	ctx := context.Background()
	for i := range 7 {
		sub := Submission{Customer: platforms.Customer{Name: "李四", Mobile: "1380000000" + string(rune('0'+i))},
			Platforms: []string{"alsc"}, Source: SourceConsole, Created: time.Now()}
		if err := st.Begin(ctx, &sub); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		q     Query
		limit int
		want  int
	}{
		{Query{}, 5, 5},
		{Query{}, 100, 7},
		{Query{Text: "李"}, 3, 3},
		{Query{Text: "李四"}, 100, 7},
		{Query{Outcome: OutcomePending}, 4, 4},
		{Query{Outcome: OutcomePending, Platform: "alsc"}, 100, 7},
		{Query{Text: "13800000003"}, 100, 1},
	} {
		n, err := st.CountUpTo(ctx, c.q, c.limit)
		if err != nil || n != c.want {
			t.Errorf("CountUpTo(%+v, %d) = %d, %v; want %d", c.q, c.limit, n, err, c.want)
		}
	}
}
