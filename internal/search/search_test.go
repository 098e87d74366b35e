package search

import (
	"reflect"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

var now = time.Date(2026, 11, 20, 15, 4, 5, 0, time.UTC)

var plats = []Platform{{"alpha", "Alpha CRM"}, {"beta", "Beta Cloud"}}

// A flag of `custdesk history` and the console's key:value are one filter.
func TestApplyIsTheLinesFilter(t *testing.T) {
	for _, c := range []struct{ key, value, line string }{
		{"platform", "be", "platform:be"},
		{"outcome", "attention", "outcome:attention"},
		{"since", "7d", "since:7d"},
		{"until", "today", "until:today"},
		{"结果", "失败", "结果：失败"},
	} {
		var q store.Query
		if p := Apply(&q, c.key, c.value, plats, now); p != nil {
			t.Fatalf("%s=%s: %s", c.key, c.value, p.En)
		}
		want, p := Parse(c.line, plats, now)
		if p != nil || !reflect.DeepEqual(q, want) {
			t.Errorf("%s=%s gives %+v, the line %q gives %+v (%v)", c.key, c.value, q, c.line, want, p)
		}
	}
	q, _ := Parse("王 outcome:fail since:2026-11-01 until:2026-11-01", plats, now)
	if q.Text != "王" || q.Outcome != platforms.Failed || !q.Since.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)) ||
		!q.Until.Equal(time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("%+v", q)
	}
}

func TestProblemsInBothLanguages(t *testing.T) {
	var q store.Query
	for _, c := range [][2]string{{"platform", "gamma"}, {"outcome", "great"}, {"since", "last week"}, {"colour", "red"}} {
		p := Apply(&q, c[0], c[1], plats, now)
		if p == nil || p.In("zh") == "" || p.In("en") == "" || p.In("zh") == p.In("en") {
			t.Errorf("%s=%s: %+v", c[0], c[1], p)
		}
	}
	if _, p := Parse("since:2026-11-02 until:2026-11-01", plats, now); p == nil {
		t.Error("since after until is not a problem")
	}
	// Without a list of platforms, a name is taken as given.
	if p := Apply(&q, "platform", "Gamma", nil, now); p != nil || q.Platform != "gamma" {
		t.Errorf("no list: %+v %v", q, p)
	}
}
