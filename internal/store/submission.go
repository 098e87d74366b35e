package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// Sources of a submission.
const (
	SourceConsole = "console"
	SourceSubmit  = "submit"
	SourceImport  = "import"
)

// Submission is one customer sent (or to be sent) to one or more platforms.
type Submission struct {
	ID int64 `json:"id"`
	// RequestID is generated once and reused on every retry (ALSC's
	// idempotency key).
	RequestID string             `json:"request_id"`
	Customer  platforms.Customer `json:"customer"`
	Platforms []string           `json:"platforms"`
	Operator  string             `json:"operator,omitempty"`
	Source    string             `json:"source,omitempty"` // SourceConsole, SourceSubmit, SourceImport
	// ImportFile and ImportRow (file digest, row number) let an import resume.
	ImportFile string    `json:"import_file,omitempty"`
	ImportRow  int       `json:"import_row,omitempty"`
	Created    time.Time `json:"created"`
	// States is the latest state per platform.
	States map[string]PlatformState `json:"states"`
}

// PlatformState is where one platform of a submission stands.
type PlatformState struct {
	Platform string `json:"platform"`
	// Outcome is "" while nothing has come back yet (pending, queued or in flight).
	Outcome    platforms.Outcome `json:"outcome"`
	Result     platforms.Result  `json:"result"`
	Attempts   int               `json:"attempts"`
	Status     int               `json:"status,omitempty"`
	Duration   time.Duration     `json:"duration,omitempty"`
	ExchangeID int64             `json:"exchange_id,omitempty"` // latest finished exchange
	NextRetry  time.Time         `json:"next_retry,omitzero"`
	Queued     bool              `json:"queued,omitempty"`
	// InFlight: an attempt has started and its answer is not recorded yet.
	InFlight bool `json:"in_flight,omitempty"`
	// Dropped: a person chose not to send it again.
	Dropped bool `json:"dropped,omitempty"`
}

// Settled reports whether nothing more will happen to this platform without a
// person: it has an outcome and is neither queued nor in flight.
func (p PlatformState) Settled() bool { return p.Outcome != "" && !p.Queued && !p.InFlight }

// AwaitsPerson reports an outcome that only a person can resolve: sent with no
// verdict, or failed, and not queued for an automatic retry nor dropped.
func (p PlatformState) AwaitsPerson() bool {
	return (p.Outcome == platforms.Unknown || p.Outcome == platforms.Failed) && !p.Queued && !p.InFlight && !p.Dropped
}

// Outcome summarises the submission: "" while any platform is still open,
// ok when all are ok, else the worst of the platforms' outcomes.
func (s Submission) Outcome() platforms.Outcome {
	worst := platforms.OK
	for _, name := range s.Platforms {
		st := s.States[name]
		if st.Outcome == "" || st.InFlight || st.Queued {
			return ""
		}
		if outcomeRank[st.Outcome] > outcomeRank[worst] {
			worst = st.Outcome
		}
	}
	return worst
}

// outcomeRank orders outcomes from best to worst for Submission.Outcome.
var outcomeRank = map[platforms.Outcome]int{platforms.OK: 0, platforms.Partial: 1, platforms.Rejected: 2, platforms.Failed: 3, platforms.Unknown: 4}

// StoredExchange is one attempt as kept in history.
type StoredExchange struct {
	ID           int64 `json:"id"`
	SubmissionID int64 `json:"submission_id"`
	Attempt      int   `json:"attempt"`
	// InFlight: the request may be on its way; no answer is recorded yet.
	InFlight bool `json:"in_flight,omitempty"`
	platforms.Exchange
}

// Claim is one attempt this process has started and must record.
type Claim struct {
	SubmissionID int64
	Platform     string
	Attempt      int
}

// Begin writes a submission ahead of any request: when it returns nil, the
// customer is durably in history. It fills in ID and Created, and RequestID
// when empty; every platform starts pending.
func (s *Store) Begin(ctx context.Context, sub *Submission) error {
	return s.BeginMany(ctx, []*Submission{sub})
}

// BeginMany writes several submissions in one transaction (one disk sync),
// for imports.
func (s *Store) BeginMany(ctx context.Context, subs []*Submission) error {
	now := time.Now()
	for _, sub := range subs {
		if err := checkSubmission(sub); err != nil {
			return err
		}
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, sub := range subs {
			if sub.RequestID == "" {
				sub.RequestID = NewRequestID()
			}
			created := sub.Created
			if created.IsZero() {
				created = now
			}
			cust, err := json.Marshal(sub.Customer)
			if err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO submissions
				(request_id, customer, name, mobile, platforms, operator, source, import_file, import_row, created)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				sub.RequestID, cust, sub.Customer.Name, sub.Customer.Mobile, strings.Join(sub.Platforms, ","),
				sub.Operator, sub.Source, sub.ImportFile, sub.ImportRow, created.UnixNano())
			if err != nil {
				if strings.Contains(err.Error(), "UNIQUE") {
					return fmt.Errorf("history: request_id %q is already used by another submission", sub.RequestID)
				}
				return err
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			for _, p := range sub.Platforms {
				// The row is reserved for this process until its first attempt:
				// if the process dies first, Recover queues it (nothing was sent).
				if _, err := tx.ExecContext(ctx, `INSERT INTO states (submission_id, platform, owner) VALUES (?, ?, ?)`,
					id, p, s.owner.id); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO search (rowid, text) VALUES (?, ?)`, id, searchText(sub)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO names (id, text) VALUES (?, ?)`, id, shortText(sub.Customer)); err != nil {
				return err
			}
			sub.ID, sub.Created = id, time.Unix(0, created.UnixNano())
			sub.States = make(map[string]PlatformState, len(sub.Platforms))
			for _, p := range sub.Platforms {
				sub.States[p] = PlatformState{Platform: p}
			}
		}
		return nil
	})
}

func checkSubmission(sub *Submission) error {
	if len(sub.Platforms) == 0 {
		return errors.New("history: a submission needs at least one platform")
	}
	for i, p := range sub.Platforms {
		if p == "" || strings.Contains(p, ",") {
			return fmt.Errorf("history: bad platform name %q", p)
		}
		if slices.Contains(sub.Platforms[:i], p) {
			return fmt.Errorf("history: platform %q listed twice", p)
		}
	}
	return nil
}

// searchText is what the trigram index matches: everything a person may
// type to find a customer.
func searchText(sub *Submission) string {
	c := sub.Customer
	parts := []string{c.Name, c.FirstName, c.LastName, c.Mobile, c.Phone, c.Email, c.Nickname, sub.RequestID}
	if m, ok := platforms.ParseMobile(c.Mobile); ok {
		parts = append(parts, m.Digits(), m.E164())
	}
	return strings.Join(nonEmpty(parts), " ")
}

// shortText is what words of one or two characters (a surname, a given
// name) are matched against.
func shortText(c platforms.Customer) string {
	parts := []string{c.Name, c.FirstName, c.LastName, c.Nickname, c.Mobile}
	if m, ok := platforms.ParseMobile(c.Mobile); ok {
		parts = append(parts, m.Digits())
	}
	return strings.Join(nonEmpty(parts), " ")
}

func nonEmpty(ss []string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// StartAttempt claims one platform of a submission for sending and commits
// the attempt before the request leaves, so a crash mid-request is seen as
// such. It returns ErrInFlight if a live process is already sending it.
func (s *Store) StartAttempt(ctx context.Context, subID int64, platform string) (int, error) {
	var attempt int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var attempts int
		var inFlight int64
		var owner string
		err := tx.QueryRowContext(ctx, `SELECT attempts, in_flight, owner FROM states WHERE submission_id = ? AND platform = ?`,
			subID, platform).Scan(&attempts, &inFlight, &owner)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("history: submission %d has no platform %q: %w", subID, platform, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if inFlight != 0 {
			if s.owner.alive(owner) {
				return ErrInFlight
			}
			if err := s.interruptTx(ctx, tx, subID, platform, inFlight); err != nil {
				return err
			}
		}
		attempt = attempts + 1
		return s.claimTx(ctx, tx, subID, platform, attempt)
	})
	return attempt, err
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
	ids := slices.Clone(r.CustomerIDs)
	for _, it := range r.Items {
		ids = append(ids, it.CustomerID)
	}
	ids = nonEmpty(ids)
	if len(ids) == 0 {
		return nil
	}
	return addSearchText(ctx, tx, subID, ids)
}

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
		rows, err := tx.QueryContext(ctx, `SELECT submission_id, platform, attempts FROM states
			WHERE queued = 1 AND next_retry <= ? AND in_flight = 0`+filter+` ORDER BY next_retry LIMIT ?`,
			append(append([]any{now.UnixNano()}, fargs...), limit)...)
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
	err := s.read.QueryRowContext(ctx, `SELECT min(next_retry) FROM states WHERE queued = 1 AND in_flight = 0`+filter, args...).Scan(&next)
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
		var inFlight int64
		var owner string
		err := tx.QueryRowContext(ctx, `SELECT in_flight, owner FROM states WHERE submission_id = ? AND platform = ?`,
			subID, platform).Scan(&inFlight, &owner)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("history: submission %d has no platform %q: %w", subID, platform, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if inFlight != 0 {
			if s.owner.alive(owner) {
				return ErrInFlight
			}
			if err := s.interruptTx(ctx, tx, subID, platform, inFlight); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE states SET `+set+` WHERE submission_id = ? AND platform = ?`,
			append(args, subID, platform)...)
		return err
	})
}

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
				err = s.interruptTx(ctx, tx, o.subID, o.platform, o.inFlight)
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
		return nil
	})
	return n, err
}

// interruptTx turns the attempt in flight into an unknown exchange.
func (s *Store) interruptTx(ctx context.Context, tx *sql.Tx, subID int64, platform string, exID int64) error {
	var requestID string
	var started int64
	err := tx.QueryRowContext(ctx, `SELECT s.request_id, e.started FROM exchanges e JOIN submissions s ON s.id = e.submission_id
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
	// Unresolved: sent with no verdict, not queued, not dropped: a person
	// must choose resend or drop.
	Unresolved int
}

// Stats counts the queue.
func (s *Store) Stats(ctx context.Context) (QueueStats, error) {
	var q QueueStats
	err := s.read.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM states WHERE queued = 1),
		(SELECT count(*) FROM states WHERE owner <> '' AND in_flight <> 0),
		(SELECT count(*) FROM states WHERE outcome = 'unknown' AND queued = 0 AND dropped = 0 AND in_flight = 0)`).
		Scan(&q.Queued, &q.InFlight, &q.Unresolved)
	return q, err
}

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

// mask removes configured secrets from everything that is stored.
func mask(ex platforms.Exchange, secrets []string) platforms.Exchange {
	if len(secrets) == 0 {
		return ex
	}
	m := func(s string) string { return platforms.Mask(s, secrets...) }
	mb := func(b []byte) []byte {
		if b == nil {
			return nil
		}
		return []byte(m(string(b)))
	}
	ex.Request.URL = m(ex.Request.URL)
	ex.Request.Signed = m(ex.Request.Signed)
	ex.Request.Body = mb(ex.Request.Body)
	ex.Request.Headers = maskMap(ex.Request.Headers, m)
	ex.ResponseHeaders = maskMap(ex.ResponseHeaders, m)
	ex.Response = mb(ex.Response)
	ex.Error = m(ex.Error)
	ex.Result.Message = m(ex.Result.Message)
	return ex
}

func maskMap(in map[string]string, m func(string) string) map[string]string {
	if in == nil {
		return nil
	}
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[k] = m(v)
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// inTx runs fn in one write transaction (BEGIN IMMEDIATE).
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return wrapQueryErr(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		if isCorruption(err) {
			return wrapQueryErr(err)
		}
		return err
	}
	return wrapQueryErr(tx.Commit())
}
