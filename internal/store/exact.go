package store

import (
	"context"
	"strings"

	"github.com/custdesk/custdesk/platforms"
)

// exactCond finds the submissions holding one search word through an
// exact-match index; cond is written with "%s" for the submission ID
// column, probe says whether any submission holds it.
type exactCond struct {
	cond, probe string
	arg         any
}

// A whole mobile number is found through the member key's index, a
// platform's customer ID through customer_ids. Both are long runs of digits
// that share most trigrams with every other row, so the trigram index reads
// nearly every row's postings to find them (a second at a million
// submissions); the exact indexes answer with one probe.
var (
	// "member <> ''" is submissions_member's own condition: without it the
	// planner cannot use that partial index.
	byMember = exactCond{cond: `%s IN (SELECT id FROM submissions WHERE member = ? AND member <> '')`,
		probe: `SELECT 1 FROM submissions WHERE member = ? AND member <> ''`}
	byCustomerID = exactCond{cond: `%s IN (SELECT submission_id FROM customer_ids WHERE id = ?)`, probe: `SELECT 1 FROM customer_ids WHERE id = ?`}
)

// minIDLen: shorter words are fragments (a phone's tail, part of a name),
// left to the trigram and names indexes.
const minIDLen = 8

// exactWords resolves the words of q.Text that are whole mobile numbers or
// customer IDs on record. A word that looks like one but is not on record
// may be a fragment of a longer number or ID, so it stays a substring search.
func (s *Store) exactWords(ctx context.Context, q Query) (Query, error) {
	for _, w := range strings.Fields(q.Text) {
		c, ok := exactFor(w)
		if !ok {
			continue
		}
		var found bool
		if err := s.read.QueryRowContext(ctx, `SELECT EXISTS (`+c.probe+`)`, c.arg).Scan(&found); err != nil {
			return q, wrapQueryErr(err)
		}
		if found {
			if q.exact == nil {
				q.exact = map[string]exactCond{}
			}
			q.exact[w] = c
		}
	}
	return q, nil
}

// exactFor is the exact-match lookup a word may be found by, if any.
func exactFor(w string) (exactCond, bool) {
	if m, ok := platforms.ParseMobile(w); ok {
		c := byMember
		c.arg = "m:" + m.E164()
		return c, true
	}
	if len(w) < minIDLen {
		return exactCond{}, false
	}
	for _, r := range w {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_') {
			return exactCond{}, false
		}
	}
	c := byCustomerID
	c.arg = w
	return c, true
}
