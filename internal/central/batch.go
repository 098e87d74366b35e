package central

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// batch is a run of outbox entries and the rows they name, read in one
// snapshot of the local history.
type batch struct {
	last    int64 // the highest outbox position in the batch
	version int64 // the outbox position the rows were read at
	changes int
	subs    []row
	states  []row
	exs     []row
}

// readBatch reads up to limit changes past the mark, and the rows they name
// as they are now (a later change to the same row is then shipped twice,
// harmlessly: the upserts are idempotent and ordered by version).
func (l *Local) readBatch(ctx context.Context, limit int) (*batch, error) {
	tx, err := l.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT seq, kind, sub, platform, ex FROM central_outbox
		WHERE seq > (SELECT seq FROM central_mark WHERE id = 1) ORDER BY seq LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	var changes []change
	for rows.Next() {
		var c change
		if err := rows.Scan(&c.seq, &c.kind, &c.sub, &c.platform, &c.ex); err != nil {
			rows.Close()
			return nil, err
		}
		changes = append(changes, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	b := &batch{changes: len(changes)}
	if len(changes) == 0 {
		return b, nil
	}
	b.last = changes[len(changes)-1].seq
	if err := tx.QueryRowContext(ctx, `SELECT seq FROM sqlite_sequence WHERE name = 'central_outbox'`).Scan(&b.version); err != nil {
		return nil, err
	}
	if err := b.load(ctx, tx, changes); err != nil {
		return nil, err
	}
	return b, nil
}

// load reads each named row once.
func (b *batch) load(ctx context.Context, tx *sql.Tx, changes []change) error {
	type stateKey struct {
		sub      int64
		platform string
	}
	var subIDs, exIDs []any
	var stateArgs []any
	seenSub, seenEx, seenState := map[int64]bool{}, map[int64]bool{}, map[stateKey]bool{}
	for _, c := range changes {
		switch c.kind {
		case "s":
			if !seenSub[c.sub] {
				seenSub[c.sub] = true
				subIDs = append(subIDs, c.sub)
			}
		case "t":
			k := stateKey{c.sub, c.platform}
			if !seenState[k] {
				seenState[k] = true
				stateArgs = append(stateArgs, c.sub, c.platform)
			}
		case "e":
			if !seenEx[c.ex] {
				seenEx[c.ex] = true
				exIDs = append(exIDs, c.ex)
			}
		}
	}
	var err error
	if len(subIDs) > 0 {
		if b.subs, err = query(ctx, tx, `SELECT * FROM submissions WHERE id IN (`+placeholders(len(subIDs))+`) ORDER BY id`, subIDs); err != nil {
			return err
		}
	}
	if n := len(stateArgs) / 2; n > 0 {
		values := strings.TrimSuffix(strings.Repeat("(?,?),", n), ",")
		if b.states, err = query(ctx, tx, `SELECT * FROM states WHERE (submission_id, platform) IN (VALUES `+values+`)`, stateArgs); err != nil {
			return err
		}
	}
	if len(exIDs) > 0 {
		if b.exs, err = query(ctx, tx, `SELECT * FROM exchanges WHERE id IN (`+placeholders(len(exIDs))+`) ORDER BY id`, exIDs); err != nil {
			return err
		}
	}
	return nil
}

func query(ctx context.Context, tx *sql.Tx, q string, args []any) ([]row, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return scanRows(rows)
}

// queue adds the batch's upserts and the terminal's new mark to a pgx batch.
func (b *batch) queue(pb *pgx.Batch, terminal string) {
	storeName := StoreOf(terminal)
	pb.Queue(`INSERT INTO terminals (terminal, store) VALUES ($1, $2)
		ON CONFLICT (terminal) DO UPDATE SET last_seen = now()`, terminal, storeName)
	for _, r := range b.subs {
		queueSubmission(pb, terminal, storeName, r, b.version)
	}
	for _, r := range b.states {
		queueState(pb, terminal, r, b.version)
	}
	for _, r := range b.exs {
		queueExchange(pb, terminal, r, b.version)
	}
	pb.Queue(`UPDATE terminals SET high_water = greatest(high_water, $2), last_seen = now() WHERE terminal = $1`, terminal, b.last)
}

func queueSubmission(pb *pgx.Batch, terminal, storeName string, r row, version int64) {
	var c platforms.Customer
	custJSON := clean(r.str("customer"))
	_ = json.Unmarshal([]byte(custJSON), &c) // a customer that does not decode is still shipped as stored
	if !json.Valid([]byte(custJSON)) {
		custJSON = "{}"
	}
	member := r.str("member")
	if member == "" {
		member = store.MemberKey(c)
	}
	pb.Queue(`INSERT INTO submissions (terminal, local_id, store, request_id, customer, name, mobile, member, email,
			platforms, operator, source, import_file, import_row, created, search, version)
		VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
		ON CONFLICT (terminal, local_id) DO UPDATE SET request_id = EXCLUDED.request_id, customer = EXCLUDED.customer,
			name = EXCLUDED.name, mobile = EXCLUDED.mobile, member = EXCLUDED.member, email = EXCLUDED.email,
			platforms = EXCLUDED.platforms, operator = EXCLUDED.operator, source = EXCLUDED.source,
			import_file = EXCLUDED.import_file, import_row = EXCLUDED.import_row, created = EXCLUDED.created,
			search = EXCLUDED.search, version = EXCLUDED.version
		WHERE submissions.version <= EXCLUDED.version`,
		terminal, r.int("id"), storeName, clean(r.str("request_id")), custJSON, clean(r.str("name")), clean(r.str("mobile")),
		clean(member), clean(c.Email), clean(r.str("platforms")), clean(r.str("operator")), clean(r.str("source")),
		clean(r.str("import_file")), r.int("import_row"), time.Unix(0, r.int("created")),
		searchText(c, r.str("request_id")), version)
}

func queueState(pb *pgx.Batch, terminal string, r row, version int64) {
	resultJSON := clean(r.str("result"))
	var res platforms.Result
	if json.Unmarshal([]byte(resultJSON), &res) != nil {
		resultJSON = "{}"
	}
	all, _ := json.Marshal(cleanRow(r))
	ids := customerIDs(res)
	for i := range ids {
		ids[i] = clean(ids[i])
	}
	pb.Queue(`INSERT INTO states (terminal, submission_id, platform, outcome, attempts, queued, in_flight, dropped,
			exchange_id, result, customer_ids, row, version, state, customer_id_list)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12::jsonb, $13, $14, $15)
		ON CONFLICT (terminal, submission_id, platform) DO UPDATE SET outcome = EXCLUDED.outcome, state = EXCLUDED.state,
			attempts = EXCLUDED.attempts, queued = EXCLUDED.queued, in_flight = EXCLUDED.in_flight,
			dropped = EXCLUDED.dropped, exchange_id = EXCLUDED.exchange_id, result = EXCLUDED.result,
			customer_ids = EXCLUDED.customer_ids, customer_id_list = EXCLUDED.customer_id_list, row = EXCLUDED.row, version = EXCLUDED.version
		WHERE states.version <= EXCLUDED.version`,
		terminal, r.int("submission_id"), clean(r.str("platform")), clean(r.str("outcome")), r.int("attempts"),
		r.int("queued") != 0, r.int("in_flight") != 0, r.int("dropped") != 0, r.int("exchange_id"),
		resultJSON, clean(strings.Join(ids, " ")), string(all), version, clean(r.str("state")), ids)
	if len(ids) > 0 {
		pb.Queue(`INSERT INTO customer_ids (id, terminal, submission_id) SELECT unnest($1::text[]), $2, $3
			ON CONFLICT DO NOTHING`, ids, terminal, r.int("submission_id"))
	}
}

func queueExchange(pb *pgx.Batch, terminal string, r row, version int64) {
	meta := clean(r.str("meta"))
	if !json.Valid([]byte(meta)) {
		meta = "{}"
	}
	pb.Queue(`INSERT INTO exchanges (terminal, local_id, submission_id, platform, attempt, started, in_flight, outcome,
			meta, request_body, response, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12)
		ON CONFLICT (terminal, local_id) DO UPDATE SET in_flight = EXCLUDED.in_flight, outcome = EXCLUDED.outcome,
			meta = EXCLUDED.meta, request_body = EXCLUDED.request_body, response = EXCLUDED.response,
			attempt = EXCLUDED.attempt, started = EXCLUDED.started, version = EXCLUDED.version
		WHERE exchanges.version <= EXCLUDED.version`,
		terminal, r.int("id"), r.int("submission_id"), clean(r.str("platform")), r.int("attempt"),
		time.Unix(0, r.int("started")), r.int("in_flight") != 0, clean(r.str("outcome")), meta,
		r.bytes("request_body"), r.bytes("response"), version)
}

// searchText is what a free word of a central search matches: the same
// fields as the local history.
func searchText(c platforms.Customer, requestID string) string {
	parts := []string{c.Name, c.FirstName, c.LastName, c.Mobile, c.Phone, c.Email, c.Nickname, requestID}
	if m, ok := platforms.ParseMobile(c.Mobile); ok {
		parts = append(parts, m.Digits(), m.E164())
	}
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	// The leading space makes the first word a word like the others for
	// the trigram index (see wordCond).
	return " " + clean(strings.Join(keep, " "))
}

func customerIDs(r platforms.Result) []string {
	ids := append(make([]string, 0, len(r.CustomerIDs)), r.CustomerIDs...)
	for _, it := range r.Items {
		if it.CustomerID != "" {
			ids = append(ids, it.CustomerID)
		}
	}
	return ids
}

// clean makes text PostgreSQL accepts: valid UTF-8 without NUL (neither as
// a byte nor as a JSON escape). A row PostgreSQL refused would stop
// replication behind it for good.
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.Contains(s, "\x00") {
		s = strings.ReplaceAll(s, "\x00", "\uFFFD")
	}
	if strings.Contains(s, `\u0000`) {
		s = strings.ReplaceAll(s, `\u0000`, `\ufffd`)
	}
	return s
}

func cleanRow(r row) map[string]any {
	out := make(map[string]any, len(r))
	for k, v := range r {
		switch x := v.(type) {
		case string:
			out[k] = clean(x)
		case []byte:
			out[k] = clean(string(x))
		default:
			out[k] = x
		}
	}
	return out
}
