package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/custdesk/custdesk/platforms"
)

// Query selects submissions. Zero fields match everything.
type Query struct {
	// Text matches name, mobile (as typed, as digits, as E.164), email,
	// request ID and the platforms' customer IDs; words must all match.
	Text     string
	Platform string
	// Outcome matches submissions where a platform (Platform, when given) has
	// this outcome. OutcomePending matches platforms not yet answered.
	Outcome      platforms.Outcome
	Since, Until time.Time // Until is exclusive
	Limit        int       // 0: no limit
	Offset       int

	beforeID int64 // keyset cursor for streaming exports
}

// OutcomePending selects platforms with no answer yet (pending, queued or in flight).
const OutcomePending platforms.Outcome = "pending"

const submissionColumns = `id, request_id, customer, platforms, operator, source, import_file, import_row, created`

// where builds the filter; every clause uses an index (the trigram index for
// text, states_outcome for outcome, the primary key for platform, created for
// dates).
func (q Query) where() (string, []any) {
	var conds []string
	var args []any
	var fts []string
	for _, word := range strings.Fields(q.Text) {
		if utf8.RuneCountInString(word) >= 3 {
			fts = append(fts, `"`+strings.ReplaceAll(word, `"`, `""`)+`"`)
			continue
		}
		// The trigram index cannot serve fewer than three characters; LIKE
		// scans the index's text, still far fewer bytes than the rows.
		conds = append(conds, `id IN (SELECT rowid FROM search WHERE text LIKE ? ESCAPE '\')`)
		args = append(args, "%"+likeEscape(word)+"%")
	}
	if len(fts) > 0 {
		conds = append(conds, `id IN (SELECT rowid FROM search WHERE search MATCH ?)`)
		args = append(args, strings.Join(fts, " AND "))
	}
	outcome := string(q.Outcome)
	if q.Outcome == OutcomePending {
		outcome = ""
	}
	switch {
	case q.Outcome != "" && q.Platform != "":
		conds = append(conds, `id IN (SELECT submission_id FROM states WHERE outcome = ? AND platform = ?)`)
		args = append(args, outcome, q.Platform)
	case q.Outcome != "":
		conds = append(conds, `id IN (SELECT submission_id FROM states WHERE outcome = ?)`)
		args = append(args, outcome)
	case q.Platform != "":
		conds = append(conds, `EXISTS (SELECT 1 FROM states WHERE submission_id = submissions.id AND platform = ?)`)
		args = append(args, q.Platform)
	}
	if !q.Since.IsZero() {
		conds = append(conds, `created >= ?`)
		args = append(args, q.Since.UnixNano())
	}
	if !q.Until.IsZero() {
		conds = append(conds, `created < ?`)
		args = append(args, q.Until.UnixNano())
	}
	if q.beforeID > 0 {
		conds = append(conds, `id < ?`)
		args = append(args, q.beforeID)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// List returns matching submissions, newest first, with their states.
func (s *Store) List(ctx context.Context, q Query) ([]Submission, error) {
	where, args := q.where()
	query := `SELECT ` + submissionColumns + ` FROM submissions` + where + ` ORDER BY id DESC`
	if q.Limit > 0 || q.Offset > 0 {
		limit := q.Limit
		if limit <= 0 {
			limit = -1
		}
		query += ` LIMIT ? OFFSET ?`
		args = append(args, limit, max(q.Offset, 0))
	}
	return s.querySubmissions(ctx, query, args...)
}

// Count is how many submissions match, ignoring Limit and Offset.
func (s *Store) Count(ctx context.Context, q Query) (int, error) {
	where, args := q.where()
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM submissions`+where, args...).Scan(&n)
	return n, wrapQueryErr(err)
}

func wrapQueryErr(err error) error {
	if err == nil {
		return nil
	}
	if isCorruption(err) {
		return fmt.Errorf("history: the database file is damaged (%w: %v); it is left as is: move it away or use --data-dir", ErrCorrupt, err)
	}
	return fmt.Errorf("history: %w", err)
}

func isCorruption(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "malformed") || strings.Contains(msg, "not a database") || strings.Contains(msg, "SQLITE_CORRUPT")
}

func (s *Store) querySubmissions(ctx context.Context, query string, args ...any) ([]Submission, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, wrapQueryErr(err)
	}
	var subs []Submission
	for rows.Next() {
		var sub Submission
		var cust, names string
		var created int64
		if err := rows.Scan(&sub.ID, &sub.RequestID, &cust, &names, &sub.Operator, &sub.Source, &sub.ImportFile, &sub.ImportRow, &created); err != nil {
			rows.Close()
			return nil, wrapQueryErr(err)
		}
		if err := json.Unmarshal([]byte(cust), &sub.Customer); err != nil {
			rows.Close()
			return nil, fmt.Errorf("history: submission %d: customer: %w", sub.ID, err)
		}
		if names != "" {
			sub.Platforms = strings.Split(names, ",")
		}
		sub.Created = time.Unix(0, created)
		sub.States = make(map[string]PlatformState, len(sub.Platforms))
		subs = append(subs, sub)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrapQueryErr(err)
	}
	if len(subs) == 0 {
		return subs, nil
	}
	return subs, s.loadStates(ctx, subs)
}

// loadStates fills States for a page of submissions in one query.
func (s *Store) loadStates(ctx context.Context, subs []Submission) error {
	index := make(map[int64]int, len(subs))
	ph := make([]string, len(subs))
	args := make([]any, len(subs))
	for i, sub := range subs {
		index[sub.ID] = i
		ph[i], args[i] = "?", sub.ID
	}
	rows, err := s.read.QueryContext(ctx, `SELECT submission_id, platform, outcome, result, attempts, status, duration,
		exchange_id, queued, next_retry, in_flight, dropped FROM states WHERE submission_id IN (`+strings.Join(ph, ",")+`)`, args...)
	if err != nil {
		return wrapQueryErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var subID, duration, next, inFlight int64
		var st PlatformState
		var outcome, result string
		if err := rows.Scan(&subID, &st.Platform, &outcome, &result, &st.Attempts, &st.Status, &duration,
			&st.ExchangeID, &st.Queued, &next, &inFlight, &st.Dropped); err != nil {
			return wrapQueryErr(err)
		}
		st.Outcome = platforms.Outcome(outcome)
		st.Duration = time.Duration(duration)
		st.InFlight = inFlight != 0
		if st.Queued {
			st.NextRetry = time.Unix(0, next)
		}
		if err := json.Unmarshal([]byte(result), &st.Result); err != nil {
			return fmt.Errorf("history: submission %d %s: result: %w", subID, st.Platform, err)
		}
		subs[index[subID]].States[st.Platform] = st
	}
	return wrapQueryErr(rows.Err())
}
