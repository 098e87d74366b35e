package central

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// MemberKey is what identifies a member across the chain, the same key as
// the local duplicate guard's (store.MemberKey): the mobile in E.164, else
// the e-mail; "" when there is neither.
func MemberKey(c platforms.Customer) string { return store.MemberKey(c) }

// Verdict is the answer to a claim.
type Verdict int

const (
	// Claimed: this terminal's submission may send to the platform.
	Claimed Verdict = iota
	// Taken: another submission (Holder) holds the member on the platform.
	Taken
	// Unreachable: the central store did not answer; the check was local only.
	Unreachable
)

// Holder says who holds a claim.
type Holder struct {
	Terminal     string
	SubmissionID int64 // on that terminal
	At           time.Time
}

// ClaimResult is a claim's outcome; Holder is set when Taken.
type ClaimResult struct {
	Verdict Verdict
	Holder  Holder
	Err     error // why, when Unreachable
}

// Claimer takes and releases claims for one terminal.
type Claimer struct {
	pool     *pgxpool.Pool
	terminal string
	// Timeout bounds a claim: past it the send goes ahead on the local check
	// alone and the console says so.
	Timeout time.Duration

	mu   sync.Mutex
	down time.Time // until then the server is not asked (it failed just now)
}

// NewClaimer claims on behalf of terminal.
func NewClaimer(pool *pgxpool.Pool, terminal string) *Claimer {
	return &Claimer{pool: pool, terminal: terminal, Timeout: 2 * time.Second}
}

// Claim takes the member key on platform for this terminal's submission
// before its first send. Two terminals claiming at once are serialised by
// the primary key: one gets Claimed, the other Taken. Claiming again for the
// same submission (a retry, a continued form) is Claimed.
func (c *Claimer) Claim(ctx context.Context, key, platform string, submissionID int64) ClaimResult {
	if key == "" {
		return ClaimResult{Verdict: Claimed}
	}
	c.mu.Lock()
	away := time.Now().Before(c.down)
	c.mu.Unlock()
	if away {
		return ClaimResult{Verdict: Unreachable, Err: errAway}
	}
	r := c.claim(ctx, key, platform, submissionID)
	if r.Verdict == Unreachable && ctx.Err() == nil {
		c.mu.Lock()
		c.down = time.Now().Add(retryAway)
		c.mu.Unlock()
	}
	return r
}

func (c *Claimer) claim(ctx context.Context, key, platform string, submissionID int64) ClaimResult {
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	var h Holder
	err := c.pool.QueryRow(ctx, `INSERT INTO claims (key, platform, terminal, submission_id) VALUES ($1, $2, $3, $4)
		ON CONFLICT (key, platform) DO UPDATE SET terminal = EXCLUDED.terminal, submission_id = EXCLUDED.submission_id,
			claimed_at = now(), released_at = NULL
		WHERE claims.released_at IS NOT NULL
		   OR (claims.terminal = EXCLUDED.terminal AND claims.submission_id = EXCLUDED.submission_id)
		RETURNING terminal`, key, platform, c.terminal, submissionID).Scan(&h.Terminal)
	if err == nil {
		return ClaimResult{Verdict: Claimed}
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return ClaimResult{Verdict: Unreachable, Err: fmt.Errorf("central: claim: %w", err)}
	}
	err = c.pool.QueryRow(ctx, `SELECT terminal, submission_id, claimed_at FROM claims WHERE key = $1 AND platform = $2`,
		key, platform).Scan(&h.Terminal, &h.SubmissionID, &h.At)
	if err != nil {
		return ClaimResult{Verdict: Unreachable, Err: fmt.Errorf("central: claim: %w", err)}
	}
	return ClaimResult{Verdict: Taken, Holder: h}
}

// Release gives a claim back after a definite rejection (nothing was
// created), so another submission may enrol the member. Rows are never
// deleted: the terminals' role has no DELETE.
func (c *Claimer) Release(ctx context.Context, key, platform string, submissionID int64) error {
	if key == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	_, err := c.pool.Exec(ctx, `UPDATE claims SET released_at = now()
		WHERE key = $1 AND platform = $2 AND terminal = $3 AND submission_id = $4 AND released_at IS NULL`,
		key, platform, c.terminal, submissionID)
	if err != nil {
		return fmt.Errorf("central: release: %w", err)
	}
	return nil
}

// Enrolment is one platform on which a member was enrolled somewhere in
// the chain, as the duplicate guard shows it ("已在 store-007 登记 11-03").
type Enrolment struct {
	Terminal     string
	Store        string
	SubmissionID int64
	Platform     string
	Outcome      platforms.Outcome
	CustomerIDs  string
	Created      time.Time
}

// Enrolled lists where a member key is enrolled (ok) or being enrolled (no
// answer yet) across the chain, newest first, other terminals' included.
func Enrolled(ctx context.Context, pool *pgxpool.Pool, c platforms.Customer) ([]Enrolment, error) {
	return EnrolledMember(ctx, pool, MemberKey(c))
}

// EnrolledMember is Enrolled by member key (store.MemberKey).
func EnrolledMember(ctx context.Context, pool *pgxpool.Pool, key string) ([]Enrolment, error) {
	if key == "" {
		return nil, nil
	}
	// The local guard's definition of enrolled (store's enrolledSQL), over
	// the state each terminal derived.
	rows, err := pool.Query(ctx, `SELECT s.terminal, s.store, s.local_id, st.platform, st.outcome, st.customer_ids, s.created
		FROM submissions s JOIN states st ON st.terminal = s.terminal AND st.submission_id = s.local_id
		WHERE s.member = $1 AND (st.state IN ('pending', 'in_flight', 'queued', 'attention')
			OR (st.state = 'settled' AND st.outcome IN ('ok', 'partial')))
		ORDER BY s.created DESC LIMIT 50`, key)
	if err != nil {
		return nil, fmt.Errorf("central: %w", err)
	}
	defer rows.Close()
	var out []Enrolment
	for rows.Next() {
		var e Enrolment
		var outcome string
		if err := rows.Scan(&e.Terminal, &e.Store, &e.SubmissionID, &e.Platform, &outcome, &e.CustomerIDs, &e.Created); err != nil {
			return nil, fmt.Errorf("central: %w", err)
		}
		e.Outcome = platforms.Outcome(outcome)
		out = append(out, e)
	}
	return out, rows.Err()
}
