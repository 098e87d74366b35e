package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// StartAttempt claims one platform of a submission for sending and commits
// the attempt before the request leaves, so a crash mid-request is seen as
// such. It returns ErrInFlight if a live process is already sending it.
func (s *Store) StartAttempt(ctx context.Context, subID int64, platform string) (int, error) {
	var attempt int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		attempts, err := s.takeOverTx(ctx, tx, subID, platform)
		if err != nil {
			return err
		}
		attempt = attempts + 1
		return s.claimTx(ctx, tx, subID, platform, attempt)
	})
	return attempt, err
}

// takeOverTx reads a platform's attempts for a change of its state, first
// settling an attempt a dead process left in flight (it becomes unknown).
// It returns ErrInFlight when a live process is sending it.
func (s *Store) takeOverTx(ctx context.Context, tx *sql.Tx, subID int64, platform string) (int, error) {
	var attempts int
	var inFlight int64
	var owner string
	err := tx.QueryRowContext(ctx, `SELECT attempts, in_flight, owner FROM states WHERE submission_id = ? AND platform = ?`,
		subID, platform).Scan(&attempts, &inFlight, &owner)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("history: submission %d has no platform %q: %w", subID, platform, ErrNotFound)
	}
	if err != nil {
		return 0, err
	}
	if inFlight != 0 {
		if s.owner.alive(owner) {
			return 0, ErrInFlight
		}
		if err := s.interruptTx(ctx, sqlTx{tx}, subID, platform, inFlight); err != nil {
			return 0, err
		}
	}
	return attempts, nil
}

func (s *Store) claimTx(ctx context.Context, tx *sql.Tx, subID int64, platform string, attempt int) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO exchanges (submission_id, platform, attempt, started, in_flight) VALUES (?, ?, ?, ?, 1)`,
		subID, platform, attempt, time.Now().UnixNano())
	if err != nil {
		return err
	}
	exID, err := res.LastInsertId()
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE states SET attempts = ?, in_flight = ?, owner = ?, queued = 0, next_retry = 0, dropped = 0
		WHERE submission_id = ? AND platform = ?`, attempt, exID, s.owner.id, subID, platform)
	return err
}

// Record commits one exchange and makes it the platform's state.
func (s *Store) Record(ctx context.Context, subID int64, ex platforms.Exchange) (int64, error) {
	return s.RecordRetry(ctx, subID, ex, time.Time{})
}

// RecordRetry is Record that, in the same transaction, queues the platform
// for another attempt at next (zero: not queued). Recording and queueing
// together means a crash cannot lose a retry.
func (s *Store) RecordRetry(ctx context.Context, subID int64, ex platforms.Exchange, next time.Time) (int64, error) {
	return s.RecordAfter(ctx, subID, ex, After{Retry: next})
}

// After says what follows a recorded exchange.
type After struct {
	Retry time.Time // queue another attempt then; zero: not queued
	Drop  bool      // a person stopped it (cancelled): nothing automatic follows
}

// RecordAfter commits an exchange and what follows it in one transaction.
func (s *Store) RecordAfter(ctx context.Context, subID int64, ex platforms.Exchange, after After) (int64, error) {
	if ex.Platform == "" {
		return 0, errors.New("history: exchange without a platform")
	}
	ex = mask(ex, s.maskList())
	if ex.Started.IsZero() {
		ex.Started = time.Now()
	}
	meta, reqBody, respBody, err := encodeExchange(ex)
	if err != nil {
		return 0, err
	}
	resultJSON, err := json.Marshal(ex.Result)
	if err != nil {
		return 0, err
	}
	var exID int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		exID, err = s.recordTx(ctx, tx, subID, ex, meta, reqBody, respBody, resultJSON, after)
		return err
	})
	return exID, err
}

// addSearchIDs makes the platform's customer IDs findable.
func addSearchIDs(ctx context.Context, tx *sql.Tx, subID int64, r platforms.Result) error {
	ids := resultIDs(r)
	if len(ids) == 0 {
		return nil
	}
	return addSearchText(ctx, sqlTx{tx}, subID, ids)
}
