package importer

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// fakePlatform answers from a function, so tests can script what a platform
// says to each request and count what it was sent.
type fakePlatform struct {
	name  string
	batch int
	// answer decides the outcome of one request; n counts requests from 1.
	answer func(n int64, sub platforms.Submission) (platforms.Result, int)

	calls    atomic.Int64
	mu       sync.Mutex
	requests map[string]int // request IDs seen, with how often
	times    []time.Time
}

func (f *fakePlatform) Name() string                                       { return f.name }
func (f *fakePlatform) Title() string                                      { return strings.ToUpper(f.name) }
func (f *fakePlatform) Validate(platforms.Customer) []platforms.FieldError { return nil }
func (f *fakePlatform) MaxBatch() int                                      { return max(f.batch, 1) }

// Traits are the real platforms': the fake named youzan is the one without
// an idempotency key.
func (f *fakePlatform) Traits() platforms.Traits {
	return platforms.Traits{Idempotent: f.name != "youzan"}
}
func (f *fakePlatform) Build(platforms.Submission) (*http.Request, platforms.Trace, error) {
	return nil, platforms.Trace{}, nil
}

func (f *fakePlatform) Send(_ context.Context, sub platforms.Submission) platforms.Exchange {
	n := f.calls.Add(1)
	f.mu.Lock()
	if f.requests == nil {
		f.requests = map[string]int{}
	}
	f.requests[sub.RequestID]++
	f.times = append(f.times, time.Now())
	f.mu.Unlock()
	r, status := f.answer(n, sub)
	if r.Outcome == platforms.OK && len(r.CustomerIDs) == 0 && len(r.Items) == 0 {
		for i := range sub.Customers {
			r.CustomerIDs = append(r.CustomerIDs, fmt.Sprintf("%s-%d-%d", f.name, n, i))
		}
	}
	return platforms.Exchange{Platform: f.name, RequestID: sub.RequestID, Status: status, Started: time.Now(), Result: r,
		Request: platforms.Trace{Method: "POST", URL: "http://fake/" + f.name, Body: []byte("{}")}}
}

func ok(int64, platforms.Submission) (platforms.Result, int) {
	return platforms.Result{Outcome: platforms.OK}, 200
}

func smallFile(t *testing.T, rows int) genFile {
	t.Helper()
	return generate(t, genOptions{rows: rows, dir: t.TempDir()})
}

func run1(t *testing.T, ctx context.Context, g genFile, st *store.Store, opts Options) Summary {
	t.Helper()
	opts.Store = st
	if opts.Backoff == nil {
		opts.Backoff = fastBackoff
	}
	_, sum, err := importFile(t, ctx, Input{Path: g.path}, opts, filepath.Join(t.TempDir(), "report.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// A platform that asks to slow down is paused for its Retry-After and its
// rate halves; every row still ends ok, and rate-limited attempts are
// retried even on a platform that is not idempotent (they were not applied).
func TestThrottledPlatformSlowsDown(t *testing.T) {
	g := smallFile(t, 60)
	limited := &fakePlatform{name: "youzan", answer: func(n int64, _ platforms.Submission) (platforms.Result, int) {
		if n == 10 || n == 11 {
			return platforms.Result{Outcome: platforms.Failed, Code: "HTTP 429", Retryable: true, RateLimited: true, RetryAfter: 300 * time.Millisecond}, 429
		}
		return platforms.Result{Outcome: platforms.OK}, 200
	}}
	st := openStore(t, t.TempDir())
	start := time.Now()
	sum := run1(t, context.Background(), g, st, Options{Platforms: []platforms.Platform{limited}, Concurrency: 1})
	p := sum.Platforms[0]
	if p.OK != 60 || p.Throttled != 2 || p.Retries != 2 || !sum.AllOK() {
		t.Fatalf("%+v", p)
	}
	if el := time.Since(start); el < 300*time.Millisecond {
		t.Errorf("finished in %v: the 300 ms Retry-After was not waited out", el)
	}
	limited.mu.Lock()
	defer limited.mu.Unlock()
	for _, i := range []int{10, 11} {
		if gap := limited.times[i].Sub(limited.times[i-1]); gap < 250*time.Millisecond {
			t.Errorf("request %d came %v after a 429 asking for 300 ms", i+1, gap)
		}
	}
}

// A configured rate is a ceiling: 20 requests at 50/s take at least 0.38 s.
func TestRateCap(t *testing.T) {
	g := smallFile(t, 20)
	p := &fakePlatform{name: "alsc", answer: ok}
	st := openStore(t, t.TempDir())
	start := time.Now()
	sum := run1(t, context.Background(), g, st, Options{Platforms: []platforms.Platform{p}, Rates: map[string]float64{"alsc": 50}})
	if el := time.Since(start); el < 380*time.Millisecond || !sum.AllOK() {
		t.Errorf("20 requests at 50/s took %v; summary %+v", el, sum.Platforms)
	}
}

// What a platform refused is sent again on a re-run, under a new submission:
// ALSC answers a replayed request_id with its first answer, so the same ID
// would only fetch the same refusal.
func TestRejectedRowsGetAFreshRequestIDOnRerun(t *testing.T) {
	g := smallFile(t, 5)
	var refuse atomic.Bool
	refuse.Store(true)
	p := &fakePlatform{name: "alsc", answer: func(int64, platforms.Submission) (platforms.Result, int) {
		if refuse.Load() {
			return platforms.Result{Outcome: platforms.Rejected, Code: "29", Message: "Invalid app Key"}, 200
		}
		return platforms.Result{Outcome: platforms.OK}, 200
	}}
	st := openStore(t, t.TempDir())
	sum := run1(t, context.Background(), g, st, Options{Platforms: []platforms.Platform{p}})
	if sum.Platforms[0].Rejected != 5 || sum.Platforms[0].Requests != 5 || sum.AllOK() {
		t.Fatalf("run 1: %+v", sum.Platforms[0])
	}
	refuse.Store(false)
	sum = run1(t, context.Background(), g, st, Options{Platforms: []platforms.Platform{p}})
	if !sum.AllOK() || sum.Platforms[0].OK != 5 {
		t.Fatalf("run 2: %+v", sum.Platforms[0])
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.requests) != 10 {
		t.Errorf("%d distinct request IDs over two runs of 5 rows, want 10", len(p.requests))
	}
}

// A non-idempotent platform's attempt that may have been applied (an
// unreadable answer, a lost connection) is neither retried in the run nor on
// a re-run, until a person says so with ResendUnknown. An idempotent one is
// retried on the spot.
func TestMaybeAppliedWaitsForAPersonOnlyWhereResendIsUnsafe(t *testing.T) {
	g := smallFile(t, 4)
	flaky := func(n int64, _ platforms.Submission) (platforms.Result, int) {
		if n == 1 {
			return platforms.Result{Outcome: platforms.Failed, Code: "BAD_BODY", Message: "truncated JSON"}, 200
		}
		if n == 2 {
			return platforms.Result{Outcome: platforms.Unknown, Code: "CONN_LOST", Retryable: true}, 0
		}
		return platforms.Result{Outcome: platforms.OK}, 200
	}
	yz := &fakePlatform{name: "youzan", answer: flaky}
	al := &fakePlatform{name: "alsc", answer: flaky}
	st := openStore(t, t.TempDir())
	opts := Options{Platforms: []platforms.Platform{al, yz}, Concurrency: 1}
	sum := run1(t, context.Background(), g, st, opts)
	a, y := sum.Platforms[0], sum.Platforms[1]
	if a.OK != 4 || a.Retries != 2 || a.AwaitingPerson != 0 {
		t.Errorf("alsc (idempotent) run 1: %+v", a)
	}
	if y.OK != 2 || y.Failed != 1 || y.Unknown != 1 || y.AwaitingPerson != 2 || y.Retries != 0 {
		t.Errorf("youzan run 1: %+v", y)
	}
	sum = run1(t, context.Background(), g, st, opts)
	if y := sum.Platforms[1]; y.AlreadyOK != 2 || y.AwaitingPerson != 2 || y.Requests != 0 {
		t.Errorf("youzan run 2 resent what may exist: %+v", y)
	}
	opts.ResendUnknown = true
	sum = run1(t, context.Background(), g, st, opts)
	if y := sum.Platforms[1]; y.OK != 2 || y.Requests != 2 || !sum.AllOK() {
		t.Errorf("youzan run 3 with ResendUnknown: %+v", y)
	}
}

// Stopping (ctrl+c) lets requests in flight finish and records them, sends
// nothing new, and leaves unsent rows pending and unowned: not queued for a
// console's automatic retry. The re-run sends exactly the rest.
func TestStopThenResume(t *testing.T) {
	g := smallFile(t, 200)
	ctx, cancel := context.WithCancel(context.Background())
	var inFlight atomic.Int64
	// ctrl+c comes while two requests are on their way: the 50th waits until
	// the 51st has started, stops the import, then both answer.
	started51, stopped := make(chan struct{}), make(chan struct{})
	slow := &fakePlatform{name: "alsc", answer: func(n int64, _ platforms.Submission) (platforms.Result, int) {
		inFlight.Add(1)
		defer inFlight.Add(-1)
		switch n {
		case 50:
			<-started51
			cancel()
			close(stopped)
		case 51:
			close(started51)
			<-stopped
		}
		return platforms.Result{Outcome: platforms.OK}, 200
	}}
	batch := &fakePlatform{name: "nxlink", batch: 100, answer: ok}
	st := openStore(t, t.TempDir())
	opts := Options{Platforms: []platforms.Platform{slow, batch}, Concurrency: 2, Linger: time.Millisecond}
	c, err := Check(context.Background(), Input{Path: g.path}, opts.Platforms, nil)
	if err != nil {
		t.Fatal(err)
	}
	opts.Store = st
	imp, err := Start(ctx, c, opts)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := imp.Wait()
	if err != nil {
		t.Fatal(err)
	}
	a := sum.Platforms[0]
	if !sum.Stopped || a.OK < 50 || a.OK >= 200 || a.OK+a.NotSent != 200 || inFlight.Load() != 0 {
		t.Fatalf("stopped import: %+v (in flight %d)", a, inFlight.Load())
	}
	if int(slow.calls.Load()) != a.OK {
		t.Errorf("%d requests made, %d recorded ok: an answer was lost", slow.calls.Load(), a.OK)
	}
	stats, err := st.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if stats.Queued != 0 || stats.InFlight != 0 {
		t.Errorf("after a clean stop: %+v, want nothing queued or in flight", stats)
	}
	// A console starting later must not pick up the unsent rows.
	st2 := openStore(t, filepath.Dir(strings.TrimSuffix(st.Path(), string(os.PathSeparator)+store.FileName)))
	if n, err := st2.Recover(context.Background()); err != nil || n != 0 {
		t.Errorf("Recover after a clean stop changed %d states (%v)", n, err)
	}
	sum2 := run1(t, context.Background(), g, st, Options{Platforms: []platforms.Platform{slow, batch}})
	if !sum2.AllOK() || sum2.Platforms[0].OK != a.NotSent || int(slow.calls.Load()) != 200 {
		t.Errorf("resume: %+v, %d requests in all", sum2.Platforms[0], slow.calls.Load())
	}
}

// A batch answer is split per customer; a customer the answer does not
// mention is unknown (and, for NXLink, resent).
func TestSplitBatch(t *testing.T) {
	r := platforms.Result{Outcome: platforms.Partial, Items: []platforms.ItemResult{
		{Index: 0, Outcome: platforms.OK, CustomerID: "1214631327620775937"},
		{Index: 2, Outcome: platforms.Rejected, Code: "12148", Message: "归属坐席 x 不存在"},
		{Index: 9, Outcome: platforms.OK, CustomerID: "stray"},
	}}
	got := splitBatch(r, 3)
	if got[0].Outcome != platforms.OK || len(got[0].CustomerIDs) != 1 || got[0].CustomerIDs[0] != "1214631327620775937" {
		t.Errorf("item 0: %+v", got[0])
	}
	if got[1].Outcome != platforms.Unknown || !got[1].Retryable || got[1].Code != "NO_ITEM" {
		t.Errorf("item 1 (not in the answer): %+v", got[1])
	}
	if got[2].Outcome != platforms.Rejected || got[2].Code != "12148" || got[2].Retryable {
		t.Errorf("item 2: %+v", got[2])
	}
	whole := splitBatch(platforms.Result{Outcome: platforms.Failed, Code: "HTTP 503", Retryable: true}, 2)
	if whole[1].Outcome != platforms.Failed || !whole[1].Retryable || whole[1].Code != "HTTP 503" {
		t.Errorf("whole-call failure: %+v", whole[1])
	}
	ids := splitBatch(platforms.Result{Outcome: platforms.OK, CustomerIDs: []string{"a", "b"}}, 2)
	if ids[1].CustomerIDs[0] != "b" {
		t.Errorf("ok without items: %+v", ids)
	}
}

// History keeps a batch's bodies once, with its first customer; the others
// point there and carry their own verdict.
func TestItemExchangeKeepsBodiesOnce(t *testing.T) {
	first := &job{row: 2, sub: &store.Submission{ID: 7, RequestID: "r7"}}
	second := &job{row: 3, sub: &store.Submission{ID: 8, RequestID: "r8"}}
	ex := platforms.Exchange{Platform: "nxlink", Request: platforms.Trace{Body: []byte(`{"customers":[]}`), Signed: "accessKey=…&body=…"},
		Response: []byte(`{"code":0}`)}
	a := itemExchange(ex, platforms.Result{Outcome: platforms.OK}, 0, 2, first, first)
	b := itemExchange(ex, platforms.Result{Outcome: platforms.Rejected, Message: "bad phone"}, 1, 2, second, first)
	if string(a.Request.Body) != `{"customers":[]}` || len(a.Response) == 0 || a.RequestID != "r7" {
		t.Errorf("first: %+v", a)
	}
	if b.Request.Body != nil || b.Response != nil || b.Request.Signed != "" || b.RequestID != "r8" ||
		!strings.Contains(b.Result.Message, "bad phone") || !strings.Contains(b.Result.Message, "submission 7 (row 2)") {
		t.Errorf("second: %+v", b)
	}
}

// A re-run that adds a platform sends only to it, under a new submission for
// the same row, and leaves the first platform's rows alone.
func TestRerunAddsAPlatform(t *testing.T) {
	g := smallFile(t, 10)
	al := &fakePlatform{name: "alsc", answer: ok}
	yz := &fakePlatform{name: "youzan", answer: ok}
	st := openStore(t, t.TempDir())
	run1(t, context.Background(), g, st, Options{Platforms: []platforms.Platform{al}})
	sum := run1(t, context.Background(), g, st, Options{Platforms: []platforms.Platform{al, yz}})
	if a, y := sum.Platforms[0], sum.Platforms[1]; a.AlreadyOK != 10 || a.Requests != 0 || y.OK != 10 || !sum.AllOK() {
		t.Fatalf("%+v", sum.Platforms)
	}
	found, err := st.FindImports(context.Background(), sum.Digest, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	for row, subs := range found {
		if len(subs) != 2 || subs[0].Platforms[0] != "alsc" || subs[1].Platforms[0] != "youzan" {
			t.Errorf("row %d: %d submissions %+v", row, len(subs), subs)
		}
	}
	if al.calls.Load() != 10 || yz.calls.Load() != 10 {
		t.Errorf("requests: alsc %d, youzan %d", al.calls.Load(), yz.calls.Load())
	}
}

// A file that changes between the check and the sending is refused: its
// rows would be filed under a digest that is not theirs.
func TestFileChangedAfterCheck(t *testing.T) {
	g := smallFile(t, 10)
	p := &fakePlatform{name: "alsc", answer: ok}
	c, err := Check(context.Background(), Input{Path: g.path}, []platforms.Platform{p}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(g.path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("王五,13400000099,,,,,,,,,,,\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	imp, err := Start(context.Background(), c, Options{Platforms: []platforms.Platform{p}, Store: openStore(t, t.TempDir())})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := imp.Wait(); err == nil || !strings.Contains(err.Error(), "changed after it was checked") {
		t.Fatalf("err %v", err)
	}
	if p.calls.Load() != 0 {
		t.Errorf("%d requests sent for a changed file", p.calls.Load())
	}
}

// Under a rate cap, batches fill while the workers wait for the bucket: 300
// rows at 5 requests a second go in a handful of requests, not dozens.
func TestBatchesFillUnderARateCap(t *testing.T) {
	g := smallFile(t, 300)
	nx := &fakePlatform{name: "nxlink", batch: 100, answer: ok}
	st := openStore(t, t.TempDir())
	sum := run1(t, context.Background(), g, st, Options{Platforms: []platforms.Platform{nx}, Rates: map[string]float64{"nxlink": 5}})
	if !sum.AllOK() || sum.Platforms[0].Requests > 5 {
		t.Errorf("300 rows in %d requests: %+v", sum.Platforms[0].Requests, sum.Platforms[0])
	}
}
