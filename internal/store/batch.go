package store

// Bulk writes for `custdesk import`. Each commit costs a disk sync (about a
// millisecond, synchronous=FULL); an import of thousands of rows makes three
// writes per row and platform, so it groups many into one transaction. The
// semantics per item are those of StartAttempt and Record.

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

// ErrChanged: the platform state is no longer what the caller saw when it
// decided to send (another process sent or settled it meanwhile).
var ErrChanged = errors.New("changed since it was read")

// AttemptKey names one platform of one submission to claim for sending.
type AttemptKey struct {
	SubmissionID int64
	Platform     string
	// Expect is the outcome the caller read when it decided to send ("" for
	// never answered). The claim is refused with ErrChanged when the state has
	// moved on, so a decision made on a stale read never resends.
	Expect platforms.Outcome
	// Attempts, when Known, is the attempts the caller read with Expect (0
	// for a row it wrote ahead, Started.Attempt after its own claim). It
	// only spares the claim a read of the state: a state with other
	// attempts is claimed, or refused, exactly as without it.
	Attempts int
	Known    bool
}

// Started is the result of claiming one AttemptKey.
type Started struct {
	Attempt int
	// Exchange is the claimed attempt's exchange; a Recording of its answer
	// names it as Claimed.
	Exchange int64
	// Err is ErrInFlight (a live process is sending it), ErrChanged, or
	// ErrNotFound; the item is not claimed and nothing may be sent for it.
	Err error
}

// StartAttempts is StartAttempt for many platforms of many submissions in one
// transaction: every claimed attempt is committed before its request leaves.
// An item that cannot be claimed has its Err set; err is for the transaction.
func (s *Store) StartAttempts(ctx context.Context, keys []AttemptKey) ([]Started, error) {
	_, started, err := s.Apply(ctx, Batch{Claims: keys})
	return started, err
}

// Recording is one exchange to record for one submission.
type Recording struct {
	SubmissionID int64
	Exchange     platforms.Exchange
	// SearchLater leaves the result's customer IDs out of the search index:
	// the caller adds them with a SearchAdd once the submission's last
	// platform has answered. A full-text update costs more than the rest of a
	// record, and an import would otherwise make one per platform per row.
	SearchLater bool
	// Claimed is the exchange of this process's claim (Started.Exchange)
	// that this is the answer to, or 0. The state is then not read first
	// when it still has that attempt in flight (recordClaimed).
	Claimed int64

	enc *encodedExchange // set by Encode
}

// SearchAdd adds customer IDs to a submission's search text (those already
// there are skipped, so adding again is cheap and harmless).
type SearchAdd struct {
	SubmissionID int64
	IDs          []string
}

// RecordMany is Record for many exchanges in one transaction. It returns the
// exchange IDs in order. Either every recording is committed or none is.
func (s *Store) RecordMany(ctx context.Context, recs []Recording) ([]int64, error) {
	ids, _, err := s.Apply(ctx, Batch{Records: recs})
	return ids, err
}

// Batch is the history writes of one group commit.
type Batch struct {
	// Begin are submissions to write ahead, as BeginMany does.
	Begin []*Submission
	// SearchLater leaves Begin's submissions out of the search index until
	// a SearchAdd names them (with IDs or none): their text is written once,
	// when the last platform has answered, instead of written and then
	// rewritten with the customer IDs. The caller must name every one; what
	// a crashed process left waiting is indexed by Recover.
	SearchLater bool
	Records     []Recording
	Search      []SearchAdd
	Claims      []AttemptKey
}

// encodedExchange is a Recording's exchange as the history keeps it.
type encodedExchange struct {
	ex                platforms.Exchange
	meta              string
	reqBody, respBody []byte
	result            []byte
}

// Encode masks and encodes a recording's exchange ahead of Apply, so that
// goroutines sending requests do that work rather than the one that writes
// for all of them. Apply encodes a recording that was not.
func (s *Store) Encode(r Recording) (Recording, error) {
	e, err := s.encodeExchange(r.Exchange, s.maskList())
	if err != nil {
		return r, err
	}
	r.enc = &e
	return r, nil
}

func (s *Store) encodeExchange(ex platforms.Exchange, secrets []string) (encodedExchange, error) {
	if ex.Platform == "" {
		return encodedExchange{}, errors.New("history: exchange without a platform")
	}
	ex = mask(ex, secrets)
	if ex.Started.IsZero() {
		ex.Started = time.Now()
	}
	meta, reqBody, respBody, err := encodeExchange(ex)
	if err != nil {
		return encodedExchange{}, err
	}
	result, err := json.Marshal(ex.Result)
	if err != nil {
		return encodedExchange{}, err
	}
	return encodedExchange{ex, meta, reqBody, respBody, result}, nil
}

// Apply writes a batch in one transaction, in order: write-aheads, records,
// claims, search additions. A sender that group-commits pays one disk sync
// for the rows it writes ahead, the answers it received and the attempts it
// is about to make. It returns the exchange IDs of the records and the
// outcome of each claim.
func (s *Store) Apply(ctx context.Context, b Batch) ([]int64, []Started, error) {
	recs, keys := b.Records, b.Claims
	if err := checkSubmissions(b.Begin); err != nil {
		return nil, nil, err
	}
	enc := make([]*encodedExchange, len(recs))
	var secrets []string
	for i, r := range recs {
		if enc[i] = r.enc; enc[i] != nil {
			continue
		}
		if secrets == nil {
			secrets = s.maskList()
		}
		e, err := s.encodeExchange(r.Exchange, secrets)
		if err != nil {
			return nil, nil, err
		}
		enc[i] = &e
	}
	ids := make([]int64, len(recs))
	started := make([]Started, len(keys))
	err := s.inPreparedTx(ctx, func(pt *preparedTx) error {
		if err := s.beginTx(ctx, pt, b.Begin, time.Now(), b.SearchLater); err != nil {
			return err
		}
		search := searchAdds{ids: map[int64][]string{}}
		for i, e := range enc {
			id, err := s.applyRecord(ctx, pt, recs[i], e)
			if err != nil {
				return err
			}
			ids[i] = id
			if found := resultIDs(e.ex.Result); len(found) > 0 && !recs[i].SearchLater {
				search.add(recs[i].SubmissionID, found)
			}
		}
		for _, add := range b.Search {
			search.add(add.SubmissionID, add.IDs)
		}
		for i, k := range keys {
			st, err := s.startTx(ctx, pt, k)
			if err != nil {
				return err
			}
			started[i] = st
		}
		// Last: the full-text index writes out what it holds in memory at
		// every savepoint, which any statement that may write several rows
		// opens; after the index's inserts there are none.
		return search.write(ctx, pt)
	})
	if err != nil {
		return nil, nil, err
	}
	return ids, started, nil
}

// applyRecord is one record of Apply: recordClaimed when it applies, else
// recordIn.
func (s *Store) applyRecord(ctx context.Context, tx execer, r Recording, e *encodedExchange) (int64, error) {
	ok, err := s.recordClaimed(ctx, tx, r.SubmissionID, r.Claimed, e)
	if ok || err != nil {
		return r.Claimed, err
	}
	return s.recordIn(ctx, tx, r.SubmissionID, e.ex, e.meta, e.reqBody, e.respBody, e.result, After{})
}

// searchAdds gathers a transaction's customer IDs by submission: one index
// update per submission, however many of its platforms answered.
type searchAdds struct {
	order []int64
	ids   map[int64][]string
}

// add names a submission, with IDs or none (a SearchAdd without IDs still
// indexes the text waiting in search_later).
func (a *searchAdds) add(subID int64, ids []string) {
	if _, seen := a.ids[subID]; !seen {
		a.order = append(a.order, subID)
	}
	a.ids[subID] = append(a.ids[subID], ids...)
}

// write updates the index in ascending order of submission: the full-text
// index writes out what it holds in memory whenever a row comes before the
// last one it was given, and merging those small segments was a sixth of
// the writer's time.
func (a *searchAdds) write(ctx context.Context, tx execer) error {
	slices.Sort(a.order)
	for _, subID := range a.order {
		if err := addSearchText(ctx, tx, subID, a.ids[subID]); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) startTx(ctx context.Context, tx *preparedTx, k AttemptKey) (Started, error) {
	if st, ok, err := s.claimExpected(ctx, tx, k); ok || err != nil {
		return st, err
	}
	var attempts int
	var inFlight int64
	var owner, outcome string
	var dropped bool
	err := tx.queryRow(ctx, `SELECT attempts, in_flight, owner, outcome, dropped FROM states WHERE submission_id = ? AND platform = ?`,
		k.SubmissionID, k.Platform).Scan(&attempts, &inFlight, &owner, &outcome, &dropped)
	if errors.Is(err, sql.ErrNoRows) {
		return Started{Err: fmt.Errorf("history: submission %d has no platform %q: %w", k.SubmissionID, k.Platform, ErrNotFound)}, nil
	}
	if err != nil {
		return Started{}, err
	}
	if inFlight != 0 {
		if s.owner.alive(owner) {
			return Started{Err: ErrInFlight}, nil
		}
		// A dead sender's attempt becomes unknown; the caller decides again
		// on that, it never resends blindly.
		if err := s.interruptTx(ctx, tx, k.SubmissionID, k.Platform, inFlight); err != nil {
			return Started{}, err
		}
		return Started{Err: ErrChanged}, nil
	}
	if platforms.Outcome(outcome) != k.Expect || dropped {
		return Started{Err: ErrChanged}, nil
	}
	// claimTx's two statements, on prepared statements.
	res, err := tx.ExecContext(ctx, `INSERT INTO exchanges (submission_id, platform, attempt, started, in_flight) VALUES (?, ?, ?, ?, 1)`,
		k.SubmissionID, k.Platform, attempts+1, time.Now().UnixNano())
	if err != nil {
		return Started{}, err
	}
	exID, err := res.LastInsertId()
	if err != nil {
		return Started{}, err
	}
	if _, err = tx.ExecContext(ctx, `UPDATE states SET attempts = ?, in_flight = ?, owner = ?, queued = 0, next_retry = 0, dropped = 0
		WHERE submission_id = ? AND platform = ?`, attempts+1, exID, s.owner.id, k.SubmissionID, k.Platform); err != nil {
		return Started{}, err
	}
	return Started{Attempt: attempts + 1, Exchange: exID}, nil
}

// recordTx is the body of RecordAfter for one exchange inside a transaction
// that the caller owns.
func (s *Store) recordTx(ctx context.Context, tx *sql.Tx, subID int64, ex platforms.Exchange, meta string, reqBody, respBody, resultJSON []byte, after After) (int64, error) {
	exID, err := s.recordIn(ctx, sqlTx{tx}, subID, ex, meta, reqBody, respBody, resultJSON, after)
	if err != nil {
		return 0, err
	}
	return exID, addSearchIDs(ctx, tx, subID, ex.Result)
}

// recordIn is recordTx without the search index, which Apply updates once
// per submission.
func (s *Store) recordIn(ctx context.Context, tx execer, subID int64, ex platforms.Exchange, meta string, reqBody, respBody, resultJSON []byte, after After) (int64, error) {
	next := after.Retry
	if after.Drop {
		next = time.Time{}
	}
	var attempts int
	var inFlight int64
	var owner string
	err := tx.queryRow(ctx, `SELECT attempts, in_flight, owner FROM states WHERE submission_id = ? AND platform = ?`,
		subID, ex.Platform).Scan(&attempts, &inFlight, &owner)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("history: submission %d has no platform %q: %w", subID, ex.Platform, ErrNotFound)
	}
	if err != nil {
		return 0, err
	}
	var exID int64
	mine := inFlight != 0 && owner == s.owner.id
	if mine {
		exID = inFlight
		_, err = tx.ExecContext(ctx, `UPDATE exchanges SET in_flight = 0, started = ?, outcome = ?, meta = ?, request_body = ?, response = ?
			WHERE id = ?`, ex.Started.UnixNano(), string(ex.Result.Outcome), meta, reqBody, respBody, exID)
	} else {
		attempts++
		var res sql.Result
		res, err = tx.ExecContext(ctx, `INSERT INTO exchanges (submission_id, platform, attempt, started, in_flight, outcome, meta, request_body, response)
			VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?)`, subID, ex.Platform, attempts, ex.Started.UnixNano(), string(ex.Result.Outcome), meta, reqBody, respBody)
		if err == nil {
			exID, err = res.LastInsertId()
		}
	}
	if err != nil {
		return 0, err
	}
	var nextNS int64
	if !next.IsZero() {
		nextNS = next.UnixNano()
	}
	q := `UPDATE states SET outcome = ?, result = ?, attempts = ?, status = ?, duration = ?, exchange_id = ?,
		queued = ?, next_retry = ?, dropped = ?`
	if mine || inFlight == 0 {
		q += `, in_flight = 0, owner = ''`
	}
	q += ` WHERE submission_id = ? AND platform = ?`
	if _, err := tx.ExecContext(ctx, q, string(ex.Result.Outcome), resultJSON, attempts, ex.Status, int64(ex.Duration), exID,
		boolInt(!next.IsZero()), nextNS, boolInt(after.Drop), subID, ex.Platform); err != nil {
		return 0, err
	}
	return exID, nil
}

// resultIDs are the customer IDs a result carries, each once (a batch
// answer names a customer both among the result's IDs and in its item),
// for the search index and the duplicate guard's messages.
func resultIDs(r platforms.Result) []string {
	ids := slices.Clone(r.CustomerIDs)
	for _, it := range r.Items {
		if !slices.Contains(ids, it.CustomerID) {
			ids = append(ids, it.CustomerID)
		}
	}
	return nonEmpty(ids)
}

// addSearchText appends IDs not yet in a submission's search text, on any
// execer (a transaction, or the importer's prepared batch). A submission
// whose text waits in search_later is indexed now, once, with the IDs.
func addSearchText(ctx context.Context, tx execer, subID int64, ids []string) error {
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO customer_ids (id, submission_id) VALUES (?, ?)`, id, subID); err != nil {
			return err
		}
	}
	var text string
	waiting := true
	// A read and a delete, not DELETE ... RETURNING: RETURNING buffers its
	// rows and costs more than the read.
	err := tx.queryRow(ctx, `SELECT text FROM search_later WHERE id = ?`, subID).Scan(&text)
	if err == nil {
		_, err = tx.ExecContext(ctx, `DELETE FROM search_later WHERE id = ?`, subID)
	} else if errors.Is(err, sql.ErrNoRows) {
		waiting = false
		err = tx.queryRow(ctx, `SELECT text FROM search WHERE rowid = ?`, subID).Scan(&text)
	}
	if err != nil {
		return err
	}
	have := strings.Fields(text)
	changed := false
	for _, id := range ids {
		if !slices.Contains(have, id) {
			text += " " + id
			have = append(have, id)
			changed = true
		}
	}
	switch {
	case waiting:
		_, err = tx.ExecContext(ctx, `INSERT INTO search (rowid, text) VALUES (?, ?)`, subID, text)
	case changed:
		// A full-text update deletes the old text and inserts the new.
		_, err = tx.ExecContext(ctx, `UPDATE search SET text = ? WHERE rowid = ?`, text, subID)
	}
	return err
}

// ImportCount is how many submissions were made for rows of an import file
// (its digest). Zero means a first run: nothing to look up per row.
func (s *Store) ImportCount(ctx context.Context, file string) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM submissions WHERE import_file = ? AND import_file <> ''`, file).Scan(&n)
	return n, wrapQueryErr(err)
}

// FindImports returns, for the rows first..last of an import file, every
// submission made for each row, oldest first. A row has more than one when a
// re-run added platforms the first run did not send to.
func (s *Store) FindImports(ctx context.Context, file string, first, last int) (map[int][]Submission, error) {
	subs, err := s.querySubmissions(ctx, `SELECT `+submissionColumns+` FROM submissions
		WHERE import_file = ? AND import_file <> '' AND import_row BETWEEN ? AND ? ORDER BY id`, file, first, last)
	if err != nil {
		return nil, err
	}
	out := make(map[int][]Submission, len(subs))
	for _, sub := range subs {
		out[sub.ImportRow] = append(out[sub.ImportRow], sub)
	}
	return out, nil
}

// Release gives up this process's reservation of platforms it wrote ahead
// and never sent (an import stopped by ctrl+c): they stay pending, are not
// queued for the console's automatic retry when this process exits, and a
// re-run of the import sends them. Rows already attempted, or not reserved by
// this process, are left alone.
func (s *Store) Release(ctx context.Context, keys []AttemptKey) error {
	if len(keys) == 0 {
		return nil
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `UPDATE states SET owner = '' WHERE submission_id = ? AND platform = ?
				AND owner = ? AND in_flight = 0 AND outcome = '' AND queued = 0`, k.SubmissionID, k.Platform, s.owner.id); err != nil {
				return err
			}
		}
		return nil
	})
}
