package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

// The search line of the history pane ("/"). Free words match name, mobile,
// e-mail, request ID and customer IDs (store.Query.Text); filters are
// key:value tokens anywhere on the line:
//
//	platform:nxlink      a configured platform, by name (a unique prefix will do)
//	outcome:failed       ok, partial, rejected, failed, unknown, pending, attention, dropped (prefix too)
//	since:2026-11-01     from that day (local time), or today, yesterday, 7d, 24h ago
//	until:2026-11-30     up to and including that day (or today, yesterday, 7d, 24h ago)
//
// Chinese keys work too (平台 结果 从 到, with ":" or "："), as do the
// outcomes' Chinese names (成功 部分 被拒 失败 未知 未完成). A key with no value
// yet is ignored, so the results keep up while the filter is being typed.

// searchDelay is how long typing must pause before the search runs: each
// query is a few tens of milliseconds on a large history, and running one per
// keystroke of a fast typist would queue them up.
const searchDelay = 150 * time.Millisecond

type searchKey int

const (
	keyPlatform searchKey = iota + 1
	keyOutcome
	keySince
	keyUntil
)

var filterKeys = map[string]searchKey{
	"platform": keyPlatform, "平台": keyPlatform,
	"outcome": keyOutcome, "结果": keyOutcome,
	"since": keySince, "从": keySince,
	"until": keyUntil, "到": keyUntil,
}

var outcomeWords = []struct {
	outcome platforms.Outcome
	words   []string
}{
	{platforms.OK, []string{"ok", "成功"}},
	{platforms.Partial, []string{"partial", "部分"}},
	{platforms.Rejected, []string{"rejected", "被拒"}},
	{platforms.Failed, []string{"failed", "失败"}},
	{platforms.Unknown, []string{"unknown", "未知"}},
	{store.OutcomePending, []string{"pending", "未完成"}},
	{store.OutcomeAttention, []string{"attention", "待处理"}},
	{store.OutcomeDropped, []string{"dropped", "已放弃"}},
}

// parseSearch turns the search line into a query. A problem (a value that
// names nothing, a date that does not parse) is returned instead: the rows
// on screen stay what they were rather than silently dropping a filter.
func parseSearch(line string, plats []platInfo, now time.Time) (store.Query, *text) {
	var q store.Query
	var words []string
	for _, tok := range strings.Fields(line) {
		k, v, ok := cutKey(tok)
		if !ok {
			words = append(words, tok)
			continue
		}
		if v == "" {
			continue // still being typed
		}
		switch k {
		case keyPlatform:
			name, p := matchPlatform(v, plats)
			if p != nil {
				return store.Query{}, p
			}
			if q.Platform != "" && q.Platform != name {
				return store.Query{}, &text{"只能按一个平台筛选", "one platform at a time"}
			}
			q.Platform = name
		case keyOutcome:
			o, p := matchOutcome(v)
			if p != nil {
				return store.Query{}, p
			}
			q.Outcome = o
		case keySince, keyUntil:
			t, ok := parseWhen(v, now, k == keyUntil)
			if !ok {
				return store.Query{}, &text{
					fmt.Sprintf("日期 %q 无法识别：用 2026-11-01、today、yesterday、7d 或 24h", v),
					fmt.Sprintf("date %q: use 2026-11-01, today, yesterday, 7d or 24h", v)}
			}
			if k == keySince {
				q.Since = t
			} else {
				q.Until = t
			}
		}
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Since.Before(q.Until) {
		return store.Query{}, &text{"since 晚于 until，不会有结果", "since is not before until: nothing can match"}
	}
	q.Text = strings.Join(words, " ")
	return q, nil
}

// cutKey splits a key:value token whose key is a known filter. Anything else
// (a time such as 15:04, a URL) is a word to search for.
func cutKey(tok string) (searchKey, string, bool) {
	i := strings.IndexAny(tok, ":：")
	if i <= 0 {
		return 0, "", false
	}
	k, ok := filterKeys[strings.ToLower(tok[:i])]
	if !ok {
		return 0, "", false
	}
	_, size := utf8.DecodeRuneInString(tok[i:])
	return k, tok[i+size:], true
}

func matchPlatform(v string, plats []platInfo) (string, *text) {
	v = strings.ToLower(v)
	var found []string
	for _, p := range plats {
		if strings.ToLower(p.name) == v || strings.ToLower(p.title) == v {
			return p.name, nil
		}
		if strings.HasPrefix(strings.ToLower(p.name), v) || strings.HasPrefix(strings.ToLower(p.title), v) {
			found = append(found, p.name)
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	names := make([]string, len(plats))
	for i, p := range plats {
		names[i] = p.name
	}
	return "", &text{
		fmt.Sprintf("平台 %q 不明确或不存在：%s", v, strings.Join(names, "、")),
		fmt.Sprintf("platform %q: one of %s", v, strings.Join(names, ", "))}
}

func matchOutcome(v string) (platforms.Outcome, *text) {
	v = strings.ToLower(v)
	var found []platforms.Outcome
	for _, o := range outcomeWords {
		for _, w := range o.words {
			if w == v {
				return o.outcome, nil
			}
			if strings.HasPrefix(w, v) {
				found = append(found, o.outcome)
				break
			}
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	return "", &text{
		fmt.Sprintf("结果 %q 不明确或不存在：ok partial rejected failed unknown pending attention dropped", v),
		fmt.Sprintf("outcome %q: one of ok, partial, rejected, failed, unknown, pending, attention, dropped", v)}
}

// parseWhen reads a day (its start, or the start of the next day for until,
// which the store treats as exclusive), today or yesterday, or a span back
// from now (7d, 24h, 90m).
func parseWhen(v string, now time.Time, until bool) (time.Time, bool) {
	day := func(t time.Time) time.Time {
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, now.Location())
		if until {
			d = d.AddDate(0, 0, 1)
		}
		return d
	}
	switch strings.ToLower(v) {
	case "today", "今天":
		return day(now), true
	case "yesterday", "昨天":
		return day(now.AddDate(0, 0, -1)), true
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, now.Location()); err == nil {
		return day(t), true
	}
	if n, ok := strings.CutSuffix(v, "d"); ok {
		if days, err := strconv.Atoi(n); err == nil && days >= 0 {
			return now.AddDate(0, 0, -days), true
		}
		return time.Time{}, false
	}
	if d, err := time.ParseDuration(v); err == nil && d >= 0 {
		return now.Add(-d), true
	}
	return time.Time{}, false
}

// filtered reports whether q selects less than the whole history.
func filtered(q store.Query) bool {
	return q.Text != "" || q.Platform != "" || q.Outcome != "" || !q.Since.IsZero() || !q.Until.IsZero()
}

// searchLine is the search input and the query behind the rows shown.
//
// Every change of what is asked for takes the next sequence number; a
// debounce tick or a result that comes back with an older number is
// dropped, so a slow query never overwrites a newer one's rows. Pages of
// the rows shown carry their own generation (shownSeq) for the same reason.
type searchLine struct {
	input   textinput.Model
	left    int // first visible rune: the line scrolls by display width
	editing bool
	problem *text

	seq      int         // latest search asked for
	pending  bool        // the line changed since the last search ran
	shownSeq int         // the search whose rows are on screen
	shown    store.Query // its filters (no limit or offset)
}

func newSearchLine(c *common) searchLine {
	in := textinput.New()
	in.Prompt = ""
	in.SetVirtualCursor(false)
	in.Placeholder = c.tr(msgSearchPlaceholder)
	return searchLine{input: in}
}

// visible: the pane shows the line while it is typed in, and while a search
// filters the rows, so a filtered view never passes for the whole history.
func (s *searchLine) visible() bool {
	return s.editing || s.input.Value() != "" || filtered(s.shown)
}

// scroll keeps the cursor inside w columns, as the form's fields do.
func (s *searchLine) scroll(w int) {
	s.left = scrollStart(s.input.Value(), s.input.Position(), s.left, w)
}

// render is the line at width w and the cursor's column in it.
func (s *searchLine) render(st *styles, w int) (string, int) {
	prompt := st.dim.Render("/ ")
	if s.editing {
		prompt = st.focusMark.Render("/ ")
	}
	iw := max(1, w-2)
	v := s.input.Value()
	if v == "" {
		ph := ""
		if s.editing {
			ph = st.placehold.Render(ansi.Truncate(s.input.Placeholder, iw, "…"))
		}
		return padRight(prompt+ph, w), 2
	}
	// A pasted bidi or zero-width character shows as its escape, and the
	// cursor counts the escape's width (runeWidth, shownWidth).
	runes := []rune(v)
	if !s.editing {
		return padRight(prompt+st.value.Render(ansi.Truncate(termsafe.Line(v), iw, "…")), w), 2
	}
	s.scroll(iw)
	left := min(s.left, len(runes))
	pos := min(s.input.Position(), len(runes))
	x := 2 + shownWidth(string(runes[left:pos]))
	return padRight(prompt+st.value.Render(ansi.Truncate(termsafe.Line(string(runes[left:])), iw, "")), w), x
}

// Search messages.
type (
	searchTickMsg struct{ seq int }
	searchMsg     struct {
		seq    int
		query  store.Query
		subs   []store.Submission
		total  int
		more   bool  // the page is full: the total is counted next
		keepID int64 // select this row again when it is among the results
		err    error
	}
)

// searchCmd runs a search off the update loop. ctx is cancelled when a newer
// search supersedes it, so the store stops working on an answer nobody wants.
// The first page comes back alone: counting a million matches takes longer
// than finding fifty, so a full page is counted afterwards (countCmd).
func searchCmd(ctx context.Context, hs historyStore, seq int, q store.Query, keepID int64) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, storeTimeout)
		defer cancel()
		lq := q
		lq.Limit = historyPage
		subs, err := hs.List(ctx, lq)
		if err != nil {
			return searchMsg{seq: seq, err: err}
		}
		return searchMsg{seq: seq, query: q, subs: subs, total: len(subs), more: len(subs) == historyPage, keepID: keepID}
	}
}

// countCap is as far as a search's matches are counted; the pane shows
// more as "1,000+".
const countCap = 1000

// countMsg is the count of the search of generation seq, up to countCap.
type countMsg struct {
	seq, n int
	capped bool // there may be more than n
	err    error
}

func countCmd(ctx context.Context, hs historyStore, seq int, q store.Query) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, storeTimeout)
		defer cancel()
		// The whole history is counted exactly: its count reads one table.
		var n int
		var err error
		if filtered(q) {
			n, err = hs.CountUpTo(ctx, q, countCap)
		} else {
			n, err = hs.Count(ctx, q)
		}
		return countMsg{seq: seq, n: n, capped: filtered(q) && n >= countCap, err: err}
	}
}
