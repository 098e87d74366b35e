package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// ErrDuplicate: the member is already enrolled (or being enrolled) on a
// platform the submission names. See DuplicateError for which.
var ErrDuplicate = errors.New("already enrolled")

// MemberKey names the person a customer record is about: the mobile in
// E.164 form (so 13411111111 and +8613411111111 are one member), else the
// e-mail in lower case; "" when the record has neither, and then no guard
// applies.
func MemberKey(c platforms.Customer) string {
	if m, ok := platforms.ParseMobile(c.Mobile); ok {
		return "m:" + m.E164()
	}
	if e := strings.ToLower(strings.TrimSpace(c.Email)); e != "" {
		return "e:" + e
	}
	return ""
}

// Enrolment is an earlier submission that holds a member on a platform:
// created there, being created, or waiting for a person to find out.
type Enrolment struct {
	SubmissionID int64             `json:"submission_id"`
	Created      time.Time         `json:"created"`
	Source       string            `json:"source,omitempty"`
	Platform     string            `json:"platform"`
	State        State             `json:"state"`
	Outcome      platforms.Outcome `json:"outcome,omitempty"`
	CustomerIDs  []string          `json:"customer_ids,omitempty"`
}

// DuplicateError is a submission refused because its member is enrolled
// already on some of its platforms.
type DuplicateError struct {
	Enrolments []Enrolment
}

func (e *DuplicateError) Error() string {
	parts := make([]string, 0, len(e.Enrolments))
	for _, en := range e.Enrolments {
		word := string(en.State)
		if en.State == StateSettled {
			word = string(en.Outcome)
		}
		p := fmt.Sprintf("%s in submission %d (%s", en.Platform, en.SubmissionID, word)
		if len(en.CustomerIDs) > 0 {
			p += " " + strings.Join(en.CustomerIDs, ",")
		}
		parts = append(parts, p+")")
	}
	return "already enrolled: " + strings.Join(parts, "; ")
}

func (e *DuplicateError) Unwrap() error { return ErrDuplicate }

// Enrolments lists the earlier submissions that hold the member on any of
// the named platforms (none named: every platform), newest first, at most
// one per platform. The console shows them while a mobile is typed.
func (s *Store) Enrolments(ctx context.Context, member string, names ...string) ([]Enrolment, error) {
	if member == "" {
		return nil, nil
	}
	ens, err := enrolments(ctx, sqlDB{s.read}, member, 0, names)
	return ens, wrapQueryErr(err)
}

// enrolmentsSQL is the guard's query. It repeats the condition of the
// partial index submissions_member (a member key that is not empty): SQLite
// uses a partial index only for a query that implies its WHERE, and a bare
// "member = ?" does not, so without it every Begin scanned all submissions
// and an import slowed down as its history grew.
func enrolmentsSQL(filter string) string {
	return `SELECT s.id, s.created, s.source, platform, state, outcome, result
		FROM submissions s CROSS JOIN states ON submission_id = s.id
		WHERE s.member = ? AND s.member <> '' AND s.id <> ? AND ` + enrolledSQL + filter + ` ORDER BY s.id DESC`
}

// enrolments is the guard's one query; except skips one submission (the one
// being extended).
func enrolments(ctx context.Context, q querier, member string, except int64, names []string) ([]Enrolment, error) {
	filter, fargs := platformFilter(names)
	rows, err := q.query(ctx, enrolmentsSQL(filter), append([]any{member, except}, fargs...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Enrolment
	seen := map[string]bool{}
	for rows.Next() {
		var en Enrolment
		var created int64
		var state, outcome, result string
		if err := rows.Scan(&en.SubmissionID, &created, &en.Source, &en.Platform, &state, &outcome, &result); err != nil {
			return nil, err
		}
		if seen[en.Platform] {
			continue
		}
		seen[en.Platform] = true
		en.Created, en.State, en.Outcome = time.Unix(0, created), State(state), platforms.Outcome(outcome)
		var r platforms.Result
		if json.Unmarshal([]byte(result), &r) == nil {
			en.CustomerIDs = resultIDs(r)
		}
		out = append(out, en)
	}
	return out, rows.Err()
}

// backfillMembers gives submissions written before migration 4 their
// member key, which only Go can compute (mobiles are parsed).
func backfillMembers(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, customer FROM submissions`)
	if err != nil {
		return err
	}
	type fill struct {
		id  int64
		key string
	}
	var fills []fill
	for rows.Next() {
		var id int64
		var raw string
		if err := rows.Scan(&id, &raw); err != nil {
			rows.Close()
			return err
		}
		var c platforms.Customer
		if json.Unmarshal([]byte(raw), &c) == nil {
			if key := MemberKey(c); key != "" {
				fills = append(fills, fill{id, key})
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, `UPDATE submissions SET member = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, f := range fills {
		if _, err := stmt.ExecContext(ctx, f.key, f.id); err != nil {
			return err
		}
	}
	return nil
}
