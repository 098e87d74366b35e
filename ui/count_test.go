package ui

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// slowCountStore holds every capped count until released.
type slowCountStore struct {
	*store.Store
	gate chan struct{}
}

func (s *slowCountStore) CountUpTo(ctx context.Context, q store.Query, limit int) (int, error) {
	<-s.gate
	return s.Store.CountUpTo(ctx, q, limit)
}

// A search with more matches than the count's cap shows its first page at
// once, "50+" while counting, then "1,000+"; scrolling still loads every
// page past the cap.
func TestSearchShowsThePageBeforeTheCount(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	const n = countCap + 60
	subs := make([]*store.Submission, n)
	for i := range subs {
		subs[i] = &store.Submission{Customer: platforms.Customer{Name: fmt.Sprintf("Imp %04d", i), Mobile: "13411111111"},
			Platforms: []string{"youzan"}, Source: store.SourceImport, AllowDuplicate: true, Created: fixedNow.Add(time.Duration(i) * time.Second)}
	}
	if err := e.st.BeginMany(ctx, subs); err != nil {
		t.Fatal(err)
	}
	ss := &slowCountStore{Store: e.st, gate: make(chan struct{})}
	m := newModel(Options{Platforms: e.ps, Lang: "en", NoColor: true}, nil, ss)
	m.timers = false
	m.c.now = func() time.Time { return fixedNow }
	d := drive(t, m, 120, 40)
	d.settle()
	d.press("ctrl+o", "/")
	d.typeText("Imp")
	d.press("enter")
	d.until(func(msg tea.Msg) bool { _, ok := msg.(searchMsg); return ok })
	if got := len(d.m.history.rows); got < historyPage {
		t.Fatalf("first page: %d rows", got)
	}
	// While counting: as many as are loaded, and a plus.
	if s := d.screen(); !regexp.MustCompile(`History \(\d+\+ found\)`).MatchString(s) {
		t.Fatalf("while counting the title should say N+:\n%s", s)
	}
	close(ss.gate)
	d.settle()
	if s := d.screen(); !strings.Contains(s, "History (1,000+ found)") {
		t.Fatalf("the capped count is not shown:\n%s", s)
	}
	for range 120 {
		d.press("pgdown")
		d.settle()
	}
	h := d.m.history
	if len(h.rows) != n || h.capped || h.total != n {
		t.Fatalf("after scrolling to the end: %d rows of %d, capped %v, total %d", len(h.rows), n, h.capped, h.total)
	}
	if s := d.screen(); !strings.Contains(s, fmt.Sprintf("History (%d found)", n)) {
		t.Errorf("the end of the rows gives the exact count:\n%s", s)
	}
}
