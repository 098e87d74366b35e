package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

func TestParseSearch(t *testing.T) {
	plats := []platInfo{{"alsc", "Alibaba ALSC"}, {"youzan", "Youzan"}, {"nxlink", "NXLink"}}
	loc := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 11, 15, 10, 30, 0, 0, loc)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	ok := []struct {
		line string
		want store.Query
	}{
		{"", store.Query{}},
		{"  wang   13411111111 ", store.Query{Text: "wang 13411111111"}},
		{"王 platform:nxlink outcome:failed since:2026-11-01 until:2026-11-30",
			store.Query{Text: "王", Platform: "nxlink", Outcome: platforms.Failed, Since: day(2026, 11, 1), Until: day(2026, 12, 1)}},
		{"platform:NX outcome:fail", store.Query{Platform: "nxlink", Outcome: platforms.Failed}},
		{"platform:you", store.Query{Platform: "youzan"}},
		{"平台：alsc 结果:失败", store.Query{Platform: "alsc", Outcome: platforms.Failed}},
		{"outcome:pending", store.Query{Outcome: store.OutcomePending}},
		{"outcome:未完成", store.Query{Outcome: store.OutcomePending}},
		{"outcome:ok", store.Query{Outcome: platforms.OK}},
		{"从:today", store.Query{Since: day(2026, 11, 15)}},
		{"since:yesterday until:yesterday", store.Query{Since: day(2026, 11, 14), Until: day(2026, 11, 15)}},
		{"since:7d", store.Query{Since: now.AddDate(0, 0, -7)}},
		{"since:24h until:90m", store.Query{Since: now.Add(-24 * time.Hour), Until: now.Add(-90 * time.Minute)}},
		// A key typed but not its value yet is ignored, so typing goes on.
		{"ann platform:", store.Query{Text: "ann"}},
		{"ann outcome：", store.Query{Text: "ann"}},
		// Not a filter: words to look for.
		{"15:04 note:x", store.Query{Text: "15:04 note:x"}},
		{"platform:alsc platform:alsc", store.Query{Platform: "alsc"}},
	}
	for _, c := range ok {
		got, problem := parseSearch(c.line, plats, now)
		if problem != nil {
			t.Errorf("%q: problem %q", c.line, problem.en)
			continue
		}
		if got.Text != c.want.Text || got.Platform != c.want.Platform || got.Outcome != c.want.Outcome ||
			!got.Since.Equal(c.want.Since) || !got.Until.Equal(c.want.Until) {
			t.Errorf("%q:\n got %+v\nwant %+v", c.line, got, c.want)
		}
	}
	bad := map[string]string{
		"platform:foo":                          "platform \"foo\"",
		"outcome:p":                             "outcome \"p\"", // partial or pending
		"outcome:done":                          "outcome \"done\"",
		"since:2026-13-01":                      "date \"2026-13-01\"",
		"until:2026-11":                         "date \"2026-11\"",
		"since:-3d":                             "date \"-3d\"",
		"platform:alsc platform:youzan":         "one platform",
		"since:2026-11-30 until:2026-11-01":     "since is not before until",
		"wang since:2026-11-02 until:2026-11-1": "date \"2026-11-1\"",
	}
	for line, want := range bad {
		_, problem := parseSearch(line, plats, now)
		if problem == nil || !strings.Contains(problem.en, want) || problem.zh == "" {
			t.Errorf("%q: problem %v, want one saying %q", line, problem, want)
		}
	}
}

// searchRows is the names the pane shows, in order.
func searchRows(m *Model) []string {
	var names []string
	for _, r := range m.history.rows {
		names = append(names, r.name)
	}
	return names
}

func storeNames(t *testing.T, st *store.Store, q store.Query) []string {
	t.Helper()
	subs, err := st.List(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range subs {
		names = append(names, s.Customer.Name)
	}
	return names
}

// Typing in the search line filters the rows once typing pauses: each
// keystroke only edits the line, the query runs in a command after the
// pause, the title counts the matches, and esc brings the whole history
// back with the same row selected.
func TestSearchAsTyped(t *testing.T) {
	e := newEnv(t)
	seedHistory(t, e)
	d := drive(t, e.model(t, "en"), 120, 40)
	d.settle()
	all := searchRows(d.m)
	if len(all) != 4 {
		t.Fatalf("history %v", all)
	}
	d.press("ctrl+o", "/")
	if !d.m.history.searching() || !strings.Contains(d.screen(), "/ name, mobile, ID") {
		t.Fatalf("/ did not open the search line:\n%s", d.screen())
	}
	if !strings.Contains(d.screen(), "e.g. wang platform:nxlink outcome:failed since:2026-11-01 until:2026-11-30") {
		t.Errorf("no syntax hint while typing:\n%s", d.screen())
	}
	if v := d.m.View(); v.Cursor == nil || v.Cursor.Y != d.m.bodyTop+1 || v.Cursor.X != d.m.formW+2 {
		t.Errorf("cursor %+v, want on the search line", v.Cursor)
	}
	d.typeText("李雷")
	// Nothing ran yet: the keystrokes only edited the line.
	if got := searchRows(d.m); !slices.Equal(got, all) {
		t.Fatalf("rows changed before the pause: %v", got)
	}
	d.settle()
	if got := searchRows(d.m); !slices.Equal(got, []string{"李雷"}) {
		t.Fatalf("李雷 found %v", got)
	}
	if !strings.Contains(d.screen(), "History (1 found)") {
		t.Errorf("the title does not count the matches:\n%s", d.screen())
	}

	cases := []struct{ line, want string }{
		{"outcome:failed", "Ann Lee"},
		{"outcome:rejected", "李雷"},
		{"outcome:partial", "Lena Müller"},
		{"platform:nxlink", "李雷,Lena Müller,王小二"},
		{"platform:youzan outcome:ok", "王小二"},
		{"since:2025-03-14", "李雷,Lena Müller,王小二"},
		{"until:2025-03-13", "Ann Lee"},
		{"13800138000", "李雷"},
		{"müller since:2025-03-14 until:2025-03-14", "Lena Müller"},
	}
	for _, c := range cases {
		d.m.history.search.input.setValue("")
		d.typeText(c.line)
		d.settle()
		got := strings.Join(searchRows(d.m), ",")
		if got != c.want {
			t.Errorf("%q found %q, want %q", c.line, got, c.want)
		}
		if !strings.Contains(d.screen(), fmt.Sprintf("History (%d found)", len(strings.Split(c.want, ",")))) {
			t.Errorf("%q: count not on screen:\n%s", c.line, d.screen())
		}
	}

	// enter keeps the search and gives the keys back to the rows.
	d.press("enter")
	if d.m.history.searching() || !strings.Contains(d.screen(), "/ müller since:2025-03-14 until:2025-03-14") {
		t.Errorf("enter: searching %v\n%s", d.m.history.searching(), d.screen())
	}
	if !strings.Contains(d.screen(), "esc clear search") {
		t.Errorf("the help bar does not say esc clears:\n%s", d.screen())
	}
	// The search line moves the rows down a line: clicks follow.
	rowY := d.m.bodyTop + 3
	d.send(tea.MouseClickMsg{X: d.m.formW + 5, Y: rowY, Button: tea.MouseLeft})
	d.send(tea.MouseClickMsg{X: d.m.formW + 5, Y: rowY, Button: tea.MouseLeft})
	d.settle()
	if d.m.focus != paneDetail || d.m.detail.data.customer.Name != "Lena Müller" {
		t.Fatalf("clicks on the first row opened %v", d.m.focus)
	}
	d.press("esc")
	d.press("esc")
	d.settle()
	if got := searchRows(d.m); !slices.Equal(got, all) {
		t.Errorf("esc left %v", got)
	}
	if d.m.focus != paneHistory || d.m.history.search.visible() || !strings.Contains(d.screen(), "History (4)") {
		t.Errorf("after esc: focus %v\n%s", d.m.focus, d.screen())
	}
	if r := d.m.history.selected(); r == nil || r.name != "Lena Müller" {
		t.Errorf("esc lost the selected row: %+v", r)
	}

	// A problem shows instead of the hint; the rows stay.
	d.press("/")
	d.typeText("outcome:zzz")
	d.settle()
	if got := searchRows(d.m); !slices.Equal(got, all) {
		t.Errorf("a bad filter changed the rows: %v", got)
	}
	if !strings.Contains(d.screen(), `outcome "zzz": one of ok, partial`) {
		t.Errorf("no problem shown:\n%s", d.screen())
	}
	// esc while typing clears too.
	d.press("esc")
	d.settle()
	if d.m.history.searching() || d.m.history.search.input.value() != "" || strings.Contains(d.screen(), "zzz") {
		t.Errorf("esc while typing:\n%s", d.screen())
	}
}

func TestSearchNoMatchesAndPaste(t *testing.T) {
	e := newEnv(t)
	seedHistory(t, e)
	d := drive(t, e.model(t, "zh"), 80, 24)
	d.settle()
	d.press("ctrl+o", "/")
	d.send(tea.PasteMsg{Content: "nobody\nat all\n"})
	d.settle()
	if v := d.m.history.search.input.value(); v != "nobody at all" {
		t.Errorf("pasted %q", v)
	}
	if len(d.m.history.rows) != 0 || !strings.Contains(d.screen(), "没有匹配的记录") || !strings.Contains(d.screen(), "历史记录（匹配 0）") {
		t.Errorf("no matches:\n%s", d.screen())
	}
	if !strings.Contains(d.screen(), "例：王 platform:nxlink") {
		t.Errorf("no Chinese hint:\n%s", d.screen())
	}
	// ? types while searching.
	d.press("?")
	if d.m.showHelp || !strings.HasSuffix(d.m.history.search.input.value(), "?") {
		t.Errorf("? while searching: help %v, line %q", d.m.showHelp, d.m.history.search.input.value())
	}
}

// gatedStore holds List for one search text until released, and notes
// whether that search was cancelled.
type gatedStore struct {
	*store.Store
	text      string
	gate      chan struct{}
	mu        sync.Mutex
	cancelled bool
}

func (g *gatedStore) List(ctx context.Context, q store.Query) ([]store.Submission, error) {
	if q.Text == g.text {
		select {
		case <-g.gate:
		case <-ctx.Done():
			g.mu.Lock()
			g.cancelled = true
			g.mu.Unlock()
			<-g.gate
		}
	}
	return g.Store.List(context.WithoutCancel(ctx), q)
}

// Count answers the gated search even once cancelled, so that its stale
// result is a real one.
func (g *gatedStore) Count(ctx context.Context, q store.Query) (int, error) {
	if q.Text == g.text {
		ctx = context.WithoutCancel(ctx)
	}
	return g.Store.Count(ctx, q)
}

// A slow search that a newer one overtakes never overwrites its rows, and
// its query is cancelled.
func TestSearchStaleResultsDropped(t *testing.T) {
	e := newEnv(t)
	seedHistory(t, e)
	gs := &gatedStore{Store: e.st, text: "王小二", gate: make(chan struct{})}
	m := newModel(Options{Platforms: e.ps, Lang: "en", NoColor: true}, nil, gs)
	m.timers = false
	m.c.now = func() time.Time { return fixedNow }
	d := drive(t, m, 120, 40)
	d.settle()
	d.press("ctrl+o", "/")
	d.typeText("王小二")
	// The pause passes: the slow search starts and hangs.
	last := d.m.history.search.seq
	d.until(func(msg tea.Msg) bool { tick, ok := msg.(searchTickMsg); return ok && tick.seq == last })
	for range 3 {
		d.press("backspace")
	}
	d.typeText("李雷")
	d.until(func(msg tea.Msg) bool { r, ok := msg.(searchMsg); return ok && len(r.rows) == 1 })
	if got := searchRows(d.m); !slices.Equal(got, []string{"李雷"}) {
		t.Fatalf("李雷 found %v", got)
	}
	close(gs.gate)
	d.settle()
	if got := searchRows(d.m); !slices.Equal(got, []string{"李雷"}) {
		t.Errorf("the overtaken search overwrote the rows: %v", got)
	}
	gs.mu.Lock()
	cancelled := gs.cancelled
	gs.mu.Unlock()
	if !cancelled {
		t.Errorf("the overtaken search was not cancelled")
	}

	// Old ticks and results carry old numbers and are dropped.
	seq := d.m.history.search.seq
	if _, cmd := d.m.Update(searchTickMsg{seq: seq - 1}); cmd != nil {
		t.Errorf("a stale tick ran a search")
	}
	d.m.Update(searchMsg{seq: seq - 1, rows: rowsOf([]store.Submission{{ID: 99, Customer: platforms.Customer{Name: "stale"}}}), total: 1})
	if got := searchRows(d.m); !slices.Equal(got, []string{"李雷"}) {
		t.Errorf("a stale result was shown: %v", got)
	}
	// A page of rows a search replaced is dropped too.
	d.m.Update(pageMsg{seq: d.m.history.search.shownSeq - 1, offset: 1, rows: rowsOf([]store.Submission{{ID: 98}}), total: 9})
	if got := searchRows(d.m); !slices.Equal(got, []string{"李雷"}) || d.m.history.total != 1 {
		t.Errorf("a stale page was appended: %v, total %d", got, d.m.history.total)
	}
}

// A filter matching more than a page loads the rest as the selection nears
// the end, each row once; a new submission while filtered asks the store
// again rather than showing a row that may not match.
func TestSearchPagesAndNewSubmissions(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	const n = historyPage + 120
	subs := make([]*store.Submission, n)
	for i := range subs {
		subs[i] = &store.Submission{Customer: platforms.Customer{Name: fmt.Sprintf("Imp %03d", i), Mobile: "13411111111"},
			Platforms: []string{"youzan"}, Source: store.SourceImport, AllowDuplicate: true, Created: fixedNow.Add(time.Duration(i) * time.Second)}
	}
	if err := e.st.BeginMany(ctx, subs); err != nil {
		t.Fatal(err)
	}
	seedHistory(t, e)
	d := drive(t, e.model(t, "en"), 80, 24)
	d.settle()
	d.press("ctrl+o", "/")
	d.typeText("outcome:pending")
	d.press("enter")
	d.settle()
	h := d.m.history
	if h.total != n || !strings.Contains(d.screen(), fmt.Sprintf("History (%d found)", n)) {
		t.Fatalf("pending: total %d\n%s", h.total, d.screen())
	}
	for range 40 {
		d.press("pgdown")
		d.settle()
	}
	if len(h.rows) != n {
		t.Fatalf("%d of %d rows loaded", len(h.rows), n)
	}
	seen := map[int64]bool{}
	for _, r := range h.rows {
		if seen[r.id] || !strings.HasPrefix(r.name, "Imp ") {
			t.Fatalf("row %d %q twice or not pending", r.id, r.name)
		}
		seen[r.id] = true
	}

	// Filter on a name, then submit a customer who does not match and one
	// who does.
	d.press("/")
	d.m.history.search.input.setValue("")
	d.typeText("Ann")
	d.press("enter")
	d.settle()
	if got := searchRows(d.m); !slices.Equal(got, []string{"Ann Lee"}) {
		t.Fatalf("Ann found %v", got)
	}
	d.press("ctrl+o")
	for i, name := range []string{"Zed Park", "Ann Smith"} {
		d.m.clearForm()
		d.focusOn("name")
		d.typeText(name)
		d.press("tab")
		d.typeText(fmt.Sprintf("1341111112%d", i))
		d.press("ctrl+s")
		d.settle()
	}
	if got := searchRows(d.m); !slices.Equal(got, []string{"Ann Smith", "Ann Lee"}) || d.m.history.total != 2 {
		t.Errorf("after two submits the filtered rows are %v (total %d)", got, d.m.history.total)
	}
	if want := storeNames(t, e.st, store.Query{Text: "Ann"}); !slices.Equal(searchRows(d.m), want) {
		t.Errorf("rows %v, store %v", searchRows(d.m), want)
	}
}
