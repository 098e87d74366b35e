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
	// AllowDuplicate: a person confirmed enrolling this member again on
	// platforms where it is enrolled already (here or, through the chain's
	// guard, at another terminal). Kept, for the retries of its sends.
	AllowDuplicate bool `json:"-"`
	// Duplicates, after BeginMany, are the enrolments that kept this
	// submission from being written.
	Duplicates []Enrolment `json:"-"`
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
	// State is the one value the facts above make (see State).
	State State `json:"state"`
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
// when empty; every platform starts pending. A member already enrolled on
// one of its platforms (see Enrolments) is refused with a *DuplicateError
// unless AllowDuplicate is set: the check and the write are one transaction,
// so two consoles (or a console and an import) on one data directory cannot
// both enrol a mobile on a platform.
func (s *Store) Begin(ctx context.Context, sub *Submission) error {
	if err := s.BeginMany(ctx, []*Submission{sub}); err != nil {
		return err
	}
	if len(sub.Duplicates) > 0 {
		return &DuplicateError{Enrolments: sub.Duplicates}
	}
	return nil
}

// BeginMany writes several submissions in one transaction (one disk sync),
// for imports. A submission refused by the duplicate guard is not written:
// its ID stays 0 and Duplicates says why; the others are written.
func (s *Store) BeginMany(ctx context.Context, subs []*Submission) error {
	if err := checkSubmissions(subs); err != nil {
		return err
	}
	return s.inPreparedTx(ctx, func(tx *preparedTx) error { return s.beginTx(ctx, tx, subs, time.Now(), false) })
}

func checkSubmissions(subs []*Submission) error {
	for _, sub := range subs {
		if err := checkSubmission(sub); err != nil {
			return err
		}
	}
	return nil
}

// beginTx is BeginMany inside a transaction the caller owns.
func (s *Store) beginTx(ctx context.Context, tx writeTx, subs []*Submission, now time.Time, searchLater bool) error {
	for _, sub := range subs {
		sub.ID, sub.Duplicates = 0, nil
		member := MemberKey(sub.Customer)
		if member != "" && !sub.AllowDuplicate {
			dups, err := enrolments(ctx, tx, member, 0, sub.Platforms)
			if err != nil {
				return err
			}
			if sub.Duplicates = dups; len(dups) > 0 {
				continue
			}
		}
		if err := s.insertSubmission(ctx, tx, sub, member, now, searchLater); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) insertSubmission(ctx context.Context, tx writeTx, sub *Submission, member string, now time.Time, searchLater bool) error {
	if sub.RequestID == "" {
		sub.RequestID = platforms.NewRequestID()
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
		(request_id, customer, name, mobile, platforms, operator, source, import_file, import_row, created, member, allow_duplicate)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sub.RequestID, cust, sub.Customer.Name, sub.Customer.Mobile, strings.Join(sub.Platforms, ","),
		sub.Operator, sub.Source, sub.ImportFile, sub.ImportRow, created.UnixNano(), member, sub.AllowDuplicate)
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("request_id %q is already used by another submission: %w", sub.RequestID, ErrRequestIDUsed)
		}
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	if err := s.addStates(ctx, tx, id, sub.Platforms); err != nil {
		return err
	}
	if searchLater {
		_, err = tx.ExecContext(ctx, `INSERT INTO search_later (id, text, owner) VALUES (?, ?, ?)`, id, searchText(sub), s.owner.id)
	} else {
		_, err = tx.ExecContext(ctx, `INSERT INTO search (rowid, text) VALUES (?, ?)`, id, searchText(sub))
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO names (id, text) VALUES (?, ?)`, id, shortText(sub.Customer)); err != nil {
		return err
	}
	sub.ID, sub.Created = id, time.Unix(0, created.UnixNano())
	sub.States = make(map[string]PlatformState, len(sub.Platforms))
	for _, p := range sub.Platforms {
		sub.States[p] = PlatformState{Platform: p, State: StatePending}
	}
	return nil
}

// addStates starts platforms of a submission pending. Each row is reserved
// for this process until its first attempt: if the process dies first,
// Recover queues it (nothing was sent).
func (s *Store) addStates(ctx context.Context, tx execer, subID int64, names []string) error {
	for _, p := range names {
		if _, err := tx.ExecContext(ctx, `INSERT INTO states (submission_id, platform, owner) VALUES (?, ?, ?)`,
			subID, p, s.owner.id); err != nil {
			return err
		}
	}
	return nil
}

// AddPlatforms extends a submission to more platforms (a cashier ticked one
// more before sending the same member again), under the same duplicate
// guard as Begin: a *DuplicateError names the platforms on which another
// submission holds the member, and nothing is added then. Platforms the
// submission already has are left as they are.
func (s *Store) AddPlatforms(ctx context.Context, subID int64, names []string, allowDuplicate bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var raw, member string
		err := tx.QueryRowContext(ctx, `SELECT platforms, member FROM submissions WHERE id = ?`, subID).Scan(&raw, &member)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("submission %d: %w", subID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		have := strings.Split(raw, ",")
		var add []string
		for _, n := range names {
			if !slices.Contains(have, n) && !slices.Contains(add, n) {
				add = append(add, n)
			}
		}
		if len(add) == 0 {
			return nil
		}
		if check := (&Submission{Platforms: add}); checkSubmission(check) != nil {
			return checkSubmission(check)
		}
		if member != "" && !allowDuplicate {
			dups, err := enrolments(ctx, sqlTx{tx}, member, subID, add)
			if err != nil {
				return err
			}
			if len(dups) > 0 {
				return &DuplicateError{Enrolments: dups}
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE submissions SET platforms = ?, allow_duplicate = allow_duplicate OR ? WHERE id = ?`,
			strings.Join(append(have, add...), ","), allowDuplicate, subID); err != nil {
			return err
		}
		return s.addStates(ctx, sqlTx{tx}, subID, add)
	})
}

// ConfirmDuplicate keeps a person's confirmation that submission subID may
// create its member again where it is enrolled already (see
// Submission.AllowDuplicate).
func (s *Store) ConfirmDuplicate(ctx context.Context, subID int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE submissions SET allow_duplicate = 1 WHERE id = ?`, subID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return fmt.Errorf("submission %d: %w", subID, ErrNotFound)
		}
		return err
	})
}

func checkSubmission(sub *Submission) error {
	if len(sub.Platforms) == 0 {
		return errors.New("a submission needs at least one platform")
	}
	for i, p := range sub.Platforms {
		if p == "" || strings.Contains(p, ",") {
			return fmt.Errorf("bad platform name %q", p)
		}
		if slices.Contains(sub.Platforms[:i], p) {
			return fmt.Errorf("platform %q listed twice", p)
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
