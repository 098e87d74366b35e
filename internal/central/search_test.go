package central

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

func TestSearchAcrossTerminals(t *testing.T) {
	ctx := ctxT(t)
	pool, _ := newCentral(t)
	for i, term := range []string{"store-007/pos-1", "store-007/pos-2", "store-012/pos-1"} {
		st, l, _ := newTerminal(t, term)
		for j := range 3 {
			sub := begin(t, st, fmt.Sprintf("1341%d%06d", i, j))
			answer(t, st, sub, "p1", fmt.Sprintf("CID-%d-%d", i, j))
			answer(t, st, sub, "p2", fmt.Sprintf("17960000000000%d%04d", i, j))
		}
		if err := NewReplicator(l, pool).Drain(ctx); err != nil {
			t.Fatal(err)
		}
	}
	count := func(q Query) int {
		t.Helper()
		es, err := Search(ctx, pool, q)
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	text := func(s string) Query {
		rest, term, storeName := SplitFilters(s)
		return Query{Query: store.Query{Text: rest}, Terminal: term, Store: storeName}
	}
	cases := []struct {
		q    Query
		want int
	}{
		{text(""), 9},
		{text("王小二"), 9},
		{text("13412000001"), 1},                 // mobile
		{text("+8613412000001"), 1},              // as E.164
		{text("CID-1-2"), 1},                     // a platform's customer ID
		{text("1796000000000010002"), 1},         // a whole numeric one: the exact-match table
		{text("179600000000001000"), 0},          // exact: not a prefix
		{text("cid-1"), 3},                       // case-insensitive fragment
		{text("store:store-007"), 6},             // both tills of a store
		{text("terminal:store-007/pos-2"), 3},    // one till
		{text("terminal:store-012/pos-1 王小"), 3}, // filter and a short word
		{text("王"), 9},                           // one character: a word's start
		{text("小二"), 0},                          // short words match a word's start only
		{text("13412000001x"), 0},
		{Query{Query: store.Query{Outcome: platforms.OK}}, 9},
		{Query{Query: store.Query{Outcome: store.OutcomePending, Platform: "p2"}}, 0},
		{Query{Query: store.Query{Outcome: store.OutcomePending, Platform: "p1"}}, 0},
		{Query{Query: store.Query{Limit: 4}}, 4},
		{text("100%"), 0}, // LIKE metacharacters are literal
	}
	for _, c := range cases {
		if got := count(c.q); got != c.want {
			t.Errorf("%+v: %d entries, want %d", c.q, got, c.want)
		}
	}
	es, err := Search(ctx, pool, text("CID-2-0"))
	if err != nil || len(es) != 1 {
		t.Fatalf("%v %d", err, len(es))
	}
	e := es[0]
	if e.Terminal != "store-012/pos-1" || e.Store != "store-012" || e.States["p1"].Outcome != platforms.OK ||
		e.States["p1"].Result.CustomerIDs[0] != "CID-2-0" || e.Customer.Name != "王小二" {
		t.Fatalf("entry %+v", e)
	}
	var buf bytes.Buffer
	if err := WriteEntries(&buf, es, "text"); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, "store-012/pos-1") || !strings.Contains(out, "p1:ok(CID-2-0)") || !strings.Contains(out, "p2:ok(1796000000000020000)") {
		t.Errorf("text output:\n%s", out)
	}
}
