package ui

import (
	"bytes"
	"strconv"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// benchModel is a console at a size that shows every field of the form, with
// n entries loaded into the history pane, focused on the name field.
func benchModel(tb testing.TB, n int) *Model {
	tb.Helper()
	e := newEnv(tb)
	m := newModel(Options{Platforms: e.ps, Lang: "zh"}, nil, nil)
	m.timers = false
	m.c.now = func() time.Time { return fixedNow }
	rows := make([]*histRow, n)
	outcomes := []platforms.Outcome{platforms.OK, platforms.Partial, platforms.Rejected, platforms.Failed, platforms.Unknown}
	for i := range rows {
		sub := store.Submission{ID: int64(n - i), Created: fixedNow.Add(-time.Duration(i) * time.Minute),
			Customer:  platforms.Customer{Name: "王小二" + strconv.Itoa(i), Mobile: "1341111" + strconv.Itoa(1000+i%9000)},
			Platforms: []string{"alsc", "youzan", "nxlink"}, States: map[string]store.PlatformState{}}
		for j, p := range sub.Platforms {
			sub.States[p] = store.PlatformState{Platform: p, Outcome: outcomes[(i+j)%len(outcomes)]}
		}
		rows[i] = rowFromSubmission(sub)
	}
	m.history.appendPage(0, rows, n)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	if len(m.form.lines) > m.form.height {
		tb.Fatalf("the form does not fit: %d lines in %d", len(m.form.lines), m.form.height)
	}
	// Fill the form so every row renders text.
	m.form.setCustomer(platforms.Customer{Name: "王小二", Mobile: "13411111111", Email: "wang@example.com",
		Province: "浙江省", City: "杭州市", District: "西湖区", Address: "文三路 100 号", Tags: []string{"vip", "新客"}})
	m.View()
	return m
}

// benchKeystroke is one keystroke in the name field, Update then View; it
// alternates typing a character and deleting it so the field stays the same.
func benchKeystroke(b *testing.B, n int) {
	m := benchModel(b, n)
	keys := []tea.KeyPressMsg{{Code: '王', Text: "王"}, {Code: tea.KeyBackspace}}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Update(keys[i%2])
		_ = m.View()
		i++
	}
}

func BenchmarkKeystroke10(b *testing.B)    { benchKeystroke(b, 10) }
func BenchmarkKeystroke10000(b *testing.B) { benchKeystroke(b, 10000) }

// The cost of a keystroke must not grow with the history: only visible rows
// render. The absolute budget (1 ms) is checked when the race detector, which
// slows everything several times, is off.
// TestKeystrokeWorkIsFlat checks, by allocations rather than by clock (a
// loaded CI machine makes timings flaky), that a keystroke does the same work
// with 10,000 history entries as with 10: only visible rows are rendered. The
// times themselves are BenchmarkKeystroke10/10000's to report.
func TestKeystrokeWorkIsFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("benchmarks in -short")
	}
	small := testing.Benchmark(func(b *testing.B) { benchKeystroke(b, 10) })
	large := testing.Benchmark(func(b *testing.B) { benchKeystroke(b, 10000) })
	t.Logf("keystroke with 10 entries: %v (%d allocs); with 10000: %v (%d allocs)",
		time.Duration(small.NsPerOp()), small.AllocsPerOp(), time.Duration(large.NsPerOp()), large.AllocsPerOp())
	if large.AllocsPerOp() > small.AllocsPerOp()+10 {
		t.Errorf("10000 entries allocate %d per keystroke, 10 allocate %d", large.AllocsPerOp(), small.AllocsPerOp())
	}
	if large.AllocedBytesPerOp() > small.AllocedBytesPerOp()*3/2+4096 {
		t.Errorf("10000 entries allocate %d bytes per keystroke, 10 allocate %d", large.AllocedBytesPerOp(), small.AllocedBytesPerOp())
	}
}

// BenchmarkDetailHugeBody: opening a capped 1 MiB answer (wrapping it once)
// and drawing it; the draw must not re-wrap.
func BenchmarkDetailHugeBody(b *testing.B) {
	big := bytes.Repeat([]byte("x"), platforms.MaxResponseBytes)
	ex := platforms.Exchange{Platform: "youzan", Status: 200, Response: big, Truncated: true,
		Result: platforms.Result{Outcome: platforms.Failed, Code: "TOO_LARGE"}}
	c := &common{lang: "en", st: newStyles(true), keys: newKeyMaps("en"), now: func() time.Time { return fixedNow }}
	b.Run("open", func(b *testing.B) {
		for b.Loop() {
			d := newDetail(c, rowKey{id: 1}, false)
			d.SetSize(80, 20)
			d.setData(detailData{id: 1, views: []exchangeView{newExchangeView("en", "Youzan", ex, 1)}})
			d.Update(tea.KeyPressMsg{Code: 'v', Text: "v"})
		}
	})
	b.Run("view", func(b *testing.B) {
		d := newDetail(c, rowKey{id: 1}, false)
		d.SetSize(80, 20)
		d.setData(detailData{id: 1, views: []exchangeView{newExchangeView("en", "Youzan", ex, 1)}})
		d.Update(tea.KeyPressMsg{Code: 'v', Text: "v"})
		for b.Loop() {
			d.View()
		}
	})
}
