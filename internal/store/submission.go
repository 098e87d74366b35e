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
