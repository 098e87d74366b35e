package ui

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/alsc"
	"github.com/custdesk/custdesk/platforms/nxlink"
	"github.com/custdesk/custdesk/platforms/sandbox"
	"github.com/custdesk/custdesk/platforms/youzan"
)

var sizes = []struct {
	name string
	w, h int
}{{"60x20", 60, 20}, {"80x24", 80, 24}, {"120x40", 120, 40}}

// runGolden runs the model as a program at a size, lets script drive it, and
// compares the final screen (as text, with the real cursor's place) with
// testdata/<test name>.golden. `go test ./ui -update` rewrites them.
func runGolden(t *testing.T, m *Model, w, h int, script func(tm *teatest.TestModel)) {
	t.Helper()
	t.Cleanup(m.stop)
	tm := teatest.NewTestModel(t, probed{m}, teatest.WithInitialTermSize(w, h))
	script(tm)
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(probed)
	golden.RequireEqual(t, screenText(final.Model))
}

// probed lets a test look at the model from inside the program's loop, where
// reading it cannot race with Update.
type probed struct{ *Model }

type probeMsg struct {
	fn    func(*Model) bool
	reply chan bool
}

func (p probed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if pr, ok := msg.(probeMsg); ok {
		pr.reply <- pr.fn(p.Model)
		return p, nil
	}
	_, cmd := p.Model.Update(msg)
	return p, cmd
}

// waitModel waits until cond holds for the running model.
func waitModel(t *testing.T, tm *teatest.TestModel, what string, cond func(*Model) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		reply := make(chan bool, 1)
		tm.Send(probeMsg{fn: cond, reply: reply})
		select {
		case ok := <-reply:
			if ok {
				return
			}
		case <-time.After(time.Second):
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// screenText is the screen without styling, each line trimmed on the right,
// and where the real cursor is.
func screenText(m *Model) string {
	v := m.View()
	lines := strings.Split(ansi.Strip(v.Content), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	cursor := "cursor: hidden"
	if v.Cursor != nil {
		cursor = fmt.Sprintf("cursor: column %d, row %d", v.Cursor.X, v.Cursor.Y)
	}
	return strings.Join(lines, "\n") + "\n" + cursor + "\n"
}

// waitScreen waits until the model's screen shows want.
func waitScreen(t *testing.T, tm *teatest.TestModel, want string) {
	t.Helper()
	waitModel(t, tm, fmt.Sprintf("%q on screen", want), func(m *Model) bool {
		return strings.Contains(screenText(m), want)
	})
}

func typeKeys(tm *teatest.TestModel, keys ...string) {
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
}

func TestGoldenEmptyForm(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		for _, sz := range sizes {
			t.Run(lang+"_"+sz.name, func(t *testing.T) {
				e := newEnv(t)
				m := e.model(t, lang)
				m.header.sandbox = "http://127.0.0.1:8080"
				runGolden(t, m, sz.w, sz.h, func(tm *teatest.TestModel) {
					waitScreen(t, tm, "ctrl+s")
				})
			})
		}
	}
}

// A Chinese name and a bad mobile, for every platform alone and all together:
// each message names the platforms whose rule fails.
func TestGoldenLiveErrors(t *testing.T) {
	selections := [][]string{{"alsc"}, {"youzan"}, {"nxlink"}, {"alsc", "youzan", "nxlink"}}
	for _, sel := range selections {
		for _, sz := range sizes {
			t.Run(strings.Join(sel, "+")+"_"+sz.name, func(t *testing.T) {
				e := newEnv(t)
				m := e.model(t, "en")
				m.form.selectPlatforms(sel)
				runGolden(t, m, sz.w, sz.h, func(tm *teatest.TestModel) {
					tm.Type("王小二")
					typeKeys(tm, "tab")
					tm.Type("1341111x")
					typeKeys(tm, "tab", "tab")
					tm.Type("1990-02-30")
					waitScreen(t, tm, "no such")
				})
			})
		}
	}
}

func TestGoldenLiveErrorsChinese(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			e := newEnv(t)
			m := e.model(t, "zh")
			runGolden(t, m, sz.w, sz.h, func(tm *teatest.TestModel) {
				tm.Type("王小二")
				typeKeys(tm, "tab")
				tm.Type("1341111x")
				typeKeys(tm, "tab", "tab", "tab", "tab", "tab", "tab")
				tm.Type("not-an-email")
				waitScreen(t, tm, "邮箱格式")
			})
		})
	}
}

func TestGoldenSubmitInFlight(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			e := newEnv(t)
			e.sb.SetFaults(sandbox.Faults{Latency: time.Minute})
			e.clock = fixedNow
			m := e.model(t, "en")
			runGolden(t, m, sz.w, sz.h, func(tm *teatest.TestModel) {
				tm.Type("王小二")
				typeKeys(tm, "tab")
				tm.Type("13411111111")
				typeKeys(tm, "ctrl+s")
				// Written ahead and on its way: the row is in the history.
				waitModel(t, tm, "the submission planned", func(m *Model) bool { return m.subs.len() > 0 && m.subs.list[0].planned })
				waitScreen(t, tm, "ctrl+g cancel sends")
			})
		})
	}
}

// seedHistory writes four past submissions, one per outcome, with answers
// taken from the platforms' documentation pages and requests built by the
// real clients at a fixed time.
func seedHistory(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	ps, err := config.Sandbox("http://sandbox.test").Build()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]platforms.Platform{}
	for _, p := range ps {
		byName[p.Name()] = p
	}
	body := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", "bodies", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	parsers := map[string]func([]byte) platforms.Result{"alsc": alsc.Parse, "youzan": youzan.Parse, "nxlink": nxlink.Parse}
	type answer struct {
		status int
		file   string
	}
	seeds := []struct {
		c       platforms.Customer
		at      time.Time
		answers map[string]answer
	}{
		{platforms.Customer{Name: "王小二", Mobile: "13411111111", Address: "浙江省杭州市西湖区"}, fixedNow.Add(-5 * time.Hour),
			map[string]answer{"alsc": {200, "alsc_success.json"}, "youzan": {200, "youzan_success.json"}, "nxlink": {200, "nxlink_success.json"}}},
		{platforms.Customer{Name: "Lena Müller", Mobile: "+4915112345678", Email: "lena@example.com"}, fixedNow.Add(-4 * time.Hour),
			map[string]answer{"alsc": {200, "alsc_success.json"}, "nxlink": {200, "nxlink_partial.json"}}},
		{platforms.Customer{Name: "李雷", Mobile: "13800138000"}, fixedNow.Add(-3 * time.Hour),
			map[string]answer{"alsc": {200, "alsc_error.json"}, "youzan": {200, "youzan_param_error.json"}, "nxlink": {200, "nxlink_failure.json"}}},
		{platforms.Customer{Name: "Ann Lee", Mobile: "+852-12344567"}, fixedNow.Add(-26 * time.Hour),
			map[string]answer{"alsc": {200, "alsc_success.json"}, "youzan": {502, "youzan_502.html"}}},
	}
	for i, s := range seeds {
		var names []string
		for _, p := range ps {
			if _, ok := s.answers[p.Name()]; ok {
				names = append(names, p.Name())
			}
		}
		sub := &store.Submission{RequestID: fmt.Sprintf("req-%04d", i+1), Customer: s.c, Platforms: names,
			Source: store.SourceConsole, Created: s.at, AllowDuplicate: true}
		if err := e.st.Begin(ctx, sub); err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			a := s.answers[name]
			_, trace, err := byName[name].Build(platforms.Submission{RequestID: sub.RequestID, Customers: []platforms.Customer{s.c}, Time: s.at})
			if err != nil {
				t.Fatal(err)
			}
			raw := body(a.file)
			h := http.Header{"Content-Type": {"application/json;charset=UTF-8"}}
			r := parsers[name](raw)
			if a.status >= 500 {
				h.Set("Content-Type", "text/html")
				r = platforms.Result{Outcome: platforms.Failed, Code: fmt.Sprintf("HTTP %d", a.status), Retryable: true,
					Message: platforms.Describe(a.status, h, raw)}
			}
			ex := platforms.Exchange{Platform: name, RequestID: sub.RequestID, Request: trace, Status: a.status,
				ResponseHeaders: map[string]string{"Content-Type": h.Get("Content-Type")}, Response: raw,
				Started: s.at, FirstByte: 41 * time.Millisecond, Duration: 43 * time.Millisecond, Result: r}
			if _, err := e.st.Record(ctx, sub.ID, ex); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestGoldenHistory(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			e := newEnv(t)
			seedHistory(t, e)
			m := e.model(t, "en")
			runGolden(t, m, sz.w, sz.h, func(tm *teatest.TestModel) {
				typeKeys(tm, "ctrl+o")
				waitScreen(t, tm, "Ann Lee")
				waitScreen(t, tm, "1 need you") // the queue's counts come in their own read
			})
		})
	}
}

// The oldest entry (all ok) opened: the normalised result beside the raw
// answer, then the request as sent, then the signed string.
func TestGoldenDetail(t *testing.T) {
	steps := []struct {
		name string
		keys []string
		want string
	}{
		{"response", nil, "response (pretty)"},
		{"bytes", []string{"v"}, "response bytes"},
		{"request", []string{"v", "v"}, "request as sent"},
		{"signed", []string{"v", "v", "v"}, "signed string"},
	}
	for _, sz := range sizes {
		for _, step := range steps {
			t.Run(step.name+"_"+sz.name, func(t *testing.T) {
				e := newEnv(t)
				seedHistory(t, e)
				m := e.model(t, "en")
				runGolden(t, m, sz.w, sz.h, func(tm *teatest.TestModel) {
					typeKeys(tm, "ctrl+o", "end", "enter")
					waitScreen(t, tm, "20193846534522344567")
					typeKeys(tm, step.keys...)
					waitScreen(t, tm, step.want)
				})
			})
		}
	}
}

// The partial entry on its NXLink tab: per-item verdicts beside the answer.
func TestGoldenDetailPartial(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			e := newEnv(t)
			seedHistory(t, e)
			m := e.model(t, "zh")
			runGolden(t, m, sz.w, sz.h, func(tm *teatest.TestModel) {
				typeKeys(tm, "ctrl+o", "down", "down", "enter")
				waitScreen(t, tm, "Lena")
				typeKeys(tm, "tab")
				waitScreen(t, tm, "12148")
			})
		})
	}
}

// With color: the styles render, and the text is the same as without.
func TestGoldenColor(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	e := newEnv(t)
	m := newModel(Options{Platforms: e.ps, Lang: "en"}, e.disp, e.st)
	m.timers = false
	m.c.now = func() time.Time { return fixedNow }
	tm := teatest.NewTestModel(t, probed{m}, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(m.stop)
	tm.Type("王小二")
	typeKeys(tm, "tab")
	tm.Type("1341111x")
	waitScreen(t, tm, "1341111x")
	_ = tm.Quit()
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(probed)
	out := final.View().Content
	if !strings.Contains(out, "\x1b[") {
		t.Fatal("no styling with colors on")
	}
	golden.RequireEqual(t, out)
}
