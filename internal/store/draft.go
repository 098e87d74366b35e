package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// SaveDraft keeps a half-typed form so it comes back on the next start.
// There is one draft: the form being typed.
func (s *Store) SaveDraft(ctx context.Context, c platforms.Customer) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = s.write.ExecContext(ctx, `INSERT INTO drafts (id, customer, saved) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET customer = excluded.customer, saved = excluded.saved`, string(b), time.Now().UnixNano())
	return wrapQueryErr(err)
}

// LoadDraft returns the saved draft, if any.
func (s *Store) LoadDraft(ctx context.Context) (platforms.Customer, bool, error) {
	var c platforms.Customer
	var b string
	err := s.read.QueryRowContext(ctx, `SELECT customer FROM drafts WHERE id = 1`).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, wrapQueryErr(err)
	}
	if err := json.Unmarshal([]byte(b), &c); err != nil {
		return c, false, wrapQueryErr(err)
	}
	return c, true, nil
}

// ClearDraft forgets the draft (the form was sent or emptied).
func (s *Store) ClearDraft(ctx context.Context) error {
	_, err := s.write.ExecContext(ctx, `DELETE FROM drafts WHERE id = 1`)
	return wrapQueryErr(err)
}
