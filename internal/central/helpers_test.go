package central

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/custdesk/custdesk/internal/central/pgtest"
	"github.com/custdesk/custdesk/internal/store"
)

// newCentral is an initialised central database for one test.
func newCentral(t *testing.T) (*pgxpool.Pool, string) {
	t.Helper()
	url := pgtest.NewDB(t)
	ctx := context.Background()
	pool, err := Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if _, _, err := Init(ctx, pool); err != nil {
		t.Fatal(err)
	}
	return pool, url
}

// newTerminal is a terminal's history with its outbox installed.
func newTerminal(t *testing.T, name string) (*store.Store, *Local, string) {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	l, err := OpenLocal(context.Background(), dir, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return st, l, dir
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
