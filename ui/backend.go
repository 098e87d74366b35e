package ui

import (
	"context"
	"io"
	"sort"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

// sender is what the console needs of internal/dispatch. *dispatch.Dispatcher
// implements it.
type sender interface {
	Enrol(ctx context.Context, req dispatch.EnrolRequest) (dispatch.EnrolPlan, error)
	Send(ctx context.Context, sub store.Submission, platform string) platforms.Exchange
	Stats(ctx context.Context) (store.QueueStats, error)
	Drop(ctx context.Context, subID int64, platform string) error
	Resend(ctx context.Context, subID int64, platform string) platforms.Exchange
}

// historyStore is what the console reads from internal/store. *store.Store
// implements it.
type historyStore interface {
	List(ctx context.Context, q store.Query) ([]store.Submission, error)
	Count(ctx context.Context, q store.Query) (int, error)
	CountUpTo(ctx context.Context, q store.Query, limit int) (int, error)
	Get(ctx context.Context, id int64) (store.Submission, error)
	Exchanges(ctx context.Context, subID int64) ([]store.StoredExchange, error)
	Enrolments(ctx context.Context, member string, names ...string) ([]store.Enrolment, error)
	SaveDraft(ctx context.Context, d store.Draft) error
	LoadDraft(ctx context.Context) (store.Draft, bool, error)
	ClearDraft(ctx context.Context) error
	ExportContext(ctx context.Context, w io.Writer, q store.Query, format string) error
	Path() string // the database file; exports go beside it
}

// Messages from the data layer. Every one names the submission it is about,
// so results of several submissions in flight never mix.
type (
	sentMsg struct {
		subID    int64
		platform string
		ex       platforms.Exchange
		resend   bool // a person chose resend from the entry
	}
	droppedMsg struct {
		subID    int64
		platform string
		err      error
	}
	rowMsg struct {
		sub store.Submission
		err error
	}
	pageMsg struct {
		seq    int // the generation of the rows it extends
		offset int
		rows   []*histRow
		total  int
		err    error
	}
	detailMsg struct {
		key  rowKey
		data detailData
		err  error
	}
	statsMsg struct {
		stats store.QueueStats
		err   error
	}
	draftSavedMsg struct {
		version int
		err     error
	}
)

const historyPage = 200

// storeTimeout bounds one history read or write the screen waits for.
const storeTimeout = 5 * time.Second

func rowFromSubmission(sub store.Submission) *histRow {
	// The row is drawn on every frame: its text is made terminal-safe once, here.
	r := &histRow{id: sub.ID, created: sub.Created, name: termsafe.Line(sub.Customer.Name), mobile: termsafe.Line(sub.Customer.Mobile),
		states: map[string]string{}, dirty: true}
	for _, p := range sub.Platforms {
		r.states[p] = stateOf(sub.States[p])
	}
	return r
}

// stateOf is a platform's mark in the history: the store's state, with a
// settled or waiting send shown by its outcome.
func stateOf(ps store.PlatformState) string {
	switch ps.State {
	case store.StateDropped:
		return stateDropped
	case store.StateInFlight:
		return stateInFlight
	case store.StateQueued:
		return stateQueued
	case store.StatePending:
		return statePending
	}
	return string(ps.Outcome)
}

// exchangeState is the row state an answer gives a platform until the row
// is read again from the store.
func exchangeState(ex platforms.Exchange) string { return string(ex.Result.Outcome) }

// sendCmd sends one platform of a submission. A send the person cancelled
// before it started comes back at once, recorded by the dispatcher as
// cancelled and dropped: nothing left, and nothing will be retried behind
// their back.
func sendCmd(ctx context.Context, send sender, sub store.Submission, platform string) tea.Cmd {
	return func() tea.Msg {
		return sentMsg{subID: sub.ID, platform: platform, ex: send.Send(ctx, sub, platform)}
	}
}

// loadPage reads the page at offset of the rows shown (generation seq of
// the query q).
func loadPage(src rowSource, q store.Query, seq, offset int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		pq := q
		pq.Limit, pq.Offset = historyPage, offset
		rows, err := src.list(ctx, pq)
		if err != nil {
			return pageMsg{seq: seq, offset: offset, err: err}
		}
		// A short page is the last: the total is known without counting. A
		// full one leaves the total as it was (a search's count arrives on
		// its own, see countCmd).
		total := 0
		if len(rows) < historyPage {
			total = offset + len(rows)
		}
		return pageMsg{seq: seq, offset: offset, rows: rows, total: total}
	}
}

func loadRow(hs historyStore, id int64) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		sub, err := hs.Get(ctx, id)
		return rowMsg{sub: sub, err: err}
	}
}

// loadRowQuiet reads a row again, saying nothing when it cannot: the next
// change reads it again.
func loadRowQuiet(hs historyStore, id int64) tea.Cmd {
	load := loadRow(hs, id)
	return func() tea.Msg {
		if r, ok := load().(rowMsg); ok && r.err == nil {
			return r
		}
		return nil
	}
}

// platInfo names a configured platform for code running off the update loop.
type platInfo struct{ name, title string }

func platInfos(c *common) []platInfo {
	out := make([]platInfo, len(c.platforms))
	for i, p := range c.platforms {
		out[i] = platInfo{p.Name(), c.title(p)}
	}
	return out
}

// loadDetail reads this terminal's submission k.id and its exchanges and
// prepares every text the detail shows, off the update loop.
func loadDetail(hs historyStore, c *common, k rowKey) tea.Cmd {
	lang, plats := c.lang, platInfos(c)
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		sub, err := hs.Get(ctx, k.id)
		if err != nil {
			return detailMsg{key: k, err: err}
		}
		exs, err := hs.Exchanges(ctx, k.id)
		if err != nil {
			return detailMsg{key: k, err: err}
		}
		d := buildDetail(lang, plats, sub, exs)
		d.terminal = k.terminal
		return detailMsg{key: k, data: d}
	}
}

// tryViews prepares every attempt of a platform, oldest first (by attempt,
// then by record), for the entry's attempt list; one attempt needs no list.
func tryViews(lang, title string, exs []store.StoredExchange) []exchangeView {
	if len(exs) < 2 {
		return nil
	}
	sort.SliceStable(exs, func(a, b int) bool {
		if exs[a].Attempt != exs[b].Attempt {
			return exs[a].Attempt < exs[b].Attempt
		}
		return exs[a].ID < exs[b].ID
	})
	views := make([]exchangeView, len(exs))
	for i, e := range exs {
		views[i] = newExchangeView(lang, title, e.Exchange, e.Attempt)
	}
	return views
}

// buildDetail keeps, per platform of the submission, the latest finished
// attempt, in the configured order of platforms.
func buildDetail(lang string, plats []platInfo, sub store.Submission, exs []store.StoredExchange) detailData {
	latest := map[string]store.StoredExchange{}
	tries := map[string][]store.StoredExchange{} // oldest first
	for _, e := range exs {
		if e.InFlight {
			continue
		}
		tries[e.Platform] = append(tries[e.Platform], e)
		if cur, ok := latest[e.Platform]; !ok || e.Attempt > cur.Attempt || (e.Attempt == cur.Attempt && e.ID > cur.ID) {
			latest[e.Platform] = e
		}
	}
	rank := map[string]int{}
	titles := map[string]string{}
	for i, p := range plats {
		rank[p.name], titles[p.name] = i, p.title
	}
	names := append([]string(nil), sub.Platforms...)
	sort.SliceStable(names, func(a, b int) bool {
		ra, oka := rank[names[a]]
		rb, okb := rank[names[b]]
		if oka != okb {
			return oka
		}
		return ra < rb
	})
	d := detailData{id: sub.ID, requestID: sub.RequestID, created: sub.Created, customer: sub.Customer, source: sourceText(sub)}
	for _, name := range names {
		title := titles[name]
		if title == "" {
			title = name
		}
		st := sub.States[name]
		if e, ok := latest[name]; ok {
			v := newExchangeView(lang, title, e.Exchange, max(st.Attempts, e.Attempt))
			v.state, v.awaits, v.nextRetry = stateOf(st), st.AwaitsPerson(), st.NextRetry
			v.tries = tryViews(lang, title, tries[name])
			d.views = append(d.views, v)
			continue
		}
		d.views = append(d.views, exchangeView{platform: name, title: title, state: stateOf(st), attempts: st.Attempts})
	}
	return d
}
