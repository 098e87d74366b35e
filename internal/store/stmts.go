package store

import (
	"context"
	"database/sql"
	"sync"
)

// writeStmts keeps the write connection's statements prepared for the life
// of the store. The driver parses SQL on every unprepared call, and a
// statement prepared in a transaction dies with it: parsing was a sixth of
// an import's writer time. A statement first seen inside a transaction is
// prepared there, and for the store once the transaction is over (the one
// write connection is busy until then).
type writeStmts struct {
	mu     sync.Mutex
	m      map[string]*sql.Stmt
	wanted map[string]bool
}

// stmt is the store's prepared statement for query, or nil if it has none
// yet (it is then wanted, and prepared by prepareWanted).
func (w *writeStmts) stmt(query string) *sql.Stmt {
	w.mu.Lock()
	defer w.mu.Unlock()
	if st := w.m[query]; st != nil {
		return st
	}
	if w.wanted == nil {
		w.wanted = map[string]bool{}
	}
	w.wanted[query] = true
	return nil
}

// prepareWanted prepares on db the statements transactions asked for; it is
// called with no transaction open on db.
func (w *writeStmts) prepareWanted(ctx context.Context, db *sql.DB) {
	w.mu.Lock()
	wanted := w.wanted
	w.wanted = nil
	w.mu.Unlock()
	// Not under mu: preparing waits for the write connection, and whoever
	// holds it may be asking for a statement.
	for q := range wanted {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			continue // the transaction's own prepare reported it, if it mattered
		}
		w.mu.Lock()
		if w.m == nil {
			w.m = map[string]*sql.Stmt{}
		}
		if w.m[q] == nil {
			w.m[q] = st
			st = nil
		}
		w.mu.Unlock()
		if st != nil {
			_ = st.Close() // another goroutine prepared it meanwhile
		}
	}
}

func (w *writeStmts) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, st := range w.m {
		_ = st.Close()
	}
	w.m = nil
}

// inPreparedTx is inTx with statements prepared once for the store (see
// writeStmts).
func (s *Store) inPreparedTx(ctx context.Context, fn func(*preparedTx) error) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		pt := &preparedTx{Tx: tx, cache: &s.stmts}
		defer pt.close()
		return fn(pt)
	})
	s.stmts.prepareWanted(ctx, s.write)
	return err
}

// execer is what the record statements need of a transaction: *sql.Tx, or
// a preparedTx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// writeTx is an execer that also runs queries (the duplicate guard's).
type writeTx interface {
	execer
	querier
}

// preparedTx runs each statement on the store's prepared copy (bound to the
// transaction, which costs no parse), or prepares it once for the
// transaction when the store has none yet.
type preparedTx struct {
	*sql.Tx
	cache *writeStmts
	stmts map[string]*sql.Stmt
}

func (p *preparedTx) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := p.stmts[query]; ok {
		return st, nil
	}
	var st *sql.Stmt
	if parent := p.cache.stmt(query); parent != nil {
		st = p.Tx.StmtContext(ctx, parent)
	} else {
		var err error
		if st, err = p.Tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
	}
	if p.stmts == nil {
		p.stmts = map[string]*sql.Stmt{}
	}
	p.stmts[query] = st
	return st, nil
}

func (p *preparedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := p.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (p *preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := p.prepared(ctx, query)
	if err != nil {
		return p.Tx.QueryRowContext(ctx, query, args...) // carries the same error to Scan
	}
	return st.QueryRowContext(ctx, args...)
}

func (p *preparedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := p.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// close releases the transaction's statements; the store's stay prepared.
func (p *preparedTx) close() {
	for _, st := range p.stmts {
		_ = st.Close()
	}
}
