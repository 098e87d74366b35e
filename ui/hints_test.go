package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

// A cashier types a full-width mobile (a Chinese input method left in
// full-width mode) or one spaced as it is read out, sees under the field the
// 11 digits that will be sent, and ctrl+s sends those digits: the real
// program against the sandbox, with the history checked afterwards.
func TestEndToEndNormalisedMobileHintAndSubmit(t *testing.T) {
	for _, typed := range []string{"１３４１１１１１１１１", "134 1111 1111", "+86 134-1111-1111"} {
		t.Run(typed, func(t *testing.T) {
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
			tm.Type(typed)
			waitScreen(t, tm, "→ sent as 13411111111")
			waitModel(t, tm, "the mobile as typed, without errors", func(m *Model) bool {
				fl := m.form.field("mobile")
				return m.form.valueOf("mobile") == typed && len(fl.base().errs) == 0
			})
			typeKeys(tm, "ctrl+s")
			waitScreen(t, tm, "every platform said ok")
			subs, err := e.st.List(context.Background(), store.Query{})
			if err != nil || len(subs) != 1 {
				t.Fatalf("history: %v, %d submissions", err, len(subs))
			}
			if got := subs[0].Customer.Mobile; got != "13411111111" {
				t.Errorf("history holds mobile %q, want the canonical 13411111111", got)
			}
			for _, p := range []string{sandbox.PathALSC, sandbox.PathYouzan, sandbox.PathNXLink} {
				if n := e.sb.Created(p); n != 1 {
					t.Errorf("%s created %d customers", p, n)
				}
			}
		})
	}
}

func TestHintsAndRefusalsAsTyped(t *testing.T) {
	e := newEnv(t)
	d := drive(t, e.model(t, "zh"), 80, 30)
	d.press("tab")
	d.typeText("134 1111 111")
	if errs := d.m.form.field("mobile").base().errs; len(errs) != 1 || !strings.Contains(errs[0], "这个有 10 位") {
		t.Fatalf("a 10-digit mobile: errors %q", errs)
	}
	if strings.Contains(d.screen(), "将发送") {
		t.Errorf("a hint for a refused value:\n%s", d.screen())
	}
	d.typeText("1")
	if errs := d.m.form.field("mobile").base().errs; len(errs) != 0 || !strings.Contains(d.screen(), "→ 将发送：13411111111") {
		t.Fatalf("errors %q; screen:\n%s", errs, d.screen())
	}
	d.focusOn("birthday")
	d.typeText("1990年1月2日")
	if !strings.Contains(d.screen(), "→ 将发送：1990-01-02") {
		t.Errorf("no birthday hint:\n%s", d.screen())
	}
	for _, k := range strings.Split(strings.Repeat("x", len([]rune("1990年1月2日"))), "") {
		_ = k
		d.press("backspace")
	}
	d.typeText("2030-01-01")
	if errs := d.m.form.field("birthday").base().errs; len(errs) != 1 || errs[0] != "生日不能在将来" {
		t.Errorf("a future birthday: errors %q", errs)
	}
	// Only trimming is no news: no hint.
	d.focusOn("name")
	d.typeText("王小二 ")
	if _, ok := d.m.form.hints["name"]; ok {
		t.Errorf("a hint for a trailing space")
	}
	// What is sent is the normalised customer.
	c, errs := d.m.form.customer()
	if c.Mobile != "13411111111" || c.Name != "王小二" || errs["birthday"] == "" {
		t.Errorf("customer %+v, errs %v", c, errs)
	}
}

// A placeholder in a telephone field is shown as what it becomes: nothing.
func TestHintOfAPlaceholder(t *testing.T) {
	e := newEnv(t)
	d := drive(t, e.model(t, "zh"), 80, 30)
	d.focusOn("phone")
	d.typeText("暂无")
	if errs := d.m.form.field("phone").base().errs; len(errs) != 0 || !strings.Contains(d.screen(), "→ 视为未填，不发送") {
		t.Fatalf("errors %q; screen:\n%s", errs, d.screen())
	}
	if c, _ := d.m.form.customer(); c.Phone != "" {
		t.Errorf("phone sent as %q", c.Phone)
	}
}
