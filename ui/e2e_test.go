package ui

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

// The console as a cashier uses it, built by New from the same Options
// cmd/custdesk passes, against the real sandbox server: type 王小二, tab,
// 13411111111, ctrl+s; open the history row; read each platform's customer ID
// on screen and check it is the one the platform created.
func TestEndToEndSubmitAndReadIDs(t *testing.T) {
	e := newEnv(t)
	m := New(Options{Platforms: e.ps, Dispatcher: e.disp, Store: e.st, Lang: "en", Sandbox: e.sb.URL})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	m.background(ctx, e.disp)
	tm := teatest.NewTestModel(t, probed{m}, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { _ = tm.Quit() })

	waitScreen(t, tm, "SANDBOX")
	tm.Type("王小二")
	typeKeys(tm, "tab")
	tm.Type("13411111111")
	typeKeys(tm, "ctrl+s")
	waitScreen(t, tm, "every platform said ok")
	waitModel(t, tm, "an empty form for the next customer", func(m *Model) bool {
		return m.form.empty() && m.form.focused().base().spec.key == "name"
	})
	waitScreen(t, tm, "✓ ✓ ✓")

	for _, p := range []string{sandbox.PathALSC, sandbox.PathYouzan, sandbox.PathNXLink} {
		if n := e.sb.Created(p); n != 1 {
			t.Errorf("%s created %d customers", p, n)
		}
	}
	subs, err := e.st.List(context.Background(), store.Query{})
	if err != nil || len(subs) != 1 {
		t.Fatalf("history: %v, %d submissions", err, len(subs))
	}
	sub := subs[0]

	typeKeys(tm, "ctrl+o", "enter")
	idRE := regexp.MustCompile(`customer ID\s+(\S+)`)
	for i, name := range []string{"alsc", "youzan", "nxlink"} {
		if i > 0 {
			typeKeys(tm, "tab")
		}
		want := sub.States[name].Result.CustomerIDs
		if len(want) != 1 || want[0] == "" {
			t.Fatalf("%s recorded IDs %q", name, want)
		}
		waitScreen(t, tm, want[0])
		var screen string
		waitModel(t, tm, "the screen", func(m *Model) bool { screen = screenText(m); return true })
		got := idRE.FindStringSubmatch(screen)
		if got == nil || got[1] != want[0] {
			t.Errorf("%s: ID on screen %q, recorded %q\n%s", name, got, want, screen)
		}
		if !strings.Contains(screen, "王小二") || !strings.Contains(screen, "outcome     ok") {
			t.Errorf("%s detail:\n%s", name, screen)
		}
		if regexp.MustCompile(`duration\s+0\.0ms`).MatchString(screen) {
			t.Errorf("%s: the exchange has no duration", name)
		}
	}
	// The raw answer sits beside the result, and the secrets stay masked in
	// the request as sent.
	typeKeys(tm, "v", "v")
	waitScreen(t, tm, "request as sent")
	waitModel(t, tm, "the request", func(m *Model) bool {
		s := screenText(m)
		return strings.Contains(s, "accessKey") && !strings.Contains(s, sandbox.DemoNXLinkSecret)
	})
}

// Offline: the sandbox is down while a customer is entered; the send is
// queued; the console keeps working; when the sandbox comes back on the same
// address, the background retries deliver it and the row turns ok with no
// action from the cashier.
func TestEndToEndOfflineRetriedInBackground(t *testing.T) {
	sb, err := sandbox.Start(sandbox.Demo(), "")
	if err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimPrefix(sb.URL, "http://")
	ps, err := config.Sandbox(sb.URL).Build()
	if err != nil {
		t.Fatal(err)
	}
	_ = sb.Close()

	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	disp := dispatch.New(st, ps, dispatch.Options{Backoff: func(int) time.Duration { return 100 * time.Millisecond }, Poll: 50 * time.Millisecond})
	m := New(Options{Platforms: ps, Dispatcher: disp, Store: st, Lang: "en"})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	m.background(ctx, disp)
	tm := teatest.NewTestModel(t, probed{m}, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { _ = tm.Quit() })

	tm.Type("王小二")
	typeKeys(tm, "tab")
	tm.Type("13411111111")
	typeKeys(tm, "ctrl+s")
	waitScreen(t, tm, "not every platform said ok")
	waitScreen(t, tm, "queued for retry")
	// Typing goes on while the queue waits.
	tm.Type("x")
	waitModel(t, tm, "the typed x", func(m *Model) bool { return m.form.valueOf("mobile") == "13411111111x" })

	sb2, err := sandbox.Start(sandbox.Demo(), addr)
	if err != nil {
		t.Fatalf("restart the sandbox on %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = sb2.Close() })
	waitModel(t, tm, "the row to turn ok on every platform", func(m *Model) bool {
		r := m.history.selected()
		return r != nil && r.states["alsc"] == "ok" && r.states["youzan"] == "ok" && r.states["nxlink"] == "ok"
	})
	waitModel(t, tm, "the queue to empty", func(m *Model) bool { return m.header.stats.Queued == 0 })
	for _, p := range []string{sandbox.PathALSC, sandbox.PathYouzan, sandbox.PathNXLink} {
		if n := sb2.Created(p); n != 1 {
			t.Errorf("%s created %d customers", p, n)
		}
	}
	waitModel(t, tm, "the form untouched", func(m *Model) bool {
		return m.form.valueOf("mobile") == "13411111111x" && m.form.focused().base().spec.key == "mobile"
	})
	sub, err := st.List(context.Background(), store.Query{})
	if err != nil || len(sub) != 1 || !slices.Equal(sub[0].Platforms, []string{"alsc", "youzan", "nxlink"}) {
		t.Fatalf("history %v %+v", err, sub)
	}
	if o := sub[0].Outcome(); o != platforms.OK {
		t.Errorf("submission outcome %q", o)
	}
}
