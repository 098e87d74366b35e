package store

import (
	"context"
	"database/sql"
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
