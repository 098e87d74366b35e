package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// Draft is the form being typed, kept so it comes back on the next start.
// A form that was sent stays bound to its submission until it is cleared:
// SubmissionID says which, so a restart restores it as that submission
// (sending it again continues it) rather than as new typing.
type Draft struct {
	Customer     platforms.Customer
	SubmissionID int64
}

// SaveDraft keeps the form. There is one draft: the form being typed.
func (s *Store) SaveDraft(ctx context.Context, d Draft) error {
	b, err := json.Marshal(d.Customer)
	if err != nil {
		return err
	}
	_, err = s.write.ExecContext(ctx, `INSERT INTO drafts (id, customer, saved, submission_id) VALUES (1, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET customer = excluded.customer, saved = excluded.saved,
		submission_id = excluded.submission_id`, string(b), time.Now().UnixNano(), d.SubmissionID)
	return wrapQueryErr(err)
}

// LoadDraft returns the saved draft, if any.
func (s *Store) LoadDraft(ctx context.Context) (Draft, bool, error) {
	var d Draft
	var b string
	err := s.read.QueryRowContext(ctx, `SELECT customer, submission_id FROM drafts WHERE id = 1`).Scan(&b, &d.SubmissionID)
	if errors.Is(err, sql.ErrNoRows) {
		return d, false, nil
	}
	if err != nil {
		return d, false, wrapQueryErr(err)
	}
	if err := json.Unmarshal([]byte(b), &d.Customer); err != nil {
		return d, false, wrapQueryErr(err)
	}
	return d, true, nil
}

// ClearDraft forgets the draft (the form was sent or emptied).
func (s *Store) ClearDraft(ctx context.Context) error {
	_, err := s.write.ExecContext(ctx, `DELETE FROM drafts WHERE id = 1`)
	return wrapQueryErr(err)
}
