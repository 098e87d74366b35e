// Package search is the one grammar for finding submissions in the history,
// shared by the console's search line and `custdesk history`. Free words
// match name, mobile, e-mail, request ID and customer IDs (store.Query.Text);
// filters are key:value tokens anywhere on the line:
//
//	platform:NAME        a configured platform, by name or title (a unique prefix will do)
//	outcome:failed       ok, partial, rejected, failed, unknown, pending, attention, dropped (prefix too)
//	since:2026-11-01     from that day (local time), or today, yesterday, 7d, 24h ago
//	until:2026-11-30     up to and including that day (or today, yesterday, 7d, 24h ago)
//
// Chinese keys work too (平台 结果 从 到, with ":" or "："), as do the
// outcomes' Chinese names (成功 部分 被拒 失败 未知 未完成). A key with no value
// yet is ignored, so the results keep up while a filter is being typed.
package search

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// Platform names a configured platform.
type Platform struct{ Name, Title string }

// Problem says, in both languages, why a line or a flag finds nothing.
type Problem struct{ Zh, En string }

// In is the problem in lang ("zh" or "en").
func (p *Problem) In(lang string) string {
	if lang == "zh" {
		return p.Zh
	}
	return p.En
}

// Error is the English text, for callers that only need an error.
func (p *Problem) Error() string { return p.En }

// Apply sets one filter named by its key (platform, outcome, since, until,
// or their Chinese names) on q, as a flag of `custdesk history` does.
func Apply(q *store.Query, name, value string, plats []Platform, now time.Time) *Problem {
	k, ok := filterKeys[strings.ToLower(name)]
	if !ok {
		return &Problem{fmt.Sprintf("没有筛选 %q", name), fmt.Sprintf("no filter %q", name)}
	}
	return apply(q, k, value, plats, now)
}

type key int

const (
	keyPlatform key = iota + 1
	keyOutcome
	keySince
	keyUntil
)

var filterKeys = map[string]key{
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
func Parse(line string, plats []Platform, now time.Time) (store.Query, *Problem) {
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
		if p := apply(&q, k, v, plats, now); p != nil {
			return store.Query{}, p
		}
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Since.Before(q.Until) {
		return store.Query{}, &Problem{"since 晚于 until，不会有结果", "since is not before until: nothing can match"}
	}
	q.Text = strings.Join(words, " ")
	return q, nil
}

// apply sets one key:value filter on q.
func apply(q *store.Query, k key, v string, plats []Platform, now time.Time) *Problem {
	switch k {
	case keyPlatform:
		name, p := matchPlatform(v, plats)
		if p != nil {
			return p
		}
		if q.Platform != "" && q.Platform != name {
			return &Problem{"只能按一个平台筛选", "one platform at a time"}
		}
		q.Platform = name
	case keyOutcome:
		o, p := matchOutcome(v)
		if p != nil {
			return p
		}
		q.Outcome = o
	case keySince, keyUntil:
		t, ok := ParseWhen(v, now, k == keyUntil)
		if !ok {
			return &Problem{
				fmt.Sprintf("日期 %q 无法识别：用 2026-11-01、today、yesterday、7d 或 24h", v),
				fmt.Sprintf("date %q: use 2026-11-01, today, yesterday, 7d or 24h", v)}
		}
		if k == keySince {
			q.Since = t
		} else {
			q.Until = t
		}
	}
	return nil
}

// cutKey splits a key:value token whose key is a known filter. Anything else
// (a time such as 15:04, a URL) is a word to search for.
func cutKey(tok string) (key, string, bool) {
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

func matchPlatform(v string, plats []Platform) (string, *Problem) {
	v = strings.ToLower(v)
	if len(plats) == 0 {
		return v, nil // no list to check against (a history read without its config): the name as given
	}
	var found []string
	for _, p := range plats {
		if strings.ToLower(p.Name) == v || strings.ToLower(p.Title) == v {
			return p.Name, nil
		}
		if strings.HasPrefix(strings.ToLower(p.Name), v) || strings.HasPrefix(strings.ToLower(p.Title), v) {
			found = append(found, p.Name)
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	names := make([]string, len(plats))
	for i, p := range plats {
		names[i] = p.Name
	}
	return "", &Problem{
		fmt.Sprintf("平台 %q 不明确或不存在：%s", v, strings.Join(names, "、")),
		fmt.Sprintf("platform %q: one of %s", v, strings.Join(names, ", "))}
}

func matchOutcome(v string) (platforms.Outcome, *Problem) {
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
	return "", &Problem{
		fmt.Sprintf("结果 %q 不明确或不存在：ok partial rejected failed unknown pending attention dropped", v),
		fmt.Sprintf("outcome %q: one of ok, partial, rejected, failed, unknown, pending, attention, dropped", v)}
}

// parseWhen reads a day (its start, or the start of the next day for until,
// which the store treats as exclusive), today or yesterday, or a span back
// from now (7d, 24h, 90m).
func ParseWhen(v string, now time.Time, until bool) (time.Time, bool) {
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
func Filtered(q store.Query) bool {
	return q.Text != "" || q.Platform != "" || q.Outcome != "" || !q.Since.IsZero() || !q.Until.IsZero()
}
