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

// Get returns one submission with its platform states.
func (s *Store) Get(ctx context.Context, id int64) (Submission, error) {
	subs, err := s.querySubmissions(ctx, `SELECT `+submissionColumns+` FROM submissions WHERE id = ?`, id)
	if err != nil {
		return Submission{}, err
	}
	if len(subs) == 0 {
		return Submission{}, fmt.Errorf("history: submission %d: %w", id, ErrNotFound)
	}
	return subs[0], nil
}

// FindImport returns the submission made for a row of an import file, so a
// re-run can skip rows already sent.
func (s *Store) FindImport(ctx context.Context, file string, row int) (Submission, bool, error) {
	subs, err := s.querySubmissions(ctx, `SELECT `+submissionColumns+` FROM submissions
		WHERE import_file = ? AND import_row = ? AND import_file <> '' ORDER BY id DESC LIMIT 1`, file, row)
	if err != nil || len(subs) == 0 {
		return Submission{}, false, err
	}
	return subs[0], true, nil
}

// Exchanges returns every attempt of a submission, oldest first.
func (s *Store) Exchanges(ctx context.Context, subID int64) ([]StoredExchange, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+exchangeColumns+` FROM exchanges WHERE submission_id = ? ORDER BY id`, subID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StoredExchange
	for rows.Next() {
		e, err := scanExchange(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Exchange returns one attempt by its ID.
func (s *Store) Exchange(ctx context.Context, id int64) (StoredExchange, error) {
	row := s.read.QueryRowContext(ctx, `SELECT `+exchangeColumns+` FROM exchanges WHERE id = ?`, id)
	e, err := scanExchange(row)
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("history: exchange %d: %w", id, ErrNotFound)
	}
	return e, err
}

const exchangeColumns = `id, submission_id, platform, attempt, started, in_flight, meta, request_body, response`

type scanner interface{ Scan(...any) error }

func scanExchange(r scanner) (StoredExchange, error) {
	var e StoredExchange
	var platform, meta string
	var started int64
	var reqBody, resp []byte
	if err := r.Scan(&e.ID, &e.SubmissionID, &platform, &e.Attempt, &started, &e.InFlight, &meta, &reqBody, &resp); err != nil {
		return e, err
	}
	if err := json.Unmarshal([]byte(meta), &e.Exchange); err != nil {
		return e, fmt.Errorf("history: exchange %d: %w", e.ID, err)
	}
	e.Platform = platform
	if e.Started.IsZero() {
		e.Started = time.Unix(0, started)
	}
	e.Request.Body, e.Response = reqBody, resp
	return e, nil
}

// encodeExchange splits an exchange into JSON metadata and raw bodies, which
// are kept as blobs (exact bytes, no base64 growth).
func encodeExchange(ex platforms.Exchange) (meta string, reqBody, resp []byte, err error) {
	reqBody, resp = ex.Request.Body, ex.Response
	ex.Request.Body, ex.Response = nil, nil
	b, err := json.Marshal(ex)
	return string(b), reqBody, resp, err
}
