package central

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/custdesk/custdesk/internal/store"
)

// History is the chain's history read the way the console reads a
// terminal's own: pages of a search, its count, and one submission with
// its exchanges, each named by (terminal, local ID). What it returns is
// what the terminals shipped: exchanges masked as they were stored locally.
type History struct {
	pool *pgxpool.Pool
}

// NewHistory reads the chain's history through pool.
func NewHistory(pool *pgxpool.Pool) *History { return &History{pool: pool} }

// List is Search: matching submissions of every terminal, newest first.
func (h *History) List(ctx context.Context, q Query) ([]Entry, error) {
	return Search(ctx, h.pool, q)
}

// Count counts the submissions q matches (limit and offset aside).
func (h *History) Count(ctx context.Context, q Query) (int, error) {
	b := whereSQL(q)
	return h.count(ctx, `SELECT count(*) FROM submissions s`+b.where(), b.args)
}

// CountUpTo counts the matches of q up to limit: a search that matches a
// million stops counting where the screen would say "1,000+".
func (h *History) CountUpTo(ctx context.Context, q Query, limit int) (int, error) {
	b := whereSQL(q)
	sql := `SELECT 1 FROM submissions s` + b.where()
	return h.count(ctx, `SELECT count(*) FROM (`+sql+` LIMIT `+b.arg(limit)+`) AS m`, b.args)
}

func (h *History) count(ctx context.Context, sql string, args []any) (int, error) {
	var n int
	if err := h.pool.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("central: count: %w", err)
	}
	return n, nil
}

// Get returns one terminal's submission by its local ID, with its platform
// states; store.ErrNotFound when the central store has not heard of it.
func (h *History) Get(ctx context.Context, terminal string, id int64) (Entry, error) {
	entries, err := querySubmissions(ctx, h.pool, `SELECT `+entryColumns+` FROM submissions s
		WHERE s.terminal = $1 AND s.local_id = $2`, []any{terminal, id})
	if err != nil {
		return Entry{}, err
	}
	if len(entries) == 0 {
		return Entry{}, fmt.Errorf("central: %s #%d: %w", terminal, id, store.ErrNotFound)
	}
	return entries[0], addStates(ctx, h.pool, entries)
}

// Exchanges returns every attempt of a terminal's submission, oldest first,
// as the terminal stored them.
func (h *History) Exchanges(ctx context.Context, terminal string, subID int64) ([]store.StoredExchange, error) {
	rows, err := h.pool.Query(ctx, `SELECT local_id, submission_id, platform, attempt, started, in_flight, meta,
			request_body, response
		FROM exchanges WHERE terminal = $1 AND submission_id = $2 ORDER BY local_id`, terminal, subID)
	if err != nil {
		return nil, fmt.Errorf("central: exchanges: %w", err)
	}
	defer rows.Close()
	var out []store.StoredExchange
	for rows.Next() {
		var e store.StoredExchange
		var platform string
		var started time.Time
		var meta, reqBody, resp []byte
		if err := rows.Scan(&e.ID, &e.SubmissionID, &platform, &e.Attempt, &started, &e.InFlight, &meta,
			&reqBody, &resp); err != nil {
			return nil, fmt.Errorf("central: exchanges: %w", err)
		}
		if err := json.Unmarshal(meta, &e.Exchange); err != nil {
			return nil, fmt.Errorf("central: exchange %s #%d: %w", terminal, e.ID, err)
		}
		// As the local store reads its own rows: the columns are the truth
		// for what the metadata may lack.
		e.Platform = platform
		if e.Started.IsZero() {
			e.Started = started
		}
		e.Request.Body, e.Response = reqBody, resp
		out = append(out, e)
	}
	return out, rows.Err()
}
