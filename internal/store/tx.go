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
