package central

import (
	"testing"

	"github.com/custdesk/custdesk/internal/store"
)

// A chain whose central store was made by the first schema: 'central init'
// migrates it, and a whole customer ID replicated before the migration is
// found through the exact-match table after it.
func TestMigrationTwoFillsTheExactIDs(t *testing.T) {
	ctx := ctxT(t)
	pool, _ := newCentral(t)
	st, l, _ := newTerminal(t, "store-003/pos-1")
	sub := begin(t, st, "13433333333")
	answer(t, st, sub, "p1", "1796123456789012345")
	if err := NewReplicator(l, pool).Drain(ctx); err != nil {
		t.Fatal(err)
	}
	// Back to schema 1 as it shipped: no table, the array index, version 1.
	if _, err := pool.Exec(ctx, `DROP TABLE custdesk.customer_ids;
		CREATE INDEX states_id_list ON custdesk.states USING gin (customer_id_list);
		UPDATE custdesk.meta SET version = 1`); err != nil {
		t.Fatal(err)
	}
	if err := CheckSchema(ctx, pool); err == nil {
		t.Fatal("schema 1 accepted as current")
	}
	from, to, err := Init(ctx, pool)
	if err != nil || from != 1 || to != Version {
		t.Fatalf("init: %d -> %d, %v", from, to, err)
	}
	es, err := Search(ctx, pool, Query{Query: store.Query{Text: "1796123456789012345"}})
	if err != nil || len(es) != 1 || es[0].Terminal != "store-003/pos-1" || es[0].ID != sub.ID {
		t.Fatalf("after migrating: %v, %+v", err, es)
	}
}
