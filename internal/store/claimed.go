package store

import (
	"context"
	"time"
)

// The importer's two state changes per attempt, claim and record, each in
// two statements instead of three when the state is what the importer knows
// it to be: the statements' own conditions check it, so the state need not
// be read first. When a condition fails, nothing was written, and the
// general path (startTx, recordIn) reads the state and decides as before.
// The conditions are exactly the general path's: a claim takes a state that
// is not in flight, not dropped and has the expected outcome; a record of a
// claimed attempt finds the state still in flight with that attempt, for
// this process.

// claimExpected claims k when its state is as expected, attempts included
// (k.Known). ok is false when it is not (or has no row, or k does not know
// its attempts): then nothing was written.
//
// The state is changed first, naming the exchange the attempt is about to
// get: the write lock is held and nothing is inserted in between, so that
// is the largest rowid plus one, the rowid SQLite gives the insert that
// follows (exchanges has no AUTOINCREMENT; only a rowid of 2^63-1 would
// make it pick another, and LastInsertId is what the caller is told). (RETURNING, or an INSERT ... SELECT from
// the state, would also do without a read, but both cost more than it: the
// one buffers its rows, the other opens a savepoint.)
func (s *Store) claimExpected(ctx context.Context, tx execer, k AttemptKey) (st Started, ok bool, err error) {
	if !k.Known {
		return Started{}, false, nil
	}
	attempt := k.Attempts + 1
	// First as a row this process wrote ahead is: already its own and not
	// queued. Only the columns that change are set, so SQLite leaves the
	// owner and retry indexes alone (it updates an index when a column the
	// index names is set, whether or not its value changes).
	res, err := tx.ExecContext(ctx, `UPDATE states SET attempts = ?, in_flight = (SELECT coalesce(max(id), 0) + 1 FROM exchanges)
		WHERE submission_id = ? AND platform = ? AND attempts = ? AND in_flight = 0 AND dropped = 0 AND outcome = ?
		AND owner = ? AND queued = 0 AND next_retry = 0`,
		attempt, k.SubmissionID, k.Platform, k.Attempts, string(k.Expect), s.owner.id)
	if err != nil {
		return Started{}, false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return Started{}, false, err
	}
	if n != 1 {
		res, err = tx.ExecContext(ctx, `UPDATE states SET attempts = ?, in_flight = (SELECT coalesce(max(id), 0) + 1 FROM exchanges),
			owner = ?, queued = 0, next_retry = 0, dropped = 0
			WHERE submission_id = ? AND platform = ? AND attempts = ? AND in_flight = 0 AND dropped = 0 AND outcome = ?`,
			attempt, s.owner.id, k.SubmissionID, k.Platform, k.Attempts, string(k.Expect))
		if err != nil {
			return Started{}, false, err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return Started{}, false, err
		}
	}
	res, err = tx.ExecContext(ctx, `INSERT INTO exchanges (submission_id, platform, attempt, started, in_flight) VALUES (?, ?, ?, ?, 1)`,
		k.SubmissionID, k.Platform, attempt, time.Now().UnixNano())
	if err != nil {
		return Started{}, false, err
	}
	exID, err := res.LastInsertId()
	if err != nil {
		return Started{}, false, err
	}
	return Started{Attempt: attempt, Exchange: exID}, true, nil
}

// recordClaimed records the answer to the attempt this process claimed as
// exchange claimed, when the state still has it in flight for this process.
// ok is false when it has not (or claimed is 0): then nothing was written.
// What it writes is what recordIn writes for an attempt of its own.
func (s *Store) recordClaimed(ctx context.Context, tx execer, subID, claimed int64, e *encodedExchange) (ok bool, err error) {
	if claimed == 0 {
		return false, nil
	}
	ex := e.ex
	res, err := tx.ExecContext(ctx, `UPDATE states SET outcome = ?, result = ?, status = ?, duration = ?, exchange_id = ?,
		queued = 0, next_retry = 0, dropped = 0, in_flight = 0, owner = ''
		WHERE submission_id = ? AND platform = ? AND in_flight = ? AND owner = ?`,
		string(ex.Result.Outcome), e.result, ex.Status, int64(ex.Duration), claimed, subID, ex.Platform, claimed, s.owner.id)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return false, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE exchanges SET in_flight = 0, started = ?, outcome = ?, meta = ?, request_body = ?, response = ?
		WHERE id = ?`, ex.Started.UnixNano(), string(ex.Result.Outcome), e.meta, e.reqBody, e.respBody, claimed)
	return err == nil, err
}
