package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// An entry lists every attempt of a platform (time, outcome, duration) and
// [ ] open any of them; each shows its own answer and phases.
func TestEntryListsEveryAttempt(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := e.ps[0].Name()
	sub := &store.Submission{Platforms: []string{name}, Source: store.SourceConsole, Created: fixedNow,
		Customer: platforms.Customer{Name: "王小二", Mobile: "13411111111"}}
	if err := e.st.Begin(ctx, sub); err != nil {
		t.Fatal(err)
	}
	first := platforms.Exchange{Platform: name, Started: fixedNow.Add(-time.Minute), Duration: 5 * time.Second, Error: "EOF",
		Result: platforms.Result{Outcome: platforms.Failed, Code: "CONN_LOST", Message: "connection lost after sending (EOF); the platform may have applied it"}}
	second := platforms.Exchange{Platform: name, Started: fixedNow, Duration: 40 * time.Millisecond, Status: 200,
		Response: []byte(`{"second":true}`), Phases: platforms.Phases{Connect: time.Millisecond, Wait: 30 * time.Millisecond, Body: 2 * time.Millisecond},
		Result: platforms.Result{Outcome: platforms.OK, CustomerIDs: []string{"C-2"}}}
	for _, ex := range []platforms.Exchange{first, second} {
		if _, err := e.st.StartAttempt(ctx, sub.ID, name); err != nil {
			t.Fatal(err)
		}
		if _, err := e.st.Record(ctx, sub.ID, ex); err != nil {
			t.Fatal(err)
		}
	}
	m := e.model(t, "zh")
	d := drive(t, m, 120, 30)
	d.settle()
	d.press("ctrl+o", "enter")
	d.settle()
	s := d.screen()
	for _, want := range []string{"各次尝试", "#1 03-14 15:08:26 失败 5.0s", "› #2 03-14 15:09:26 成功 40ms", "连接\u00a01.0ms · 等待\u00a030ms · 正文\u00a02.0ms", `"second": true`} {
		if !strings.Contains(s, want) {
			t.Errorf("no %q:\n%s", want, s)
		}
	}
	d.press("[")
	s = d.screen()
	for _, want := range []string{"› #1", "发送后连接中断（EOF）；平台可能已处理", "失败"} {
		if !strings.Contains(s, want) {
			t.Errorf("the first attempt: no %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, `"second"`) {
		t.Errorf("the first attempt shows the second's answer:\n%s", s)
	}
}
