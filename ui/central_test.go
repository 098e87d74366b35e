package ui

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// The header shows the central store's status from the provider and
// follows it as it changes, on the real program's clock.
func TestHeaderShowsCentralStatus(t *testing.T) {
	e := newEnv(t)
	var status atomic.Value
	status.Store("central: 3 behind")
	m := New(Options{Platforms: e.ps, Dispatcher: e.disp, Store: e.st, Lang: "en",
		Central: func() string { return status.Load().(string) }})
	tm := teatest.NewTestModel(t, probed{m}, teatest.WithInitialTermSize(100, 24))
	t.Cleanup(func() { _ = tm.Quit() })
	waitScreen(t, tm, "central: 3 behind")
	status.Store("central: unreachable since 14:02")
	waitScreen(t, tm, "central: unreachable since 14:02")
}

// The duplicate guard shows where the chain's other stores enrolled the
// member, and says so when it could only check this terminal.
func TestGuardShowsOtherStoresAndLocalOnly(t *testing.T) {
	e := newEnv(t)
	var down atomic.Bool
	lookup := func(ctx context.Context, member string) ([]Elsewhere, error) {
		if down.Load() {
			return nil, errors.New("central store unreachable")
		}
		if member != store.MemberKey(platforms.Customer{Mobile: "13477777777"}) {
			return nil, nil
		}
		at := time.Date(2026, 11, 3, 14, 2, 0, 0, time.Local)
		// Not in the checkboxes' order: the note puts them in it.
		return []Elsewhere{{Terminal: "store-007/pos-2", Store: "store-007", Platform: "youzan", Created: at},
			{Terminal: "store-007/pos-1", Store: "store-007", Platform: "alsc", Created: at}}, nil
	}
	for _, lang := range []string{"zh", "en"} {
		down.Store(false)
		m := New(Options{Platforms: e.ps, Dispatcher: e.disp, Store: e.st, Lang: lang, Elsewhere: lookup})
		tm := teatest.NewTestModel(t, probed{m}, teatest.WithInitialTermSize(100, 30))
		tm.Type("王小二")
		typeKeys(tm, "tab")
		tm.Type("13477777777")
		want := map[string]string{"zh": "已在 store-007 登记 11-03 · ", "en": "enrolled at store-007 on 11-03 · "}[lang]
		waitScreen(t, tm, want)
		// (wrapped below it at this width)
		waitScreen(t, tm, map[string]string{"zh": "阿里本地生活、有赞", "en": "Alibaba ALSC, Youzan"}[lang])
		down.Store(true)
		typeKeys(tm, "backspace")
		tm.Type("6")
		waitScreen(t, tm, map[string]string{"zh": "仅查了本机", "en": "checked on this terminal only"}[lang])
		_ = tm.Quit()
	}
}

// What the central store says (another store's name in the guard, the
// replicator's status quoting a server's error) is shown sanitised: an
// escape sequence from PostgreSQL never reaches the terminal.
func TestCentralTextIsSanitised(t *testing.T) {
	e := newEnv(t)
	const evil = "store-\x1b]52;c;cHduZWQ=\x07666\x1b[2J"
	lookup := func(ctx context.Context, member string) ([]Elsewhere, error) {
		return []Elsewhere{{Terminal: evil + "/pos-1", Store: evil, Platform: "evil\x1b[31m", Created: time.Now()}}, nil
	}
	m := newModel(Options{Platforms: e.ps, Lang: "en", NoColor: true, Elsewhere: lookup}, clockSender{e.disp, e.clock}, e.st)
	m.timers = false
	d := drive(t, m, 100, 30)
	d.settle()
	d.send(centralMsg("central: error, " + evil))
	d.typeText("王小二")
	d.press("tab")
	d.typeText("13477777777")
	d.until(func(msg tea.Msg) bool { _, ok := msg.(elsewhereMsg); return ok })
	view := m.View().Content
	for _, raw := range []string{"\x07", "\x1b]52;", "\x1b[2J", "\x1b[31m"} {
		if strings.Contains(view, raw) {
			t.Fatalf("%q from the central store reached the screen:\n%q", raw, view)
		}
	}
	plain := ansi.Strip(view)
	// Shown, with its escapes made visible: in the status and in the guard.
	if !strings.Contains(plain, "enrolled at") || strings.Count(plain, `store-\x1b]52;c;`) != 2 {
		t.Fatalf("the other store or the status is not shown:\n%s", plain)
	}
}

// The chain is asked about a member when the cashier types one, not again
// after each platform's answer: those change this terminal's history only.
func TestSendsDoNotAskTheChainAgain(t *testing.T) {
	e := newEnv(t)
	var calls atomic.Int32
	lookup := func(ctx context.Context, member string) ([]Elsewhere, error) {
		calls.Add(1)
		return nil, nil
	}
	m := newModel(Options{Platforms: e.ps, Lang: "en", NoColor: true, Elsewhere: lookup}, clockSender{e.disp, e.clock}, e.st)
	m.timers = false
	d := drive(t, m, 100, 30)
	d.settle()
	d.enter("王小二", "13477777778")
	d.settle()
	asked := calls.Load()
	if asked == 0 {
		t.Fatal("the chain was not asked about the member typed")
	}
	d.press("ctrl+s")
	d.settle()
	if !strings.Contains(d.statusLine(), "every platform said ok") {
		t.Fatalf("the submit did not go through: %q", d.statusLine())
	}
	if n := calls.Load(); n != asked {
		t.Errorf("the chain was asked %d more times during the submit", n-asked)
	}
}
