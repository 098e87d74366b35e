package central

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/custdesk/custdesk/internal/store"
)

// The console's chain view reads the central store as it reads the local
// one: a search's page, its count, and one terminal's entry with its
// exchanges, the same as that terminal has them.
func TestHistoryReadsEntriesByTerminalAndLocalID(t *testing.T) {
	ctx := ctxT(t)
	pool, _ := newCentral(t)
	h := NewHistory(pool)
	stores := map[string]*store.Store{}
	for i, term := range []string{"store-007/pos-1", "store-012/pos-1"} {
		st, l, _ := newTerminal(t, term)
		stores[term] = st
		for j := range 4 {
			sub := begin(t, st, fmt.Sprintf("1350%d%06d", i, j))
			answer(t, st, sub, "p1", fmt.Sprintf("CID-%d-%d", i, j))
		}
		if err := NewReplicator(l, pool).Drain(ctx); err != nil {
			t.Fatal(err)
		}
	}
	all := Query{}
	if n, err := h.Count(ctx, all); err != nil || n != 8 {
		t.Fatalf("count of all: %d, %v; want 8", n, err)
	}
	one := Query{Terminal: "store-012/pos-1"}
	if n, err := h.CountUpTo(ctx, one, 3); err != nil || n != 3 {
		t.Fatalf("count up to 3 of one terminal: %d, %v; want 3", n, err)
	}
	if n, err := h.CountUpTo(ctx, Query{Query: store.Query{Text: "CID-1"}}, 100); err != nil || n != 4 {
		t.Fatalf("count of CID-1: %d, %v; want 4", n, err)
	}
	page, err := h.List(ctx, Query{Query: store.Query{Limit: 3, Offset: 2}})
	if err != nil || len(page) != 3 {
		t.Fatalf("a page of 3 at 2: %d entries, %v", len(page), err)
	}
	// Both terminals have a submission #1: each is read as its own.
	for term, st := range stores {
		local, err := st.Get(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		e, err := h.Get(ctx, term, 1)
		if err != nil {
			t.Fatal(err)
		}
		if e.Terminal != term || e.Store != StoreOf(term) || e.Customer.Mobile != local.Customer.Mobile ||
			e.States["p1"].Outcome != local.States["p1"].Outcome || e.States["p1"].Attempts != local.States["p1"].Attempts {
			t.Fatalf("%s #1 centrally: %+v; locally %+v", term, e, local)
		}
		lx, err := st.Exchanges(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		cx, err := h.Exchanges(ctx, term, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(cx) != len(lx) || len(cx) == 0 {
			t.Fatalf("%s #1: %d exchanges centrally, %d locally", term, len(cx), len(lx))
		}
		for i := range lx {
			l, c := lx[i], cx[i]
			if c.ID != l.ID || c.Platform != l.Platform || c.Attempt != l.Attempt || !bytes.Equal(c.Response, l.Response) ||
				c.Result.Outcome != l.Result.Outcome || fmt.Sprint(c.Result.CustomerIDs) != fmt.Sprint(l.Result.CustomerIDs) ||
				!c.Started.Equal(l.Started) {
				t.Fatalf("%s #1 exchange %d centrally %+v, locally %+v", term, i, c, l)
			}
		}
	}
	if _, err := h.Get(ctx, "store-007/pos-1", 99); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("an entry the central store lacks: %v, want ErrNotFound", err)
	}
	if exs, err := h.Exchanges(ctx, "store-404/pos-1", 1); err != nil || len(exs) != 0 {
		t.Fatalf("exchanges of an unknown terminal: %v, %v", exs, err)
	}
}
