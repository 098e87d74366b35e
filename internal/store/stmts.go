package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"
)

// Group commits (Apply, BeginMany) run on the write connection's driver
// directly, with its statements prepared once for the life of the store.
// database/sql costs a parse per unprepared call, and on prepared ones a
// conversion, a lock and a Stmt rebound to each transaction; every query in
// a transaction also starts a goroutine to watch the transaction's context.
// That was a fifth of a group commit's CPU (BenchmarkApplyImport), for
// statements that SQLite runs in a few microseconds. The transaction and
// its statements are the same as through database/sql: BEGIN IMMEDIATE
// (the DSN's _txlock), the statements in order, COMMIT, or ROLLBACK when
// one fails.

// rawConn is what a group commit needs of the driver's connection.
type rawConn interface {
	driver.ConnBeginTx
	driver.ConnPrepareContext
}

// writeStmts are the write connection's prepared statements. mu is held
// for a whole transaction: the one write connection is busy until then.
type writeStmts struct {
	mu   sync.Mutex
	conn any // the driver connection they were prepared on
	m    map[string]driver.Stmt
}

// use makes the statements those of conn: a connection database/sql
// replaced takes its statements with it.
func (w *writeStmts) use(conn any) {
	if w.conn != conn {
		w.conn, w.m = conn, map[string]driver.Stmt{}
	}
}

func (w *writeStmts) closeAll() {
	for _, st := range w.m {
		_ = st.Close()
	}
	w.conn, w.m = nil, nil
}

// closeStmts finalizes the statements on their connection, before it closes.
func (s *Store) closeStmts() {
	if s.group == nil {
		return
	}
	conn, err := s.group.Conn(context.Background())
	if err != nil {
		return
	}
	defer conn.Close()
	_ = conn.Raw(func(dc any) error {
		s.stmts.mu.Lock()
		defer s.stmts.mu.Unlock()
		if s.stmts.conn == dc {
			s.stmts.closeAll()
		}
		return nil
	})
}

// inPreparedTx is inTx on the driver directly, with the store's prepared
// statements.
//
// It runs on a connection of its own without SQLite's foreign-key checks,
// which cost a lookup of the parent row for every child row inserted
// (eleven per imported row, a tenth of the import's writer) and guard
// nothing here: a group commit inserts children only of submissions it
// inserts itself or whose state it has just changed or read (a claim or
// record finds the state row first, a search addition the submission's
// text), and nothing ever deletes a submission. Every other write keeps
// the checks. The two connections take SQLite's write lock in turn, as two
// processes would.
func (s *Store) inPreparedTx(ctx context.Context, fn func(*preparedTx) error) error {
	db, err := s.groupDB()
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return wrapQueryErr(err)
	}
	defer conn.Close()
	var fnErr error
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(rawConn)
		if !ok {
			return errors.New("history: the SQLite driver has no contexts for transactions and statements")
		}
		s.stmts.mu.Lock()
		defer s.stmts.mu.Unlock()
		s.stmts.use(dc)
		tx, err := c.BeginTx(ctx, driver.TxOptions{})
		if err != nil {
			return err
		}
		if fnErr = fn(&preparedTx{c: c, stmts: &s.stmts}); fnErr != nil {
			_ = tx.Rollback()
			return nil
		}
		return tx.Commit()
	})
	if fnErr != nil {
		if isCorruption(fnErr) {
			return wrapQueryErr(fnErr)
		}
		return fnErr
	}
	return wrapQueryErr(err)
}

// preparedTx runs a group commit's statements on the store's prepared
// copies, preparing each the first time it is seen.
type preparedTx struct {
	c     rawConn
	stmts *writeStmts
}

func (p *preparedTx) prepared(ctx context.Context, query string) (driver.Stmt, error) {
	if st := p.stmts.m[query]; st != nil {
		return st, nil
	}
	st, err := p.c.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	_, execs := st.(driver.StmtExecContext)
	_, queries := st.(driver.StmtQueryContext)
	if !execs || !queries {
		_ = st.Close()
		return nil, errors.New("history: the SQLite driver has no contexts for statements")
	}
	p.stmts.m[query] = st
	return st, nil
}

// bound is query's prepared statement with args converted for it.
func (p *preparedTx) bound(ctx context.Context, query string, args []any) (driver.Stmt, []driver.NamedValue, error) {
	st, err := p.prepared(ctx, query)
	if err != nil {
		return nil, nil, err
	}
	nv, err := namedValues(args)
	return st, nv, err
}

func (p *preparedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, nv, err := p.bound(ctx, query, args)
	if err != nil {
		return nil, err
	}
	return st.(driver.StmtExecContext).ExecContext(ctx, nv)
}

func (p *preparedTx) query(ctx context.Context, query string, args ...any) (rowsScanner, error) {
	st, nv, err := p.bound(ctx, query, args)
	if err != nil {
		return nil, err
	}
	rows, err := st.(driver.StmtQueryContext).QueryContext(ctx, nv)
	if err != nil {
		return nil, err
	}
	return &rawRows{rows: rows, dest: make([]driver.Value, len(rows.Columns()))}, nil
}

func (p *preparedTx) queryRow(ctx context.Context, query string, args ...any) rowScanner {
	rows, err := p.query(ctx, query, args...)
	return rawRow{rows: rows, err: err}
}
