package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// ClaimDue starts up to limit queued attempts whose time has come, oldest
// first, among the named platforms (none named: all). Claiming is one write
// transaction, so two processes sharing the directory never claim the same
// row; a process claims only platforms it can send to.
func (s *Store) ClaimDue(ctx context.Context, now time.Time, limit int, platformNames ...string) ([]Claim, error) {
	if limit <= 0 {
		return nil, nil
	}
	filter, fargs := platformFilter(platformNames)
	var claims []Claim
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		claims = claims[:0]
		rows, err := tx.QueryContext(ctx, claimDueSQL(filter), append(append([]any{now.UnixNano()}, fargs...), limit)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var c Claim
			if err := rows.Scan(&c.SubmissionID, &c.Platform, &c.Attempt); err != nil {
				rows.Close()
				return err
			}
			c.Attempt++
			claims = append(claims, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, c := range claims {
			if err := s.claimTx(ctx, tx, c.SubmissionID, c.Platform, c.Attempt); err != nil {
				return err
			}
		}
		return nil
	})
	return claims, err
}

// The due queue's queries walk states_due, the partial index of queued rows,
// in due order: the queue is small whatever the history's size. Without
// INDEXED BY the planner prefers the platform filter's index and reads every
// state of those platforms (1.7 s per poll at a million submissions);
// INDEXED BY also makes the query fail loudly, rather than slow, should the
// index ever go.
func claimDueSQL(filter string) string {
	return `SELECT submission_id, platform, attempts FROM states INDEXED BY states_due
		WHERE queued = 1 AND next_retry <= ? AND in_flight = 0` + filter + ` ORDER BY next_retry LIMIT ?`
}

func nextDueSQL(filter string) string {
	return `SELECT min(next_retry) FROM states INDEXED BY states_due WHERE queued = 1 AND in_flight = 0` + filter
}

func platformFilter(names []string) (string, []any) {
	if len(names) == 0 {
		return "", nil
	}
	args := make([]any, len(names))
	for i, n := range names {
		args[i] = n
	}
	return ` AND platform IN (?` + strings.Repeat(`, ?`, len(names)-1) + `)`, args
}

// NextDue is when the earliest queued attempt among the named platforms
// (none named: all) is due.
func (s *Store) NextDue(ctx context.Context, platformNames ...string) (time.Time, bool, error) {
	filter, args := platformFilter(platformNames)
	var next sql.NullInt64
	err := s.read.QueryRowContext(ctx, nextDueSQL(filter), args...).Scan(&next)
	if err != nil || !next.Valid {
		return time.Time{}, false, wrapQueryErr(err)
	}
	return time.Unix(0, next.Int64), true, nil
}

// Queue puts a platform of a submission in the retry queue at at (a person
// chose resend later, or a sweep found a retryable state not queued).
func (s *Store) Queue(ctx context.Context, subID int64, platform string, at time.Time) error {
	return s.setState(ctx, subID, platform, `queued = 1, next_retry = ?, dropped = 0`, at.UnixNano())
}

// Drop records that a person chose not to send this platform again.
func (s *Store) Drop(ctx context.Context, subID int64, platform string) error {
	return s.setState(ctx, subID, platform, `queued = 0, next_retry = 0, dropped = 1, owner = ''`)
}

func (s *Store) setState(ctx context.Context, subID int64, platform, set string, args ...any) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.takeOverTx(ctx, tx, subID, platform); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE states SET `+set+` WHERE submission_id = ? AND platform = ?`,
			append(args, subID, platform)...)
		return err
	})
}

// OpenState is a platform state with an outcome that may call for a retry.
type OpenState struct {
	SubmissionID int64
	Platform     string
	Status       int
	Result       platforms.Result
	Attempts     int
}

// Unsettled lists failed and unknown platform states that are neither
// queued, dropped nor in flight: the dispatcher decides which to queue.
func (s *Store) Unsettled(ctx context.Context) ([]OpenState, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT submission_id, platform, status, result, attempts FROM states
		WHERE outcome IN ('failed', 'unknown') AND queued = 0 AND dropped = 0 AND in_flight = 0 AND owner = ''`)
	if err != nil {
		return nil, wrapQueryErr(err)
	}
	defer rows.Close()
	var out []OpenState
	for rows.Next() {
		var o OpenState
		var result string
		if err := rows.Scan(&o.SubmissionID, &o.Platform, &o.Status, &result, &o.Attempts); err != nil {
			return nil, wrapQueryErr(err)
		}
		if err := json.Unmarshal([]byte(result), &o.Result); err != nil {
			return nil, fmt.Errorf("history: submission %d %s: result: %w", o.SubmissionID, o.Platform, err)
		}
		out = append(out, o)
	}
	return out, wrapQueryErr(rows.Err())
}

// QueueStats is what the status bar shows.
type QueueStats struct {
	Queued   int // waiting for an automatic retry
	InFlight int // being sent now, by any process
	// Attention: sends only a person can settle (StateAttention), the inbox.
	Attention int
}

const statsSQL = `SELECT
	(SELECT count(*) FROM states WHERE queued = 1),
	(SELECT count(*) FROM states WHERE owner <> '' AND in_flight <> 0),
	(SELECT count(*) FROM states WHERE state = 'attention')`

// Stats counts the queue. Each count reads one partial index.
func (s *Store) Stats(ctx context.Context) (QueueStats, error) {
	var q QueueStats
	err := s.read.QueryRowContext(ctx, statsSQL).Scan(&q.Queued, &q.InFlight, &q.Attention)
	return q, wrapQueryErr(err)
}
