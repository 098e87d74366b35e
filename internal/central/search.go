package central

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// Query is a head-office search: the local history's query, over every
// terminal, narrowed to one terminal or one store when given.
type Query struct {
	store.Query
	Terminal string
	Store    string
}

// SplitFilters takes the terminal: and store: words out of a search line,
// leaving the rest for the local grammar.
func SplitFilters(text string) (rest, terminal, storeName string) {
	var keep []string
	for _, w := range strings.Fields(text) {
		switch {
		case strings.HasPrefix(w, "terminal:") && len(w) > len("terminal:"):
			terminal = strings.TrimPrefix(w, "terminal:")
		case strings.HasPrefix(w, "store:") && len(w) > len("store:"):
			storeName = strings.TrimPrefix(w, "store:")
		default:
			keep = append(keep, w)
		}
	}
	return strings.Join(keep, " "), terminal, storeName
}

// Entry is a submission found centrally, with the terminal that owns it.
// Its ID is that terminal's local ID.
type Entry struct {
	Terminal string `json:"terminal"`
	Store    string `json:"store"`
	store.Submission
}

// sqlBuilder numbers PostgreSQL's $n placeholders.
type sqlBuilder struct {
	conds []string
	args  []any
}

func (b *sqlBuilder) arg(v any) string {
	b.args = append(b.args, v)
	return "$" + strconv.Itoa(len(b.args))
}

// where is the WHERE clause of the conditions, "" when there are none.
func (b *sqlBuilder) where() string {
	if len(b.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(b.conds, " AND ")
}

// Search lists matching submissions of every terminal, newest first. A free
// word matches name, mobile (as typed, digits, E.164), e-mail, request ID
// or a platform's customer ID, through trigram indexes.
func Search(ctx context.Context, pool *pgxpool.Pool, q Query) ([]Entry, error) {
	sql, args := searchSQL(q)
	entries, err := querySubmissions(ctx, pool, sql, args)
	if err != nil {
		return nil, err
	}
	return entries, addStates(ctx, pool, entries)
}

// searchSQL is the query Search runs.
func searchSQL(q Query) (string, []any) {
	b := whereSQL(q)
	sql := `SELECT ` + entryColumns + ` FROM submissions s` + b.where()
	sql += " ORDER BY s.created DESC, s.terminal, s.local_id DESC"
	if q.Limit > 0 {
		sql += " LIMIT " + b.arg(q.Limit)
	}
	if q.Offset > 0 {
		sql += " OFFSET " + b.arg(q.Offset)
	}
	return sql, b.args
}

// entryColumns are the columns querySubmissions scans, of submissions s.
const entryColumns = `s.terminal, s.store, s.local_id, s.request_id, s.customer, s.platforms, s.operator, s.source,
		s.import_file, s.import_row, s.created`

// whereSQL is the conditions of a search (limit and offset aside).
func whereSQL(q Query) *sqlBuilder {
	b := &sqlBuilder{}
	if q.Terminal != "" {
		b.conds = append(b.conds, "s.terminal = "+b.arg(q.Terminal))
	}
	if q.Store != "" {
		b.conds = append(b.conds, "s.store = "+b.arg(q.Store))
	}
	for _, w := range strings.Fields(q.Text) {
		b.conds = append(b.conds, b.wordCond(w))
	}
	var sc []string
	switch q.Outcome {
	case "":
	case store.OutcomeAttention, store.OutcomeDropped:
		sc = append(sc, "st.state = "+b.arg(string(q.Outcome)))
	case store.OutcomePending:
		sc = append(sc, "st.outcome = ''")
	default:
		sc = append(sc, "st.outcome = "+b.arg(string(q.Outcome)))
	}
	if q.Platform != "" {
		sc = append(sc, "st.platform = "+b.arg(q.Platform))
	}
	if len(sc) > 0 {
		b.conds = append(b.conds, `EXISTS (SELECT 1 FROM states st WHERE st.terminal = s.terminal AND st.submission_id = s.local_id AND `+
			strings.Join(sc, " AND ")+`)`)
	}
	if !q.Since.IsZero() {
		b.conds = append(b.conds, "s.created >= "+b.arg(q.Since))
	}
	if !q.Until.IsZero() {
		b.conds = append(b.conds, "s.created < "+b.arg(q.Until))
	}
	return b
}

// wordCond is one free word's condition, each written so an index answers
// it on a million submissions:
//   - a whole mobile or customer ID (11 digits or more, "+" allowed) is
//     matched exactly: the member key's and the customer IDs' B-trees;
//   - a word under three characters (a Chinese name, a surname) matches the
//     start of a word (name, mobile, …): padded trigrams, where a substring
//     that short has none and would scan every row;
//   - anything else is a substring of the searchable text or of a customer
//     ID, through the trigram indexes.
func (b *sqlBuilder) wordCond(w string) string {
	if digits := strings.TrimPrefix(w, "+"); len(digits) >= 11 && platforms.IsDigits(digits) {
		byID := `SELECT terminal, submission_id FROM customer_ids WHERE id = ` + b.arg(w)
		if member := store.MemberKey(platforms.Customer{Mobile: w}); member != "" {
			byID += ` UNION SELECT terminal, local_id FROM submissions WHERE member = ` + b.arg(member)
		}
		return `(s.terminal, s.local_id) IN (` + byID + `)`
	}
	if utf8.RuneCountInString(w) < 3 {
		return `s.search ILIKE ` + b.arg("% "+likeEscape(w)+"%")
	}
	pat := b.arg("%" + likeEscape(w) + "%")
	return `(s.terminal, s.local_id) IN (
		SELECT terminal, local_id FROM submissions WHERE search ILIKE ` + pat + `
		UNION SELECT terminal, submission_id FROM states WHERE customer_ids ILIKE ` + pat + `)`
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func querySubmissions(ctx context.Context, pool *pgxpool.Pool, sql string, args []any) ([]Entry, error) {
	rows, err := pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("central: search: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var cust []byte
		var plats string
		if err := rows.Scan(&e.Terminal, &e.Store, &e.ID, &e.RequestID, &cust, &plats, &e.Operator, &e.Source,
			&e.ImportFile, &e.ImportRow, &e.Created); err != nil {
			return nil, fmt.Errorf("central: search: %w", err)
		}
		_ = json.Unmarshal(cust, &e.Customer) // shipped from a valid local row
		e.Platforms = strings.Split(plats, ",")
		e.States = map[string]store.PlatformState{}
		out = append(out, e)
	}
	return out, rows.Err()
}

// addStates reads the platform states of the listed submissions in one query.
func addStates(ctx context.Context, pool *pgxpool.Pool, entries []Entry) error {
	if len(entries) == 0 {
		return nil
	}
	terms, ids := make([]string, len(entries)), make([]int64, len(entries))
	at := map[string]int{}
	for i, e := range entries {
		terms[i], ids[i] = e.Terminal, e.ID
		at[e.Terminal+"\x00"+strconv.FormatInt(e.ID, 10)] = i
	}
	rows, err := pool.Query(ctx, `SELECT st.terminal, st.submission_id, st.platform, st.outcome, st.state, st.attempts, st.queued,
			st.in_flight, st.dropped, st.exchange_id, st.result
		FROM states st JOIN unnest($1::text[], $2::bigint[]) AS k(terminal, id)
			ON st.terminal = k.terminal AND st.submission_id = k.id`, terms, ids)
	if err != nil {
		return fmt.Errorf("central: search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var term, outcome, state string
		var id int64
		var ps store.PlatformState
		var result []byte
		if err := rows.Scan(&term, &id, &ps.Platform, &outcome, &state, &ps.Attempts, &ps.Queued, &ps.InFlight, &ps.Dropped,
			&ps.ExchangeID, &result); err != nil {
			return fmt.Errorf("central: search: %w", err)
		}
		ps.Outcome, ps.State = platforms.Outcome(outcome), store.State(state)
		_ = json.Unmarshal(result, &ps.Result)
		if i, ok := at[term+"\x00"+strconv.FormatInt(id, 10)]; ok {
			entries[i].States[ps.Platform] = ps
		}
	}
	return rows.Err()
}
