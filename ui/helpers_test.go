package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

// fixedNow is the clock of every test screen.
var fixedNow = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

// env is a console over the real data layer: the sandbox on loopback, the
// three real platform clients, a store in a temporary directory and the
// dispatcher.
type env struct {
	sb    *sandbox.Running
	ps    []platforms.Platform
	st    *store.Store
	disp  *dispatch.Dispatcher
	dir   string
	clock time.Time
}

func newEnv(t testing.TB) *env {
	t.Helper()
	sb, err := sandbox.Start(sandbox.Demo(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	ps, err := config.Sandbox(sb.URL).Build()
	if err != nil {
		t.Fatal(err)
	}
	e := &env{sb: sb, ps: ps, dir: t.TempDir()}
	e.open(t)
	return e
}

func (e *env) open(t testing.TB) {
	t.Helper()
	st, err := store.Open(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	e.st = st
	e.disp = dispatch.New(st, e.ps, dispatch.Options{Backoff: func(int) time.Duration { return time.Hour }})
}

// model builds a console the way New does, with timers off and the test clock.
func (e *env) model(t testing.TB, lang string) *Model {
	t.Helper()
	m := newModel(Options{Platforms: e.ps, Lang: lang, NoColor: true}, clockSender{e.disp, e.clock}, e.st)
	m.timers = false
	m.c.now = func() time.Time { return fixedNow }
	return m
}

// clockSender stamps submissions with a fixed creation time when the test
// asks for one, so history rows on golden screens do not show the real clock.
type clockSender struct {
	*dispatch.Dispatcher
	at time.Time
}

func (c clockSender) Enrol(ctx context.Context, req dispatch.EnrolRequest) (dispatch.EnrolPlan, error) {
	plan, err := c.Dispatcher.Enrol(ctx, req)
	if !c.at.IsZero() {
		plan.Submission.Created = c.at
	}
	return plan, err
}

// driver runs a model the way a tea.Program does, but synchronously enough
// for Update-level tests: commands run in goroutines and their messages are
// fed back to Update by settle.
type driver struct {
	t       testing.TB
	m       *Model
	msgs    chan tea.Msg
	pending int
}

func drive(t testing.TB, m *Model, w, h int) *driver {
	d := &driver{t: t, m: m, msgs: make(chan tea.Msg, 64)}
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.run(m.Init())
	return d
}

func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	d.pending++
	go func() { d.msgs <- cmd() }()
}

// send delivers msg to Update and runs what it returns, without waiting.
func (d *driver) send(msg tea.Msg) {
	_, cmd := d.m.Update(msg)
	d.run(cmd)
}

// settle feeds command results back until nothing is outstanding.
func (d *driver) settle() {
	d.t.Helper()
	for d.pending > 0 {
		select {
		case msg := <-d.msgs:
			d.pending--
			d.deliver(msg)
		case <-time.After(10 * time.Second):
			d.t.Fatalf("commands still outstanding after 10s: %d", d.pending)
		}
	}
}

// step delivers the next command result only (to test what happens between).
func (d *driver) step() tea.Msg {
	d.t.Helper()
	select {
	case msg := <-d.msgs:
		d.pending--
		d.deliver(msg)
		return msg
	case <-time.After(10 * time.Second):
		d.t.Fatal("no command result after 10s")
	}
	return nil
}

// until delivers command results until one satisfies ok.
func (d *driver) until(ok func(tea.Msg) bool) {
	d.t.Helper()
	for {
		if ok(d.step()) {
			return
		}
	}
}

func (d *driver) deliver(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
	case tea.QuitMsg:
	default:
		d.send(msg)
	}
}

// enter types a member's name and mobile into a fresh form.
func (d *driver) enter(name, mobile string) {
	d.typeText(name)
	d.press("tab")
	d.typeText(mobile)
}

func (d *driver) typeText(s string) {
	for _, r := range s {
		d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func (d *driver) press(keys ...string) {
	for _, k := range keys {
		d.send(keyMsg(k))
	}
}

// keyMsg builds the key press whose String() is k ("tab", "ctrl+s", "a").
func keyMsg(k string) tea.KeyPressMsg {
	special := map[string]tea.KeyPressMsg{
		"tab":       {Code: tea.KeyTab},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
		"enter":     {Code: tea.KeyEnter},
		"esc":       {Code: tea.KeyEscape},
		"space":     {Code: tea.KeySpace, Text: " "},
		"backspace": {Code: tea.KeyBackspace},
		"up":        {Code: tea.KeyUp},
		"down":      {Code: tea.KeyDown},
		"left":      {Code: tea.KeyLeft},
		"right":     {Code: tea.KeyRight},
		"pgdown":    {Code: tea.KeyPgDown},
		"pgup":      {Code: tea.KeyPgUp},
		"f1":        {Code: tea.KeyF1},
	}
	if km, ok := special[k]; ok {
		return km
	}
	if strings.HasPrefix(k, "ctrl+") {
		return tea.KeyPressMsg{Code: rune(k[len("ctrl+")]), Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// screen is the view as plain text.
func (d *driver) screen() string { return ansi.Strip(d.m.View().Content) }

func (d *driver) focusKey() string { return d.m.form.focused().base().spec.key }

func (d *driver) value(key string) string { return d.m.form.valueOf(key) }

// focusOn moves the focus to a field by tabbing, as a person would.
func (d *driver) focusOn(key string) {
	d.t.Helper()
	for range len(d.m.form.fields) {
		if d.focusKey() == key {
			return
		}
		d.press("tab")
	}
	d.t.Fatalf("tab never reached %s", key)
}

// statusText is the status line as the user sees it over the focused pane.
func statusText(m *Model) string { return ansi.Strip(m.status.line(m.focus)) }
