package dispatch

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// fakePlatform answers from a script, one entry per call (the last repeats),
// and remembers every request ID it saw.
type fakePlatform struct {
	name string

	mu     sync.Mutex
	script []platforms.Exchange
	calls  []string
	block  chan struct{} // when set, Send waits on it (or the context)
	// entered, when set, is signalled as each Send begins (after the call is
	// counted, before it blocks): the attempt is claimed and on its way.
	entered chan struct{}
}

func (f *fakePlatform) Name() string                                       { return f.name }
func (f *fakePlatform) Title() string                                      { return f.name }
func (f *fakePlatform) Validate(platforms.Customer) []platforms.FieldError { return nil }
func (f *fakePlatform) MaxBatch() int                                      { return 1 }

// Traits are the real platforms': the fake named youzan is the one without
// an idempotency key.
func (f *fakePlatform) Traits() platforms.Traits {
	return platforms.Traits{Idempotent: f.name != "youzan"}
}
func (f *fakePlatform) Build(platforms.Submission) (*http.Request, platforms.Trace, error) {
	req, err := http.NewRequest("POST", "http://fake/"+f.name, nil)
	return req, platforms.Trace{Method: "POST", URL: req.URL.String()}, err
}

func (f *fakePlatform) Send(ctx context.Context, sub platforms.Submission) platforms.Exchange {
	f.mu.Lock()
	n := len(f.calls)
	f.calls = append(f.calls, sub.RequestID)
	ex := f.script[min(n, len(f.script)-1)]
	block, entered := f.block, f.entered
	f.mu.Unlock()
	if entered != nil {
		entered <- struct{}{}
	}
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return platforms.Exchange{Platform: f.name, RequestID: sub.RequestID, Started: time.Now(),
				Result: platforms.Result{Outcome: platforms.Unknown, Code: "CANCELLED", Retryable: true}}
		}
	}
	ex.Platform, ex.RequestID, ex.Started = f.name, sub.RequestID, time.Now()
	return ex
}

func (f *fakePlatform) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func answer(outcome platforms.Outcome, status int, code string, retryable bool) platforms.Exchange {
	ex := platforms.Exchange{Status: status, Result: platforms.Result{Outcome: outcome, Code: code, Retryable: retryable}}
	if outcome == platforms.OK {
		ex.Result.CustomerIDs = []string{"1214631327620775937"}
		ex.Response = []byte(`{"ok":true}`)
	}
	return ex
}

var (
	okAnswer      = answer(platforms.OK, 200, "", false)
	refused       = answer(platforms.Failed, 0, "CONN_REFUSED", true)
	timedOutAfter = answer(platforms.Unknown, 0, "TIMEOUT", true)
)

func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func fastBackoff(int) time.Duration { return 5 * time.Millisecond }

// runUntil runs d in the background until cond holds, looking again after
// every attempt it reports (and passing the reports on to events, when set)
// and every 50 ms.
func runUntil(t *testing.T, d *Dispatcher, events chan<- Event, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reports := make(chan Event) // unbuffered: a report is handed on before Run goes on
	attempted := make(chan struct{}, 1)
	done := make(chan struct{})
	go func() { d.Run(ctx, reports); close(done) }()
	forwarded := make(chan struct{}) // the reports' forwarder is gone: events may be closed
	go func() {
		defer close(forwarded)
		for {
			select {
			case ev := <-reports:
				if events != nil {
					events <- ev
				}
				select {
				case attempted <- struct{}{}:
				default:
				}
			case <-done:
				return
			}
		}
	}()
	defer func() { cancel(); <-done; <-forwarded }()
	timeout := time.After(20 * time.Second)
	// An attempt's report can come before its answer is committed, and the
	// last one wakes nobody: look again now and then as well.
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-attempted:
		case <-tick.C:
		case <-timeout:
			t.Fatal("condition not reached within 20s")
		}
	}
}

func state(t *testing.T, st *store.Store, id int64, platform string) store.PlatformState {
	t.Helper()
	sub, err := st.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return sub.States[platform]
}
