package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/custdesk/custdesk/platforms"
)

// indexWaitingTx indexes the search text of submissions waiting in
// search_later whose owner is dead (or, with mine, this process), with the
// customer IDs their platforms have returned so far.
func (s *Store) indexWaitingTx(ctx context.Context, tx *sql.Tx, mine bool) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, owner FROM search_later`)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		var owner string
		if err := rows.Scan(&id, &owner); err != nil {
			rows.Close()
			return err
		}
		if (mine && owner == s.owner.id) || !s.owner.alive(owner) {
			ids = append(ids, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		found, err := stateIDs(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := addSearchText(ctx, sqlTx{tx}, id, found); err != nil {
			return err
		}
	}
	return nil
}

// stateIDs are the customer IDs in a submission's platform states.
func stateIDs(ctx context.Context, tx *sql.Tx, subID int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT result FROM states WHERE submission_id = ?`, subID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		var r platforms.Result
		if json.Unmarshal([]byte(raw), &r) == nil {
			ids = append(ids, resultIDs(r)...)
		}
	}
	return ids, rows.Err()
}

// IndexWaiting indexes the search text of every submission this process
// wrote ahead with Batch.SearchLater and has not named in a SearchAdd (an
// import that stopped before their platforms answered).
func (s *Store) IndexWaiting(ctx context.Context) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.indexWaitingTx(ctx, tx, true) })
}
