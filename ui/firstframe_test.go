package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// seedNames writes n submissions, the newest named newest.
func seedNames(t *testing.T, n int, newest string) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	subs := make([]*store.Submission, n)
	for i := range subs {
		name := fmt.Sprintf("顾客%03d", i)
		if i == n-1 {
			name = newest
		}
		subs[i] = &store.Submission{Customer: platforms.Customer{Name: name, Mobile: fmt.Sprintf("134%08d", i)},
			Platforms: []string{"alsc"}, Source: store.SourceConsole}
	}
	if err := st.BeginMany(context.Background(), subs); err != nil {
		t.Fatal(err)
	}
	return st
}

// gatedList holds the history's first List until let.
type gatedList struct {
	*countingStore
	let  chan struct{}
	once sync.Once
}

func (g *gatedList) List(ctx context.Context, q store.Query) ([]store.Submission, error) {
	g.once.Do(func() { <-g.let })
	return g.countingStore.List(ctx, q)
}

// runInto runs cmd and the commands of the batches it returns on goroutines
// of their own, sending what they return to out.
func runInto(cmd tea.Cmd, out chan<- tea.Msg) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				runInto(c, out)
			}
			return
		}
		out <- msg
	}()
}

// waitFor delivers messages from out to m until one of type T arrives, and
// returns it.
func waitFor[T tea.Msg](t *testing.T, m *Model, out chan tea.Msg) T {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case msg := <-out:
			_, cmd := m.Update(msg)
			runInto(cmd, out)
			if v, ok := msg.(T); ok {
				return v
			}
		case <-deadline:
			var zero T
			t.Fatalf("no %T within 10s", zero)
			return zero
		}
	}
}

// On a terminal the model is built without waiting for the history: the
// first View says it is loading, and the rows arrive as a message.
func TestTerminalModelDoesNotWaitForTheHistory(t *testing.T) {
	st := seedNames(t, 300, "最新的")
	g := &gatedList{countingStore: &countingStore{Store: st}, let: make(chan struct{})}
	built := make(chan *Model, 1)
	go func() { built <- buildModel(Options{Lang: "zh", NoColor: true}, nil, g, true) }()
	var m *Model
	select {
	case m = <-built:
	case <-time.After(5 * time.Second):
		t.Fatal("building the model waited for the history's first read")
	}
	m.first.page = m.startFirstPage() // as run does
	if v := ansi.Strip(m.View().Content); !strings.Contains(v, "加载中") || strings.Contains(v, "最新的") {
		t.Fatalf("before the first read the pane should say it is loading:\n%s", v)
	}
	out := make(chan tea.Msg, 64)
	runInto(m.Init(), out)
	close(g.let)
	waitFor[firstPageMsg](t, m, out)
	v := ansi.Strip(m.View().Content)
	if !strings.Contains(v, "最新的") || !strings.Contains(v, fmt.Sprintf("(%d+)", firstRead)) {
		t.Fatalf("after the first read the newest row and %d+ should show:\n%s", firstRead, v)
	}
	// Then the history is counted and the rest of the first page read, as
	// before the first read was cut short.
	waitFor[countMsg](t, m, out)
	for m.history.loading {
		waitFor[pageMsg](t, m, out)
	}
	if v := ansi.Strip(m.View().Content); !strings.Contains(v, "(300)") || len(m.history.rows) < historyPage {
		t.Errorf("after the count: %d rows loaded (want at least %d) and the title should say 300:\n%s",
			len(m.history.rows), historyPage, v)
	}
}

// The work the first frame does not show (the history's count here) waits
// until that frame is drawn, so that it does not compete with drawing it.
func TestStartUpWorkWaitsForTheFirstFrame(t *testing.T) {
	st := seedNames(t, 100, "最新的")
	cs := &countingStore{Store: st}
	m := buildModel(Options{Lang: "zh", NoColor: true}, nil, cs, true)
	m.first.bound = time.Minute // no fallback within the test
	m.first.page = m.startFirstPage()
	out := make(chan tea.Msg, 64)
	runInto(m.Init(), out)
	waitFor[firstPageMsg](t, m, out)
	time.Sleep(300 * time.Millisecond) // more than flushWait
	if n := cs.counts.Load(); n != 0 {
		t.Fatalf("the history was counted %d times before the first frame", n)
	}
	drawn := time.Now()
	m.View()
	waitFor[countMsg](t, m, out)
	if waited := time.Since(drawn); waited < flushWait {
		t.Errorf("counted %v after the first View; want at least %v (the frame's flush)", waited, flushWait)
	}
	if n := cs.counts.Load(); n != 1 {
		t.Errorf("%d counts after the first frame, want 1", n)
	}
}

// Through the real program: the console shows the history and its count.
func TestRunShowsTheHistoryAfterTheFirstFrame(t *testing.T) {
	st := seedNames(t, 120, "最新的")
	var mu sync.Mutex
	var screen strings.Builder
	w := writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		screen.Write(p)
		return len(p), nil
	})
	ctx, quit := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, Options{Store: st, Lang: "zh", NoColor: true},
			[]tea.ProgramOption{tea.WithInput(nil), tea.WithOutput(w), tea.WithoutSignalHandler(), tea.WithWindowSize(80, 24)}, nil)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		s := ansi.Strip(screen.String())
		mu.Unlock()
		// The renderer rewrites only what changed: "(64+)" becomes "(120)"
		// by writing "120".
		if strings.Contains(s, "最新的") && strings.Contains(s, "120") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the console never showed the newest row and the count:\n%s", s)
		}
		time.Sleep(10 * time.Millisecond)
	}
	quit()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
