package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// Interrupted is the code of an attempt whose process died before its answer
// was recorded.
const Interrupted = "INTERRUPTED"

// Recover settles what crashed processes left behind: an attempt in flight
// becomes unknown (the request may or may not have reached the platform), and
// a platform that was written ahead but never sent is queued to send now. It
// returns how many platform states it changed. Rows of live processes,
// including other consoles on the same directory, are left alone.
func (s *Store) Recover(ctx context.Context) (int, error) {
	type orphan struct {
		subID    int64
		platform string
		inFlight int64
	}
	n := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		n = 0
		rows, err := tx.QueryContext(ctx, `SELECT submission_id, platform, in_flight, owner FROM states WHERE owner <> ''`)
		if err != nil {
			return err
		}
		var orphans []orphan
		for rows.Next() {
			var o orphan
			var owner string
			if err := rows.Scan(&o.subID, &o.platform, &o.inFlight, &owner); err != nil {
				rows.Close()
				return err
			}
			if !s.owner.alive(owner) {
				orphans = append(orphans, o)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		now := time.Now().UnixNano()
		for _, o := range orphans {
			if o.inFlight != 0 {
				err = s.interruptTx(ctx, sqlTx{tx}, o.subID, o.platform, o.inFlight)
			} else {
				_, err = tx.ExecContext(ctx, `UPDATE states SET owner = '', queued = 1, next_retry = ?
					WHERE submission_id = ? AND platform = ? AND outcome = '' AND dropped = 0`, now, o.subID, o.platform)
				if err == nil {
					_, err = tx.ExecContext(ctx, `UPDATE states SET owner = '' WHERE submission_id = ? AND platform = ?`, o.subID, o.platform)
				}
			}
			if err != nil {
				return err
			}
			n++
		}
		// Search text a dead import left waiting for its rows' answers.
		return s.indexWaitingTx(ctx, tx, false)
	})
	return n, err
}

// interruptTx turns the attempt in flight into an unknown exchange.
func (s *Store) interruptTx(ctx context.Context, tx execer, subID int64, platform string, exID int64) error {
	var requestID string
	var started int64
	err := tx.queryRow(ctx, `SELECT s.request_id, e.started FROM exchanges e JOIN submissions s ON s.id = e.submission_id
		WHERE e.id = ?`, exID).Scan(&requestID, &started)
	if err != nil {
		return fmt.Errorf("history: attempt %d in flight: %w", exID, err)
	}
	ex := platforms.Exchange{
		Platform: platform, RequestID: requestID, Started: time.Unix(0, started),
		Error: "custdesk stopped while this request was in flight",
		Result: platforms.Result{Outcome: platforms.Unknown, Code: Interrupted, Retryable: true,
			Message: "custdesk stopped before the answer arrived; the platform may or may not have created the customer"},
	}
	meta, _, _, err := encodeExchange(ex)
	if err != nil {
		return err
	}
	resultJSON, err := json.Marshal(ex.Result)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE exchanges SET in_flight = 0, outcome = ?, meta = ? WHERE id = ?`,
		string(platforms.Unknown), meta, exID); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE states SET outcome = ?, result = ?, status = 0, duration = 0, exchange_id = ?,
		in_flight = 0, owner = '', queued = 0, next_retry = 0 WHERE submission_id = ? AND platform = ?`,
		string(platforms.Unknown), resultJSON, exID, subID, platform)
	return err
}
