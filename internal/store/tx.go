package store

import (
	"errors"

	"context"
	"database/sql"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// inTx runs fn in one write transaction (BEGIN IMMEDIATE).
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return wrapQueryErr(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		if isCorruption(err) {
			return wrapQueryErr(err)
		}
		return err
	}
	return wrapQueryErr(tx.Commit())
}

// isUniqueViolation reports a UNIQUE or PRIMARY KEY constraint failing, by
// SQLite's extended result code rather than by the wording of its message.
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// execer is what the record statements need of a transaction: a
// preparedTx, or a *sql.Tx as sqlTx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	queryRow(ctx context.Context, query string, args ...any) rowScanner
}

// querier runs queries: a preparedTx, sqlTx or sqlDB.
type querier interface {
	query(ctx context.Context, query string, args ...any) (rowsScanner, error)
}

// writeTx is an execer that also runs queries (the duplicate guard's).
type writeTx interface {
	execer
	querier
}

// rowScanner is *sql.Row, or a preparedTx's row.
type rowScanner interface {
	Scan(dest ...any) error
}

// rowsScanner is *sql.Rows, or a preparedTx's rows.
type rowsScanner interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// sqlTx is a *sql.Tx as an execer and querier.
type sqlTx struct{ *sql.Tx }

func (t sqlTx) queryRow(ctx context.Context, query string, args ...any) rowScanner {
	return t.Tx.QueryRowContext(ctx, query, args...)
}

func (t sqlTx) query(ctx context.Context, query string, args ...any) (rowsScanner, error) {
	return t.Tx.QueryContext(ctx, query, args...)
}

// sqlDB is a *sql.DB as a querier.
type sqlDB struct{ *sql.DB }

func (d sqlDB) query(ctx context.Context, query string, args ...any) (rowsScanner, error) {
	return d.DB.QueryContext(ctx, query, args...)
}
