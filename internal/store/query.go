package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/custdesk/custdesk/platforms"
)

// Query selects submissions. Zero fields match everything.
type Query struct {
	// Text matches name, mobile (as typed, as digits, as E.164), email,
	// request ID and the platforms' customer IDs; words must all match.
	Text     string
	Platform string
	// Outcome matches submissions where a platform (Platform, when given) has
	// this outcome. OutcomePending matches platforms not yet answered.
	Outcome      platforms.Outcome
	Since, Until time.Time // Until is exclusive
	Limit        int       // 0: no limit
	Offset       int

	beforeID int64 // keyset cursor for streaming exports
	// exact holds, for words of Text found in an exact-match index (see
	// exactWords), the condition that finds them there instead of the
	// trigram index.
	exact map[string]exactCond
}

// Outcome filters beyond the platforms' own outcomes.
const (
	// OutcomePending selects platforms with no answer yet (pending, queued or in flight).
	OutcomePending platforms.Outcome = "pending"
	// OutcomeAttention selects the attention inbox: sends only a person can
	// settle (StateAttention), whatever their outcome.
	OutcomeAttention platforms.Outcome = "attention"
	// OutcomeDropped selects sends a person dropped.
	OutcomeDropped platforms.Outcome = "dropped"
)

const submissionColumns = `id, request_id, customer, platforms, operator, source, import_file, import_row, created, allow_duplicate`

// plan is a query's SQL, built so every filter uses an index: the trigram
// index for words of three characters or more, the compact names table for
// shorter ones, states(outcome|platform, submission_id) for outcome and
// platform, submissions(created) for dates.
type plan struct {
	// byState: the query walks states (outcome or platform given), newest
	// submission first, joining each submission; it stops at the page.
	byState   bool
	stateCond string
	stateArgs []any
	// stateExists writes the state condition as an EXISTS probe per
	// submission, for queries walked from the names table instead.
	stateExists bool
	// short holds LIKE patterns for words under three characters. Without
	// an outcome or platform, the query walks the compact names table newest
	// first instead, stopping at the page.
	short     []any
	idConds   []string // on the submission ID, written with "%s" for the column
	idArgs    []any
	dateConds []string // on submissions.created
	dateArgs  []any
	// match is the trigram index's query for the words of three characters
	// or more. Without an outcome, platform or short word, the list walks
	// the trigram index itself newest first (walkMatch), stopping at the
	// page, instead of collecting every match first: a common fragment
	// ("138") matches a tenth of a million rows.
	match     string
	walkMatch bool
	// rareState: the outcome asked for is not ok, so few submissions have
	// it (a surname is a twentieth of the names, unknown a hundredth of the
	// states): the query walks the states and probes each one's names.
	rareState bool
}

func (q Query) plan() plan {
	var p plan
	var fts []string
	for _, word := range strings.Fields(q.Text) {
		if c, ok := q.exact[word]; ok {
			p.idConds = append(p.idConds, c.cond)
			p.idArgs = append(p.idArgs, c.arg)
			continue
		}
		if utf8.RuneCountInString(word) >= 3 {
			fts = append(fts, `"`+strings.ReplaceAll(word, `"`, `""`)+`"`)
			continue
		}
		p.short = append(p.short, "%"+likeEscape(word)+"%")
	}
	p.match = strings.Join(fts, " AND ")
	if q.beforeID > 0 {
		p.idConds = append(p.idConds, `%s < ?`)
		p.idArgs = append(p.idArgs, q.beforeID)
	}
	var sc []string
	switch q.Outcome {
	case "":
	case OutcomeAttention, OutcomeDropped:
		// Written out, not bound: the partial indexes' own terms.
		sc = append(sc, `st.state = '`+string(q.Outcome)+`'`)
	default:
		outcome := string(q.Outcome)
		if q.Outcome == OutcomePending {
			outcome = ""
		}
		sc = append(sc, `st.outcome = ?`)
		p.stateArgs = append(p.stateArgs, outcome)
	}
	if q.Platform != "" {
		sc = append(sc, `st.platform = ?`)
		p.stateArgs = append(p.stateArgs, q.Platform)
	}
	p.byState, p.stateCond = len(sc) > 0, strings.Join(sc, " AND ")
	p.rareState = q.Outcome != "" && q.Outcome != platforms.OK
	if !q.Since.IsZero() {
		p.dateConds = append(p.dateConds, `submissions.created >= ?`)
		p.dateArgs = append(p.dateArgs, q.Since.UnixNano())
	}
	if !q.Until.IsZero() {
		p.dateConds = append(p.dateConds, `submissions.created < ?`)
		p.dateArgs = append(p.dateArgs, q.Until.UnixNano())
	}
	return p
}

// where joins the conditions, naming the submission ID column idCol.
// byNames: the query reads the names table as n.
func (p plan) where(idCol string, withDates, byNames bool) (string, []any) {
	var conds []string
	var args []any
	switch {
	case p.byState && p.stateExists:
		conds = append(conds, `EXISTS (SELECT 1 FROM states st WHERE st.submission_id = `+idCol+` AND `+p.stateCond+`)`)
		args = append(args, p.stateArgs...)
	case p.byState:
		conds, args = append(conds, p.stateCond), append(args, p.stateArgs...)
	}
	for _, pat := range p.short {
		if byNames {
			conds = append(conds, `n.text LIKE ? ESCAPE '\'`)
		} else {
			// A probe per row walked, not a list of every name that matches.
			conds = append(conds, `EXISTS (SELECT 1 FROM names nm WHERE nm.id = `+idCol+` AND nm.text LIKE ? ESCAPE '\')`)
		}
		args = append(args, pat)
	}
	switch {
	case p.match != "" && p.walkMatch:
		conds, args = append(conds, `search MATCH ?`), append(args, p.match)
	case p.match != "":
		conds, args = append(conds, idCol+` IN (SELECT rowid FROM search WHERE search MATCH ?)`), append(args, p.match)
	}
	for _, c := range p.idConds {
		conds = append(conds, fmt.Sprintf(c, idCol))
	}
	args = append(args, p.idArgs...)
	if withDates {
		conds, args = append(conds, p.dateConds...), append(args, p.dateArgs...)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// listSQL selects the matching submissions, newest first. CROSS JOIN keeps
// the narrow table (states or names) as the outer loop, walked backwards by
// submission ID, so SQLite stops at the page instead of collecting every match.
func (p plan) listSQL() (string, []any) {
	return p.walkSQL(qualified("submissions", submissionColumns))
}

// walkSQL is listSQL selecting cols.
func (p plan) walkSQL(cols string) (string, []any) {
	// A short word narrows far more than a platform or the ok outcome (most
	// states are ok): walk the names and probe each one's states. A rarer
	// outcome narrows more than the word.
	p.stateExists = p.byState && len(p.short) > 0 && !p.rareState
	switch {
	case p.byState && !p.stateExists:
		where, args := p.where("st.submission_id", true, false)
		return `SELECT ` + cols + ` FROM states st CROSS JOIN submissions ON submissions.id = st.submission_id` +
			where + ` GROUP BY st.submission_id ORDER BY st.submission_id DESC`, args
	case len(p.short) > 0:
		where, args := p.where("n.id", true, true)
		return `SELECT ` + cols + ` FROM names n CROSS JOIN submissions ON submissions.id = n.id` + where + ` ORDER BY n.id DESC`, args
	case p.match != "":
		p.walkMatch = true
		where, args := p.where("search.rowid", true, false)
		return `SELECT ` + cols + ` FROM search CROSS JOIN submissions ON submissions.id = search.rowid` + where + ` ORDER BY search.rowid DESC`, args
	}
	where, args := p.where("submissions.id", true, false)
	return `SELECT ` + cols + ` FROM submissions` + where + ` ORDER BY submissions.id DESC`, args
}

// countSQL counts the matching submissions, touching the full rows only when
// a date range needs their creation time.
func (p plan) countSQL() (string, []any) {
	dates := len(p.dateConds) > 0
	p.stateExists = p.byState && len(p.short) > 0 && !p.rareState
	switch {
	case p.byState && !p.stateExists:
		from := ` FROM states st`
		if dates {
			from += ` CROSS JOIN submissions ON submissions.id = st.submission_id`
		}
		where, args := p.where("st.submission_id", dates, false)
		return `SELECT count(DISTINCT st.submission_id)` + from + where, args
	case len(p.short) > 0:
		from := ` FROM names n`
		if dates {
			from += ` CROSS JOIN submissions ON submissions.id = n.id`
		}
		where, args := p.where("n.id", dates, true)
		return `SELECT count(*)` + from + where, args
	}
	where, args := p.where("submissions.id", true, false)
	return `SELECT count(*) FROM submissions` + where, args
}

func qualified(table, columns string) string {
	cols := strings.Split(columns, ", ")
	for i, c := range cols {
		cols[i] = table + "." + c
	}
	return strings.Join(cols, ", ")
}

func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// List returns matching submissions, newest first, with their states.
func (s *Store) List(ctx context.Context, q Query) ([]Submission, error) {
	q, err := s.exactWords(ctx, q)
	if err != nil {
		return nil, err
	}
	query, args := q.plan().listSQL()
	if q.Limit > 0 || q.Offset > 0 {
		limit := q.Limit
		if limit <= 0 {
			limit = -1
		}
		query += ` LIMIT ? OFFSET ?`
		args = append(args, limit, max(q.Offset, 0))
	}
	return s.querySubmissions(ctx, query, args...)
}

// Count is how many submissions match, ignoring Limit and Offset.
func (s *Store) Count(ctx context.Context, q Query) (int, error) {
	q, err := s.exactWords(ctx, q)
	if err != nil {
		return 0, err
	}
	query, args := q.plan().countSQL()
	var n int
	err = s.read.QueryRowContext(ctx, query, args...).Scan(&n)
	return n, wrapQueryErr(err)
}

// CountUpTo counts the matching submissions no further than limit: a result
// of limit means limit or more. It walks the matches newest first like List
// and stops there, so a search with a million matches is counted in the time
// of a few pages, where Count would visit every one.
func (s *Store) CountUpTo(ctx context.Context, q Query, limit int) (int, error) {
	q, err := s.exactWords(ctx, q)
	if err != nil {
		return 0, err
	}
	walk, args := q.plan().walkSQL("1")
	var n int
	err = s.read.QueryRowContext(ctx, `SELECT count(*) FROM (`+walk+` LIMIT ?)`, append(args, limit)...).Scan(&n)
	return n, wrapQueryErr(err)
}

func wrapQueryErr(err error) error {
	if err == nil {
		return nil
	}
	if isCorruption(err) {
		return fmt.Errorf("history: the database file is damaged (%w: %v); it is left as is: move it away or use --data-dir", ErrCorrupt, err)
	}
	return fmt.Errorf("history: %w", err)
}

func isCorruption(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "malformed") || strings.Contains(msg, "not a database") || strings.Contains(msg, "SQLITE_CORRUPT")
}

func (s *Store) querySubmissions(ctx context.Context, query string, args ...any) ([]Submission, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, wrapQueryErr(err)
	}
	var subs []Submission
	for rows.Next() {
		var sub Submission
		var cust, names string
		var created int64
		if err := rows.Scan(&sub.ID, &sub.RequestID, &cust, &names, &sub.Operator, &sub.Source, &sub.ImportFile, &sub.ImportRow, &created, &sub.AllowDuplicate); err != nil {
			rows.Close()
			return nil, wrapQueryErr(err)
		}
		if err := json.Unmarshal([]byte(cust), &sub.Customer); err != nil {
			rows.Close()
			return nil, fmt.Errorf("history: submission %d: customer: %w", sub.ID, err)
		}
		if names != "" {
			sub.Platforms = strings.Split(names, ",")
		}
		sub.Created = time.Unix(0, created)
		sub.States = make(map[string]PlatformState, len(sub.Platforms))
		subs = append(subs, sub)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrapQueryErr(err)
	}
	if len(subs) == 0 {
		return subs, nil
	}
	return subs, s.loadStates(ctx, subs)
}

// loadStates fills States for a page of submissions in one query.
func (s *Store) loadStates(ctx context.Context, subs []Submission) error {
	index := make(map[int64]int, len(subs))
	ph := make([]string, len(subs))
	args := make([]any, len(subs))
	for i, sub := range subs {
		index[sub.ID] = i
		ph[i], args[i] = "?", sub.ID
	}
	rows, err := s.read.QueryContext(ctx, `SELECT submission_id, platform, outcome, result, attempts, status, duration,
		exchange_id, queued, next_retry, in_flight, dropped, state FROM states WHERE submission_id IN (`+strings.Join(ph, ",")+`)`, args...)
	if err != nil {
		return wrapQueryErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var subID, duration, next, inFlight int64
		var st PlatformState
		var outcome, result, state string
		if err := rows.Scan(&subID, &st.Platform, &outcome, &result, &st.Attempts, &st.Status, &duration,
			&st.ExchangeID, &st.Queued, &next, &inFlight, &st.Dropped, &state); err != nil {
			return wrapQueryErr(err)
		}
		st.Outcome, st.State = platforms.Outcome(outcome), State(state)
		st.Duration = time.Duration(duration)
		st.InFlight = inFlight != 0
		if st.Queued {
			st.NextRetry = time.Unix(0, next)
		}
		if err := json.Unmarshal([]byte(result), &st.Result); err != nil {
			return fmt.Errorf("history: submission %d %s: result: %w", subID, st.Platform, err)
		}
		subs[index[subID]].States[st.Platform] = st
	}
	return wrapQueryErr(rows.Err())
}
