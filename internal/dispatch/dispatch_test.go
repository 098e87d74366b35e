package dispatch

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/custdesk/custdesk/internal/policy/policytest"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// The queue retries exactly what the one policy says, for every answer of
// its fixtures, with the real clients' traits.
func TestRetryablePolicy(t *testing.T) {
	d := New(nil, realClients(t, "http://127.0.0.1:1", time.Second), Options{})
	for _, c := range policytest.Cases(t) {
		if got := d.Retryable(c.Exchange()); got != (c.Want == "retry") {
			t.Errorf("Retryable(%s %s %s status %d) = %v, want %s", c.Platform, c.Outcome, c.Code, c.Status, got, c.Want)
		}
	}
	gone := answer(platforms.Unknown, 0, "TIMEOUT", true)
	gone.Platform = "removed"
	if d.Retryable(gone) {
		t.Error("a platform no longer configured must not be replayed")
	}
}

func TestSendOKIsFinal(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	alsc := &fakePlatform{name: "alsc", script: []platforms.Exchange{okAnswer}}
	d := New(st, []platforms.Platform{alsc}, Options{Backoff: fastBackoff})
	sub, exs, err := d.SendAll(ctx, platforms.Customer{Name: "王小二", Mobile: "13411111111"}, []string{"alsc"}, store.SourceSubmit, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(exs) != 1 || exs[0].Result.Outcome != platforms.OK {
		t.Fatalf("exchanges = %+v", exs)
	}
	s := sub.States["alsc"]
	if s.Outcome != platforms.OK || s.Queued || s.Attempts != 1 || !s.Settled() {
		t.Fatalf("state = %+v", s)
	}
	if n, _ := d.Queued(ctx); n != 0 {
		t.Fatalf("queued = %d", n)
	}
}

func TestRetryReusesRequestIDUntilOK(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	alsc := &fakePlatform{name: "alsc", script: []platforms.Exchange{refused, timedOutAfter, answer(platforms.Failed, 200, "7", true), okAnswer}}
	d := New(st, []platforms.Platform{alsc}, Options{Backoff: fastBackoff, Poll: 20 * time.Millisecond})
	sub, exs, err := d.SendAll(ctx, platforms.Customer{Name: "a", Mobile: "13411111111"}, []string{"alsc"}, store.SourceConsole, false)
	if err != nil {
		t.Fatal(err)
	}
	if exs[0].Result.Code != "CONN_REFUSED" || !sub.States["alsc"].Queued {
		t.Fatalf("first attempt: %+v, state %+v", exs[0].Result, sub.States["alsc"])
	}
	if n, _ := d.Queued(ctx); n != 1 {
		t.Fatalf("queued = %d, want 1", n)
	}
	events := make(chan Event, 10)
	var final []Event
	var mu sync.Mutex
	go func() {
		for e := range events {
			mu.Lock()
			final = append(final, e)
			mu.Unlock()
		}
	}()
	runUntil(t, d, events, func() bool { return state(t, st, sub.ID, "alsc").Outcome == platforms.OK })
	close(events)
	calls := alsc.Calls()
	if len(calls) != 4 {
		t.Fatalf("calls = %d, want 4", len(calls))
	}
	for _, id := range calls {
		if id != sub.RequestID {
			t.Fatalf("retry sent request_id %q, want %q every time", id, sub.RequestID)
		}
	}
	s := state(t, st, sub.ID, "alsc")
	if s.Attempts != 4 || s.Queued {
		t.Fatalf("state = %+v", s)
	}
	exsStored, _ := st.Exchanges(ctx, sub.ID)
	if len(exsStored) != 4 {
		t.Fatalf("stored exchanges = %d, want 4", len(exsStored))
	}
	for i, e := range exsStored {
		if e.Attempt != i+1 || e.InFlight {
			t.Fatalf("exchange %d: attempt %d in flight %v", i, e.Attempt, e.InFlight)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(final) != 3 || !final[2].Final || final[0].Final || final[2].Exchange.Result.Outcome != platforms.OK {
		t.Fatalf("events = %+v", final)
	}
}

func TestYouzanUnknownWaitsForPerson(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	yz := &fakePlatform{name: "youzan", script: []platforms.Exchange{timedOutAfter, okAnswer}}
	d := New(st, []platforms.Platform{yz}, Options{Backoff: fastBackoff, Poll: 10 * time.Millisecond})
	sub, _, err := d.SendAll(ctx, platforms.Customer{Name: "a", Mobile: "13411111111"}, []string{"youzan"}, store.SourceConsole, false)
	if err != nil {
		t.Fatal(err)
	}
	s := sub.States["youzan"]
	if s.Outcome != platforms.Unknown || s.Queued || !s.AwaitsPerson() {
		t.Fatalf("state = %+v", s)
	}
	// Run (and its start-up sweep) must leave it alone.
	ctxRun, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	d.Run(ctxRun, nil)
	cancel()
	if n := len(yz.Calls()); n != 1 {
		t.Fatalf("youzan unknown was sent again automatically: %d calls", n)
	}
	stats, _ := d.Stats(ctx)
	if stats.Attention != 1 || stats.Queued != 0 {
		t.Fatalf("stats = %+v", stats)
	}
	ex := d.Resend(ctx, sub.ID, "youzan")
	if ex.Result.Outcome != platforms.OK {
		t.Fatalf("resend = %+v", ex.Result)
	}
	if s := state(t, st, sub.ID, "youzan"); s.Outcome != platforms.OK || s.Attempts != 2 {
		t.Fatalf("after resend: %+v", s)
	}
}

func TestYouzanRefusedBeforeSendingIsRetried(t *testing.T) {
	st := openStore(t, t.TempDir())
	yz := &fakePlatform{name: "youzan", script: []platforms.Exchange{refused, okAnswer}}
	d := New(st, []platforms.Platform{yz}, Options{Backoff: fastBackoff, Poll: 10 * time.Millisecond})
	sub, _, err := d.SendAll(context.Background(), platforms.Customer{Name: "a"}, []string{"youzan"}, store.SourceConsole, false)
	if err != nil {
		t.Fatal(err)
	}
	runUntil(t, d, nil, func() bool { return state(t, st, sub.ID, "youzan").Outcome == platforms.OK })
}

func TestDropStopsRetries(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	alsc := &fakePlatform{name: "alsc", script: []platforms.Exchange{refused}}
	d := New(st, []platforms.Platform{alsc}, Options{Backoff: func(int) time.Duration { return time.Hour }})
	sub, _, err := d.SendAll(ctx, platforms.Customer{Name: "a"}, []string{"alsc"}, store.SourceConsole, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Drop(ctx, sub.ID, "alsc"); err != nil {
		t.Fatal(err)
	}
	s := state(t, st, sub.ID, "alsc")
	if s.Queued || !s.Dropped || s.AwaitsPerson() {
		t.Fatalf("dropped state = %+v", s)
	}
	ctxRun, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	d.Run(ctxRun, nil)
	cancel()
	if n := len(alsc.Calls()); n != 1 {
		t.Fatalf("dropped platform was sent again: %d calls", n)
	}
}

// A send a person cancels on its way is never abandoned: ALSC (idempotent)
// goes back on the retry queue and is sent again; Youzan (not idempotent)
// waits in the attention inbox and is not.
func TestCancelledByPersonIsNotAbandoned(t *testing.T) {
	st := openStore(t, t.TempDir())
	alsc := &fakePlatform{name: "alsc", script: []platforms.Exchange{okAnswer}, block: make(chan struct{}), entered: make(chan struct{}, 1)}
	yz := &fakePlatform{name: "youzan", script: []platforms.Exchange{okAnswer}, block: make(chan struct{}), entered: make(chan struct{}, 1)}
	d := New(st, []platforms.Platform{alsc, yz}, Options{Backoff: fastBackoff, Poll: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	sub, err := d.Begin(ctx, platforms.Customer{Name: "a"}, []string{"alsc", "youzan"}, store.SourceConsole, false)
	if err != nil {
		t.Fatal(err)
	}
	go func() { <-alsc.entered; <-yz.entered; cancel() }() // esc while both requests are on their way
	var wg sync.WaitGroup
	for _, p := range []string{"alsc", "youzan"} {
		wg.Go(func() {
			if ex := d.Send(ctx, sub, p); ex.Result.Code != "CANCELLED" {
				t.Errorf("%s: send = %+v", p, ex.Result)
			}
		})
	}
	wg.Wait()
	if s := state(t, st, sub.ID, "alsc"); s.State != store.StateQueued || s.Dropped {
		t.Fatalf("alsc state after cancel = %+v, want queued", s)
	}
	if s := state(t, st, sub.ID, "youzan"); s.State != store.StateAttention || !s.AwaitsPerson() || s.Outcome != platforms.Unknown {
		t.Fatalf("youzan state after cancel = %+v, want in the attention inbox", s)
	}
	close(alsc.block)
	close(yz.block)
	ctxRun, stop := context.WithTimeout(context.Background(), 300*time.Millisecond)
	d.Run(ctxRun, nil)
	stop()
	if n := len(alsc.Calls()); n != 2 {
		t.Fatalf("alsc was sent %d times, want 2 (the cancelled call and its replay)", n)
	}
	if n := len(yz.Calls()); n != 1 {
		t.Fatalf("youzan was sent %d times after its cancel, want 1", n)
	}
	if s := state(t, st, sub.ID, "alsc"); s.Outcome != platforms.OK {
		t.Fatalf("alsc after its replay = %+v", s)
	}
}

func TestMaxAttemptsEndsRetries(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	nx := &fakePlatform{name: "nxlink", script: []platforms.Exchange{refused}}
	d := New(st, []platforms.Platform{nx}, Options{Backoff: fastBackoff, MaxAttempts: 3, Poll: 10 * time.Millisecond})
	sub, _, err := d.SendAll(ctx, platforms.Customer{Name: "a"}, []string{"nxlink"}, store.SourceConsole, false)
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan Event, 10)
	runUntil(t, d, events, func() bool { s := state(t, st, sub.ID, "nxlink"); return s.Attempts == 3 && !s.Queued && !s.InFlight })
	if n := len(nx.Calls()); n != 3 {
		t.Fatalf("calls = %d, want 3", n)
	}
	if e := <-events; e.Final {
		t.Fatalf("second attempt reported final: %+v", e)
	}
	if e := <-events; !e.Final {
		t.Fatalf("last attempt not reported final: %+v", e)
	}
}

func TestSendWhileInFlightIsRefused(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	alsc := &fakePlatform{name: "alsc", script: []platforms.Exchange{okAnswer}, block: make(chan struct{}), entered: make(chan struct{}, 1)}
	d := New(st, []platforms.Platform{alsc}, Options{})
	sub, err := d.Begin(ctx, platforms.Customer{Name: "a"}, []string{"alsc"}, store.SourceConsole, false)
	if err != nil {
		t.Fatal(err)
	}
	first := make(chan platforms.Exchange)
	go func() { first <- d.Send(ctx, sub, "alsc") }()
	<-alsc.entered // claimed in the store, and on its way
	if !state(t, st, sub.ID, "alsc").InFlight {
		t.Fatal("a send on its way is not in flight")
	}
	if ex := d.Resend(ctx, sub.ID, "alsc"); ex.Result.Code != "IN_FLIGHT" {
		t.Fatalf("second send while in flight = %+v", ex.Result)
	}
	close(alsc.block)
	if ex := <-first; ex.Result.Outcome != platforms.OK {
		t.Fatalf("first send = %+v", ex.Result)
	}
	if n := len(alsc.Calls()); n != 1 {
		t.Fatalf("calls = %d", n)
	}
}

func TestUnknownPlatform(t *testing.T) {
	st := openStore(t, t.TempDir())
	d := New(st, []platforms.Platform{&fakePlatform{name: "alsc", script: []platforms.Exchange{okAnswer}}}, Options{})
	if _, err := d.Begin(context.Background(), platforms.Customer{Name: "a"}, []string{"nope"}, store.SourceConsole, false); err == nil {
		t.Fatal("Begin accepted an unconfigured platform")
	}
	if n, _ := st.Count(context.Background(), store.Query{}); n != 0 {
		t.Fatalf("a refused submission was stored: %d", n)
	}
}

// Two consoles on one data directory: every queued row is sent by exactly
// one of them.
func TestTwoRunnersClaimEachRowOnce(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	stA, stB := openStore(t, dir), openStore(t, dir)
	down := &fakePlatform{name: "alsc", script: []platforms.Exchange{refused}}
	seed := New(stA, []platforms.Platform{down}, Options{Backoff: func(int) time.Duration { return 50 * time.Millisecond }})
	const n = 40
	for i := range n {
		if _, _, err := seed.SendAll(ctx, platforms.Customer{Name: fmt.Sprint("c", i)}, []string{"alsc"}, store.SourceImport, false); err != nil {
			t.Fatal(err)
		}
	}
	upA := &fakePlatform{name: "alsc", script: []platforms.Exchange{okAnswer}}
	upB := &fakePlatform{name: "alsc", script: []platforms.Exchange{okAnswer}}
	dA := New(stA, []platforms.Platform{upA}, Options{Poll: 5 * time.Millisecond, Concurrency: 3})
	dB := New(stB, []platforms.Platform{upB}, Options{Poll: 5 * time.Millisecond, Concurrency: 3})
	runCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	events := make(chan Event)
	wg.Go(func() { dA.Run(runCtx, events) })
	wg.Go(func() { dB.Run(runCtx, events) })
	timeout := time.After(20 * time.Second)
	for ok := 0; ok < n; {
		select {
		case ev := <-events:
			if ev.Exchange.Result.Outcome == platforms.OK {
				ok++
			}
		case <-timeout:
			t.Fatalf("only %d of %d reached ok", ok, n)
		}
	}
	cancel()
	wg.Wait()
	if c, err := stA.Count(ctx, store.Query{Outcome: platforms.OK}); err != nil || c != n {
		t.Fatalf("%d of %d ok in history, %v", c, n, err)
	}
	calls := append(upA.Calls(), upB.Calls()...)
	if len(calls) != n {
		t.Fatalf("%d sends for %d queued rows (A %d, B %d)", len(calls), n, len(upA.Calls()), len(upB.Calls()))
	}
	slices.Sort(calls)
	if len(slices.Compact(calls)) != n {
		t.Fatal("a row was sent twice")
	}
	if len(upA.Calls()) == 0 || len(upB.Calls()) == 0 {
		t.Logf("one runner took every row (A %d, B %d)", len(upA.Calls()), len(upB.Calls()))
	}
}

// A process that dies mid-send leaves: an attempt in flight (unknown after
// recovery; retried for idempotent ALSC, left to a person for Youzan) and a
// platform written ahead but never started (sent, since nothing left).
func TestRunRecoversCrashedProcess(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	crashed, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	sub := store.Submission{Customer: platforms.Customer{Name: "王小二", Mobile: "13411111111"}, Platforms: []string{"alsc", "youzan", "nxlink"}}
	if err := crashed.Begin(ctx, &sub); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"alsc", "youzan"} {
		if _, err := crashed.StartAttempt(ctx, sub.ID, p); err != nil {
			t.Fatal(err)
		}
	}
	crashed.Close() // its process lock goes, as it does when the kernel reaps a killed process

	st := openStore(t, dir)
	alsc := &fakePlatform{name: "alsc", script: []platforms.Exchange{okAnswer}}
	yz := &fakePlatform{name: "youzan", script: []platforms.Exchange{okAnswer}}
	nx := &fakePlatform{name: "nxlink", script: []platforms.Exchange{okAnswer}}
	d := New(st, []platforms.Platform{alsc, yz, nx}, Options{Poll: 10 * time.Millisecond})
	runUntil(t, d, nil, func() bool {
		s, _ := st.Get(ctx, sub.ID)
		return s.States["alsc"].Outcome == platforms.OK && s.States["nxlink"].Outcome == platforms.OK
	})
	y := state(t, st, sub.ID, "youzan")
	if y.Outcome != platforms.Unknown || y.Result.Code != store.Interrupted || !y.AwaitsPerson() || len(yz.Calls()) != 0 {
		t.Fatalf("youzan after crash = %+v, calls %d", y, len(yz.Calls()))
	}
	if got := alsc.Calls(); len(got) != 1 || got[0] != sub.RequestID {
		t.Fatalf("alsc replay = %v, want the original request_id once", got)
	}
	exs, _ := st.Exchanges(ctx, sub.ID)
	var alscAttempts []platforms.Outcome
	for _, e := range exs {
		if e.Platform == "alsc" {
			alscAttempts = append(alscAttempts, e.Result.Outcome)
		}
	}
	if !slices.Equal(alscAttempts, []platforms.Outcome{platforms.Unknown, platforms.OK}) {
		t.Fatalf("alsc attempts = %v", alscAttempts)
	}
}

// Quitting while a retry is on its way lets its answer arrive and be kept,
// rather than turning it into an unknown. Under synctest the check that Run
// is still waiting needs no sleep: synctest.Wait returns once every other
// goroutine is blocked, and the fake clock does not move meanwhile.
func TestRunLetsAttemptsFinishOnShutdown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		st := openStore(t, t.TempDir())
		alsc := &fakePlatform{name: "alsc", script: []platforms.Exchange{refused, okAnswer}}
		d := New(st, []platforms.Platform{alsc}, Options{Backoff: fastBackoff, Poll: 10 * time.Millisecond})
		sub, _, err := d.SendAll(ctx, platforms.Customer{Name: "a"}, []string{"alsc"}, store.SourceConsole, false)
		if err != nil {
			t.Fatal(err)
		}
		release := make(chan struct{})
		alsc.mu.Lock()
		alsc.block, alsc.entered = release, make(chan struct{}, 1)
		alsc.mu.Unlock()
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { d.Run(runCtx, nil); close(done) }()
		<-alsc.entered // the retry is on its way
		cancel()
		synctest.Wait()
		select {
		case <-done:
			t.Fatal("Run returned with an attempt still in flight")
		default:
		}
		close(release) // the answer arrives within the shutdown grace
		<-done
		if s := state(t, st, sub.ID, "alsc"); s.Outcome != platforms.OK || s.InFlight {
			t.Fatalf("after shutdown: %+v", s)
		}
	})
}

// A console sends only the platforms it is configured for, leaving the
// others' queued rows to consoles that have them.
func TestRunClaimsOnlyConfiguredPlatforms(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	stA, stB := openStore(t, dir), openStore(t, dir)
	downA := &fakePlatform{name: "alsc", script: []platforms.Exchange{refused}}
	downY := &fakePlatform{name: "youzan", script: []platforms.Exchange{refused}}
	seed := New(stA, []platforms.Platform{downA, downY}, Options{Backoff: fastBackoff})
	sub, _, err := seed.SendAll(ctx, platforms.Customer{Name: "a"}, []string{"alsc", "youzan"}, store.SourceConsole, false)
	if err != nil {
		t.Fatal(err)
	}
	onlyYouzan := &fakePlatform{name: "youzan", script: []platforms.Exchange{okAnswer}}
	dB := New(stB, []platforms.Platform{onlyYouzan}, Options{Poll: 10 * time.Millisecond})
	runUntil(t, dB, nil, func() bool { return state(t, stB, sub.ID, "youzan").Outcome == platforms.OK })
	if a := state(t, stB, sub.ID, "alsc"); !a.Queued || a.Attempts != 1 {
		t.Fatalf("alsc, not configured in B, was touched: %+v", a)
	}
}

// esc before a send starts: the platform is recorded as cancelled (failed,
// dropped), nothing is sent, and neither this process nor the next start
// sends it behind the person's back.
func TestCancelledBeforeSendIsRecorded(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir)
	alsc := &fakePlatform{name: "alsc", script: []platforms.Exchange{okAnswer}}
	yz := &fakePlatform{name: "youzan", script: []platforms.Exchange{okAnswer}}
	ps := []platforms.Platform{alsc, yz}
	d := New(st, ps, Options{Backoff: fastBackoff, Poll: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	sub, err := d.Begin(ctx, platforms.Customer{Name: "a", Mobile: "13411111111"}, []string{"alsc", "youzan"}, store.SourceConsole, false)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	for _, p := range []string{"alsc", "youzan"} {
		ex := d.Send(ctx, sub, p)
		if ex.Platform != p || ex.RequestID != sub.RequestID || ex.Result.Outcome != platforms.Failed ||
			ex.Result.Code != CodeCancelled || ex.Result.Message != "cancelled before sending" || ex.Error != "" {
			t.Fatalf("%s: send = %+v", p, ex)
		}
		s := state(t, st, sub.ID, p)
		want := map[string]store.State{"alsc": store.StateQueued, "youzan": store.StateAttention}[p]
		if s.Outcome != platforms.Failed || s.Result.Code != CodeCancelled || s.Dropped || s.State != want {
			t.Fatalf("%s: state = %+v, want %s", p, s, want)
		}
		exs, err := st.Exchanges(context.Background(), sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range exs {
			if e.Platform == p && e.Result.Code == CodeCancelled && !e.InFlight && e.Request.URL == "" {
				found = true
			}
		}
		if !found {
			t.Fatalf("%s: no cancelled exchange in %+v", p, exs)
		}
	}
	if n := len(alsc.Calls()) + len(yz.Calls()); n != 0 {
		t.Fatalf("a cancelled send reached a platform: %d calls", n)
	}
	if q, err := d.Queued(context.Background()); err != nil || q != 1 {
		t.Fatalf("queued %d, %v, want 1 (alsc)", q, err)
	}
	// The next start keeps both where they are: alsc on the queue (pushed
	// past this test's window), youzan for a person.
	if err := st.Queue(context.Background(), sub.ID, "alsc", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st2 := openStore(t, dir)
	d2 := New(st2, ps, Options{Backoff: fastBackoff, Poll: 10 * time.Millisecond})
	runCtx, stop := context.WithTimeout(context.Background(), 200*time.Millisecond)
	d2.Run(runCtx, nil)
	stop()
	if n := len(alsc.Calls()) + len(yz.Calls()); n != 0 {
		t.Fatalf("the next start sent a cancelled customer early: %d calls", n)
	}
	if s := state(t, st2, sub.ID, "alsc"); s.State != store.StateQueued {
		t.Errorf("alsc after restart: %+v", s)
	}
	if s := state(t, st2, sub.ID, "youzan"); s.State != store.StateAttention {
		t.Errorf("youzan after restart: %+v", s)
	}
}

// A send cancelled before it began leaves a verdict already recorded alone:
// Youzan's unknown still waits for a person to choose.
func TestCancelledBeforeResendKeepsVerdict(t *testing.T) {
	st := openStore(t, t.TempDir())
	yz := &fakePlatform{name: "youzan", script: []platforms.Exchange{timedOutAfter, okAnswer}}
	d := New(st, []platforms.Platform{yz}, Options{Backoff: fastBackoff})
	sub, _, err := d.SendAll(context.Background(), platforms.Customer{Name: "a"}, []string{"youzan"}, store.SourceConsole, false)
	if err != nil {
		t.Fatal(err)
	}
	if s := sub.States["youzan"]; s.Outcome != platforms.Unknown || !s.AwaitsPerson() {
		t.Fatalf("first send: %+v", s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if ex := d.Send(ctx, sub, "youzan"); ex.Result.Code != CodeCancelled {
		t.Fatalf("send = %+v", ex.Result)
	}
	s := state(t, st, sub.ID, "youzan")
	if s.Outcome != platforms.Unknown || s.Dropped || !s.AwaitsPerson() || s.Attempts != 1 {
		t.Errorf("state after a cancelled resend = %+v", s)
	}
	if n := len(yz.Calls()); n != 1 {
		t.Errorf("youzan called %d times", n)
	}
}
