package ui

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

// sandboxFaults drops the connection of the next n requests after they were
// read: the client sent them and gets no answer.
func sandboxFaults(n int) sandbox.Faults {
	return sandbox.Faults{Rate: 1, Kinds: []string{sandbox.FaultDrop}, Limit: n}
}

func TestResizeKeepsFocusedFieldAndCursorOnScreen(t *testing.T) {
	e := newEnv(t)
	d := drive(t, e.model(t, "zh"), 120, 40)
	d.focusOn("address")
	d.typeText("浙江省杭州市西湖区文三路 100 号")
	for _, sz := range [][2]int{{80, 24}, {64, 16}, {50, 12}, {200, 60}, {80, 24}} {
		d.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		v := d.m.View()
		lines := strings.Split(v.Content, "\n")
		if len(lines) != sz[1] {
			t.Errorf("%dx%d: %d lines", sz[0], sz[1], len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w != sz[0] {
				t.Errorf("%dx%d: line %d is %d wide", sz[0], sz[1], i, w)
			}
		}
		if v.Cursor == nil {
			t.Fatalf("%dx%d: the focused field is off screen", sz[0], sz[1])
		}
		if v.Cursor.X >= sz[0] || v.Cursor.Y >= sz[1]-2 || v.Cursor.Y < 1 {
			t.Errorf("%dx%d: cursor at %d,%d", sz[0], sz[1], v.Cursor.X, v.Cursor.Y)
		}
		if row := ansi.Strip(lines[v.Cursor.Y]); !strings.Contains(row, "详细地址") {
			t.Errorf("%dx%d: cursor row %q", sz[0], sz[1], row)
		}
	}
}

func TestHelpOpensAndCloses(t *testing.T) {
	e := newEnv(t)
	d := drive(t, e.model(t, "en"), 80, 24)
	d.typeText("a?")
	if d.value("name") != "a?" || d.m.showHelp {
		t.Fatalf("? in a text field must type: %q, help %v", d.value("name"), d.m.showHelp)
	}
	d.press("f1")
	if !strings.Contains(d.screen(), "History") || !strings.Contains(d.screen(), "dropped") {
		t.Errorf("full help:\n%s", d.screen())
	}
	d.press("x")
	if d.m.showHelp || d.value("name") != "a?" {
		t.Errorf("the key closing help went on to the form")
	}
	d.focusOn("gender")
	d.press("?")
	if !d.m.showHelp {
		t.Errorf("? on a choice did not open help")
	}
}

func TestHistoryPagesAndMouse(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	const n = 2*historyPage + 50
	subs := make([]*store.Submission, n)
	for i := range subs {
		subs[i] = &store.Submission{Customer: platforms.Customer{Name: fmt.Sprintf("c%03d", i), Mobile: "13411111111"},
			Platforms: []string{"alsc"}, Source: store.SourceImport, AllowDuplicate: true, Created: fixedNow.Add(time.Duration(i) * time.Second)}
	}
	if err := e.st.BeginMany(ctx, subs); err != nil {
		t.Fatal(err)
	}
	d := drive(t, e.model(t, "en"), 80, 24)
	d.settle()
	h := d.m.history
	if h.total != n || len(h.rows) < historyPage {
		t.Fatalf("loaded %d of %d", len(h.rows), h.total)
	}
	d.press("ctrl+o")
	for range 30 {
		d.press("pgdown")
		d.settle()
	}
	if len(h.rows) != n {
		t.Fatalf("after paging down, %d of %d rows loaded", len(h.rows), n)
	}
	if r := h.selected(); r == nil || r.name != "c000" {
		t.Errorf("the oldest is not last: %+v", r)
	}
	ids := map[int64]bool{}
	for _, r := range h.rows {
		if ids[r.id] {
			t.Fatalf("row %d twice", r.id)
		}
		ids[r.id] = true
	}

	// Mouse: a click selects a row, a second click opens it.
	d.press("home")
	x := d.m.formW + 3
	d.send(tea.MouseClickMsg{X: x, Y: d.m.bodyTop + 2 + 1, Button: tea.MouseLeft})
	if h.sel != 1 || d.m.focus != paneHistory {
		t.Fatalf("click selected %d", h.sel)
	}
	d.send(tea.MouseClickMsg{X: x, Y: d.m.bodyTop + 2 + 1, Button: tea.MouseLeft})
	d.settle()
	if d.m.focus != paneDetail || !strings.Contains(d.screen(), fmt.Sprintf("c%03d", n-2)) {
		t.Errorf("second click did not open the row:\n%s", d.screen())
	}
	d.press("esc")
	if d.m.focus != paneHistory {
		t.Errorf("esc from the entry went to %v", d.m.focus)
	}
	// A click in the form goes back to it.
	d.send(tea.MouseClickMsg{X: 5, Y: d.m.bodyTop + 3, Button: tea.MouseLeft})
	if d.m.focus != paneForm {
		t.Errorf("click in the form left focus on %v", d.m.focus)
	}
}

func TestNoColor(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	e := newEnv(t)
	colorRE := regexp.MustCompile(`\x1b\[[0-9;]*(38|48);`)
	color := newModel(Options{Platforms: e.ps, Lang: "en"}, nil, nil)
	plain := newModel(Options{Platforms: e.ps, Lang: "en", NoColor: true}, nil, nil)
	t.Setenv("NO_COLOR", "1")
	fromEnv := newModel(Options{Platforms: e.ps, Lang: "en"}, nil, nil)
	for _, m := range []*Model{color, plain, fromEnv} {
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
		m.Update(tea.KeyPressMsg{Code: 'x', Text: "x"})
	}
	if !colorRE.MatchString(color.View().Content) {
		t.Errorf("no colors by default")
	}
	for name, m := range map[string]*Model{"NoColor": plain, "NO_COLOR": fromEnv} {
		out := m.View().Content
		if colorRE.MatchString(out) {
			t.Errorf("%s: colors in the output", name)
		}
		// Focus and errors stay visible without color.
		if !strings.Contains(ansi.Strip(out), "› mobile") || !strings.Contains(ansi.Strip(out), "✗") {
			t.Errorf("%s: focus or error not visible:\n%s", name, ansi.Strip(out))
		}
	}
}

func TestDetailOfAHugeOrHostileAnswer(t *testing.T) {
	big := bytes.Repeat([]byte("x"), platforms.MaxResponseBytes)
	ex := platforms.Exchange{Platform: "youzan", Status: 200, Response: big, Truncated: true,
		Result: platforms.Result{Outcome: platforms.Failed, Code: "TOO_LARGE"}}
	v := newExchangeView("en", "Youzan", ex, 1)
	if !strings.Contains(v.modes[modePretty][0], "over 1 MiB") || !strings.Contains(v.modes[modeBytes][0], "over 1 MiB") {
		t.Errorf("no capped note: %q / %q", v.modes[modePretty][0], v.modes[modeBytes][0])
	}
	c := &common{lang: "en", st: newStyles(true), keys: newKeyMaps("en"), now: func() time.Time { return fixedNow }}
	d := newDetail(c, rowKey{id: 1}, false)
	d.SetSize(80, 20)
	d.setData(detailData{id: 1, views: []exchangeView{v}})
	d.Update(tea.KeyPressMsg{Code: 'v', Text: "v"})
	if out := strings.Join(d.View(), "\n"); !strings.Contains(out, "over 1 MiB") {
		t.Errorf("the capped note is not on screen:\n%s", out)
	}
	// Its speed is BenchmarkDetailHugeBody's to report, not a timed test's.

	hostile := platforms.Exchange{Platform: "alsc", Status: 200,
		Response: []byte("{\"a\":\"\x1b[2J\x1b]52;c;aGk=\x07\"}\n\xff\xfe\rtail"),
		Result:   platforms.Result{Outcome: platforms.Failed, Message: "bad \x1b[31mred"}}
	hv := newExchangeView("en", "Alibaba ALSC", hostile, 1)
	for mode, lines := range hv.modes {
		for _, l := range lines {
			if strings.ContainsAny(l, "\x1b\x07\r") {
				t.Errorf("mode %d passes a control character: %q", mode, l)
			}
		}
	}
	d.setData(detailData{id: 1, views: []exchangeView{hv}})
	for _, l := range d.View() {
		if strings.Contains(ansi.Strip(l), "\x1b") || strings.Contains(l, "\x1b[2J") {
			t.Errorf("the screen carries the body's escape: %q", l)
		}
	}
}

func TestHardWrap(t *testing.T) {
	got := hardWrap(nil, "abcdef王小二g", 4)
	want := []string{"abcd", "ef王", "小二", "g"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := hardWrap(nil, "", 4); len(got) != 1 || got[0] != "" {
		t.Errorf("empty line: %q", got)
	}
}

// A Youzan send whose answer was lost waits for a person: the entry says
// why, r sends again, d gives up; e loads the customer back into the form.
func TestEntryResendDropAndEdit(t *testing.T) {
	e := newEnv(t)
	e.sb.SetFaults(sandboxFaults(2))
	d := drive(t, e.model(t, "en"), 100, 30)
	d.focusOn("platform:alsc")
	d.press("space", "right")
	d.press("right", "space") // nxlink off: youzan only
	for _, c := range []struct{ name, mobile string }{{"Ann", "13411111111"}, {"Bob", "13411111112"}} {
		d.focusOn("name")
		d.typeText(c.name)
		d.press("tab")
		d.typeText(c.mobile)
		d.press("ctrl+s")
		d.settle()
		d.press("ctrl+x")
	}
	h := d.m.history
	for _, r := range h.rows {
		if r.states["youzan"] != string(platforms.Unknown) {
			t.Fatalf("%s: youzan %q, want unknown (answer lost)", r.name, r.states["youzan"])
		}
	}

	d.press("ctrl+o", "enter") // Bob, the newest
	d.settle()
	if !strings.Contains(d.screen(), "no idempotency key") || !strings.Contains(d.screen(), "r resend") {
		t.Fatalf("the entry does not explain the wait:\n%s", d.screen())
	}
	// Youzan may hold the member already: r asks first, and n sends nothing.
	d.press("r")
	if !strings.Contains(d.screen(), "Resend to Youzan (#") {
		t.Fatalf("r did not ask first:\n%s", d.screen())
	}
	d.press("n")
	d.settle()
	if n := e.sb.Created("/MemberCreateExtension"); n != 0 || h.rows[0].states["youzan"] != string(platforms.Unknown) {
		t.Fatalf("n resent: youzan created %d, row %q", n, h.rows[0].states["youzan"])
	}
	d.press("r", "y")
	d.settle()
	if r := h.rows[0]; r.states["youzan"] != "ok" {
		t.Errorf("after resend youzan is %q", r.states["youzan"])
	}
	if strings.Contains(d.screen(), "no idempotency key") {
		t.Errorf("the explanation stays after the resend succeeded")
	}
	if n := e.sb.Created("/MemberCreateExtension"); n != 1 {
		t.Errorf("youzan created %d", n)
	}

	d.press("esc", "down", "enter") // Ann
	d.settle()
	d.press("d")
	if !strings.Contains(d.screen(), "Drop Youzan (#") {
		t.Fatalf("d did not ask first:\n%s", d.screen())
	}
	d.press("y")
	d.settle()
	v, _ := d.m.detail.current()
	if v.awaits || !strings.Contains(d.screen(), "dropped Youzan") {
		t.Errorf("drop: awaits %v\n%s", v.awaits, d.screen())
	}
	sub, err := e.st.Get(context.Background(), h.rows[1].id)
	if err != nil || !sub.States["youzan"].Dropped {
		t.Errorf("the store does not hold the drop: %v %+v", err, sub.States["youzan"])
	}

	// Edit over unsent text asks for a second e.
	d.press("esc", "esc")
	d.typeText("Zed")
	d.press("ctrl+o", "home", "enter")
	d.settle()
	d.press("e")
	if d.m.focus != paneDetail || d.value("name") != "Zed" {
		t.Fatalf("e replaced unsent text without asking")
	}
	d.press("e")
	if d.m.focus != paneForm || d.value("name") != "Bob" || d.value("mobile") != "13411111112" {
		t.Errorf("edit loaded name %q mobile %q", d.value("name"), d.value("mobile"))
	}
	// Bob is created on Youzan now: the edit leaves it unticked and says so.
	d.settle()
	if got := d.m.form.selectedNames(); len(got) != 0 {
		t.Errorf("edit selected %v, want nothing (Youzan is created)", got)
	}
	if !strings.Contains(d.screen(), "already created, not sent again: Youzan #") {
		t.Errorf("no mark on the created platform:\n%s", d.screen())
	}
	if d.m.bound == nil || d.m.bound.id != h.rows[0].id {
		t.Errorf("the form is not bound to the entry: %+v", d.m.bound)
	}
}

func TestPlatformChoiceRememberedAcrossRuns(t *testing.T) {
	e := newEnv(t)
	m := New(Options{Platforms: e.ps, Dispatcher: e.disp, Store: e.st, Lang: "en"})
	m.timers = false
	d := drive(t, m, 80, 24)
	d.focusOn("platform:youzan")
	d.press("space")
	d.settle()
	// A crash now (no ctrl+c) must not lose the choice.
	m2 := New(Options{Platforms: e.ps, Dispatcher: e.disp, Store: e.st, Lang: "en"})
	if got := m2.form.selectedNames(); strings.Join(got, ",") != "alsc,nxlink" {
		t.Errorf("next start selects %v", got)
	}
}

func TestDraftSavedWhileTyping(t *testing.T) {
	e := newEnv(t)
	d := drive(t, e.model(t, "en"), 80, 24)
	d.typeText("王小二")
	// The draft timer fires for the latest version only.
	d.send(draftTickMsg{version: d.m.form.version - 1})
	d.settle()
	if _, ok, _ := e.st.LoadDraft(context.Background()); ok {
		t.Fatal("a stale timer saved a draft")
	}
	d.send(draftTickMsg{version: d.m.form.version})
	d.settle()
	draft, ok, err := e.st.LoadDraft(context.Background())
	if err != nil || !ok || draft.Customer.Name != "王小二" {
		t.Fatalf("draft %+v %v %v", draft, ok, err)
	}
	// Emptying the form clears it.
	d.press("ctrl+x")
	d.send(draftTickMsg{version: d.m.form.version})
	d.settle()
	if _, ok, _ := e.st.LoadDraft(context.Background()); ok {
		t.Error("an empty form left its draft")
	}
}
