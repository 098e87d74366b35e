package importer

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// job is one row to send to one platform.
type job struct {
	row    int
	sub    *store.Submission // shared by the row's lanes; read-only once begun
	expect platforms.Outcome // the state's outcome when this attempt was decided
	tries  int               // attempts in this run that failed (not throttled)
	limits int               // attempts in this run that were rate limited
	// last is the latest answer in this run, what the row ends as if the
	// import stops before the next attempt.
	last       platforms.Result
	lastStatus int
	track      *rowTrack
}

// lane sends one platform's jobs: its own workers, token bucket and batching,
// so a slow or throttled platform never holds back the others.
type lane struct {
	r     *run
	p     platforms.Platform
	name  string
	batch int

	in      chan *job // from the planner; closed when it is done
	retry   chan *job // attempts to make again
	quit    chan struct{}
	pending sync.WaitGroup // jobs handed to the lane and not finished

	limiter *rate.Limiter
	ceiling rate.Limit // the configured rate; slowing down never goes above it

	mu         sync.Mutex
	pauseUntil time.Time
	changed    time.Time // when the rate last moved
	winStart   time.Time // a one-second window of requests, to know the pace
	winCount   int
	lastPace   float64

	t tally
}

// tally counts a lane's rows by what became of them, for progress and summary.
type tally struct {
	total     atomic.Int64 // valid rows
	ok        atomic.Int64 // ok in this run
	already   atomic.Int64 // ok before this run: skipped
	rejected  atomic.Int64
	failed    atomic.Int64
	unknown   atomic.Int64
	person    atomic.Int64 // left for a person: it may have been created
	elsewhere atomic.Int64 // another process is sending it, or settled it meanwhile
	dropped   atomic.Int64 // a person chose not to send it
	enrolled  atomic.Int64 // another submission has the member: skipped
	notSent   atomic.Int64 // stopped (ctrl+c) before it was sent
	requests  atomic.Int64
	retries   atomic.Int64
	throttled atomic.Int64 // answers asking to slow down
	answered  atomic.Int64 // rows settled by an answer received in this run
}

func (t *tally) done() int64 {
	return t.ok.Load() + t.already.Load() + t.rejected.Load() + t.failed.Load() + t.unknown.Load() +
		t.elsewhere.Load() + t.dropped.Load() + t.enrolled.Load() + t.notSent.Load()
}

// Attempt limits within one run; a re-run starts again.
const maxThrottled = 10

func newLane(r *run, p platforms.Platform, perSecond float64) *lane {
	limit := rate.Inf
	if perSecond > 0 {
		limit = rate.Limit(perSecond)
	}
	l := &lane{r: r, p: p, name: p.Name(), batch: max(1, p.MaxBatch()),
		in: make(chan *job, max(2*r.opts.Concurrency*p.MaxBatch(), 4*planChunk)), retry: make(chan *job), quit: make(chan struct{}),
		limiter: rate.NewLimiter(limit, 1), ceiling: limit}
	return l
}

// add hands a job to the lane; false when the import is stopping (the job
// is then settled as not sent).
func (l *lane) add(ctx context.Context, j *job) bool {
	l.pending.Add(1)
	select {
	case l.in <- j:
		return true
	case <-ctx.Done():
		l.stopped(j)
		return false
	}
}

// notHandedOut settles a job the planner wrote ahead but never gave the lane.
// enrolled settles a job whose row the duplicate guard refused: its member
// is enrolled already (or being enrolled) by another submission.
func (l *lane) enrolled(j *job) {
	holder := int64(0)
	for _, en := range j.sub.Duplicates {
		if holder == 0 || en.Platform == l.name {
			holder = en.SubmissionID
		}
	}
	l.t.enrolled.Add(1)
	l.r.note(j.row, l.name, "", "", fmt.Sprintf("already enrolled (submission %d)", holder))
	l.pending.Add(1)
	l.finish(j)
}

func (l *lane) notHandedOut(j *job) {
	l.pending.Add(1)
	l.stopped(j)
}

// run starts the lane's workers and returns when every job has finished.
// The planner closes in when it has handed out everything.
func (l *lane) run(ctx context.Context) {
	var wg sync.WaitGroup
	n := l.r.opts.Concurrency
	if l.batch > 1 {
		batches := make(chan []*job)
		wg.Go(func() { l.batcher(batches) })
		for range n {
			wg.Go(func() {
				for {
					// The turn is taken before the batch: while workers wait
					// for the bucket, the batcher keeps filling, so a slow
					// rate sends full batches rather than many small ones.
					turn := l.waitTurn(ctx)
					b, ok := <-batches
					if !ok {
						return
					}
					if turn != nil || l.waitPause(ctx) != nil {
						for _, j := range b {
							l.stopped(j)
						}
						continue
					}
					l.sendBatch(ctx, b)
				}
			})
		}
	} else {
		for range n {
			wg.Go(func() { l.worker(ctx) })
		}
	}
	wg.Wait()
}

// closeWhenDone closes quit once the planner is done and every job finished.
func (l *lane) closeWhenDone() {
	l.pending.Wait()
	close(l.quit)
}

func (l *lane) worker(ctx context.Context) {
	in := l.in
	for {
		select {
		case j, ok := <-in:
			if !ok {
				in = nil
				continue
			}
			l.sendOne(ctx, j)
		case j := <-l.retry:
			l.sendOne(ctx, j)
		case <-l.quit:
			return
		}
	}
}

// batcher fills batches up to the platform's maximum. A batch is handed over
// when it is full, or when it has waited Linger and a worker is free; while
// every worker is busy it keeps filling.
func (l *lane) batcher(out chan<- []*job) {
	defer close(out)
	in := l.in
	var cur []*job
	var ripe bool
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		var send chan<- []*job
		if len(cur) == l.batch || (len(cur) > 0 && ripe) {
			send = out
		}
		accept, retry := in, l.retry
		if len(cur) == l.batch {
			accept, retry = nil, nil
		}
		select {
		case j, ok := <-accept:
			if !ok {
				in = nil
				continue
			}
			cur = l.collect(cur, j, timer)
		case j := <-retry:
			cur = l.collect(cur, j, timer)
		case <-timer.C:
			ripe = true
		case send <- cur:
			cur, ripe = nil, false
			timer.Stop()
		case <-l.quit:
			return
		}
	}
}

func (l *lane) collect(cur []*job, j *job, timer *time.Timer) []*job {
	if len(cur) == 0 {
		timer.Reset(l.r.opts.Linger)
	}
	return append(cur, j)
}

// finish ends a job's run. The last job of a row sends the row's customer
// IDs to the search index.
func (l *lane) finish(j *job) {
	if j.track != nil {
		j.track.add(j.sub.ID, j.last)
		if j.track.left.Add(-1) == 0 {
			l.r.j.addSearch(j.track.adds()...)
		}
	}
	l.pending.Done()
}

// stopped settles a job that will not be sent again in this run: it ends as
// its last answer, or as not sent.
func (l *lane) stopped(j *job) {
	if j.last.Outcome != "" {
		l.final(j, j.last, j.lastStatus)
		return
	}
	l.t.notSent.Add(1)
	l.r.unsent(j, l.name)
	l.finish(j)
}

// waitTurn waits out a pause the platform asked for, then the token bucket.
func (l *lane) waitTurn(ctx context.Context) error {
	if err := l.waitPause(ctx); err != nil {
		return err
	}
	if err := l.limiter.Wait(ctx); err != nil {
		return err
	}
	l.paced()
	return nil
}

// waitShared takes a token from the budget shared with other machines, if
// any, right before the request leaves: taken before the row is claimed in
// history, the claim's varying delay would bunch requests up and the chain
// would go above the rate. The attempt is claimed already, so it is sent
// whatever happens meanwhile (sendCtx is never cancelled).
func (l *lane) waitShared() {
	if sh := l.r.opts.Shared[l.name]; sh != nil {
		_ = sh.Wait(l.r.sendCtx)
	}
}

// waitPause waits out a pause the platform asked for.
func (l *lane) waitPause(ctx context.Context) error {
	for {
		l.mu.Lock()
		d := time.Until(l.pauseUntil)
		l.mu.Unlock()
		if d <= 0 {
			break
		}
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
	return nil
}

// paced counts a request in the current one-second window.
func (l *lane) paced() {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if el := now.Sub(l.winStart); el >= time.Second {
		l.lastPace = float64(l.winCount) / el.Seconds()
		l.winStart, l.winCount = now, 0
	}
	l.winCount++
}

// throttle slows the lane down after an answer that asked for it (ALSC codes
// 7 and 8, HTTP 429): every worker pauses for Retry-After (1 s when the
// platform gave none) and the bucket's rate halves, once per pause however
// many answers in flight come back throttled. Every second without a
// throttled answer it climbs back by a quarter, up to the configured rate.
func (l *lane) throttle(retryAfter time.Duration) {
	l.t.throttled.Add(1)
	l.mu.Lock()
	defer l.mu.Unlock()
	if retryAfter <= 0 {
		retryAfter = time.Second
	}
	now := time.Now()
	alreadyPaused := now.Before(l.pauseUntil)
	if until := now.Add(retryAfter); until.After(l.pauseUntil) {
		l.pauseUntil = until
	}
	l.changed = now
	if alreadyPaused {
		return
	}
	if sh := l.r.opts.Shared[l.name]; sh != nil {
		sh.Slow(retryAfter) // once per pause, like the halving below
	}
	cur := l.limiter.Limit()
	if cur == rate.Inf {
		// No configured rate: start from the pace that was too fast.
		cur = rate.Limit(max(l.lastPace, float64(l.winCount)/max(now.Sub(l.winStart).Seconds(), 0.001)))
	}
	l.limiter.SetLimit(max(cur/2, 1))
}

// unthrottled is told of every ok answer.
func (l *lane) unthrottled() {
	l.mu.Lock()
	defer l.mu.Unlock()
	cur := l.limiter.Limit()
	now := time.Now()
	if cur == l.ceiling || now.Before(l.pauseUntil) || now.Sub(l.changed) < time.Second {
		return
	}
	l.changed = now
	next := cur * 1.25
	// With no configured rate the climb ends somewhere: well past the pace
	// that was throttled, the bucket is lifted.
	if next >= l.ceiling || (l.ceiling == rate.Inf && float64(next) > 4*max(l.lastPace, 1)) {
		next = l.ceiling
	}
	l.limiter.SetLimit(next)
}

func (l *lane) claim(keys []store.AttemptKey) ([]store.Started, bool) {
	started, err := l.r.j.claim(keys)
	if err != nil {
		l.r.fail(fmt.Errorf("history: %w", err))
		return nil, false
	}
	return started, true
}

// unclaimed settles a job whose claim was refused: another process is
// sending it or has settled it since the planner read its state.
func (l *lane) unclaimed(j *job, err error) {
	if !errors.Is(err, store.ErrInFlight) && !errors.Is(err, store.ErrChanged) {
		l.r.fail(err)
	}
	l.t.elsewhere.Add(1)
	l.r.note(j.row, l.name, "", "", "another custdesk is sending this row, or settled it meanwhile")
	l.finish(j)
}

func (l *lane) sendOne(ctx context.Context, j *job) {
	if ctx.Err() != nil || l.waitTurn(ctx) != nil {
		l.stopped(j)
		return
	}
	started, ok := l.claim([]store.AttemptKey{{SubmissionID: j.sub.ID, Platform: l.name, Expect: j.expect}})
	if !ok {
		l.stopped(j)
		return
	}
	if started[0].Err != nil {
		l.unclaimed(j, started[0].Err)
		return
	}
	l.t.requests.Add(1)
	l.waitShared()
	// Masked as the history keeps it: the summary and report print from it.
	ex := l.r.j.st.Redact(l.p.Send(l.r.sendCtx, platforms.Single(j.sub.RequestID, j.sub.Customer)))
	if ex.Result.RateLimited {
		l.throttle(ex.Result.RetryAfter)
	}
	l.r.j.record([]store.Recording{{SubmissionID: j.sub.ID, Exchange: ex, SearchLater: true}}, func(err error) {
		if err != nil {
			l.r.fail(fmt.Errorf("history: %w", err))
			l.lost(j, ex.Result)
			return
		}
		l.settle(ctx, j, ex.Result, ex.Status)
	})
}

// sendBatch sends one batch; the caller has waited for its turn.
func (l *lane) sendBatch(ctx context.Context, jobs []*job) {
	if ctx.Err() != nil {
		for _, j := range jobs {
			l.stopped(j)
		}
		return
	}
	keys := make([]store.AttemptKey, len(jobs))
	for i, j := range jobs {
		keys[i] = store.AttemptKey{SubmissionID: j.sub.ID, Platform: l.name, Expect: j.expect}
	}
	started, ok := l.claim(keys)
	if !ok {
		for _, j := range jobs {
			l.stopped(j)
		}
		return
	}
	claimed := jobs[:0:0]
	for i, j := range jobs {
		if started[i].Err != nil {
			l.unclaimed(j, started[i].Err)
		} else {
			claimed = append(claimed, j)
		}
	}
	if len(claimed) == 0 {
		return
	}
	sub := platforms.Submission{RequestID: claimed[0].sub.RequestID, Customers: make([]platforms.Customer, len(claimed))}
	for i, j := range claimed {
		sub.Customers[i] = j.sub.Customer
	}
	l.t.requests.Add(1)
	l.waitShared()
	ex := l.r.j.st.Redact(l.p.Send(l.r.sendCtx, sub))
	if ex.Result.RateLimited {
		l.throttle(ex.Result.RetryAfter)
	}
	results := splitBatch(ex.Result, len(claimed))
	recs := make([]store.Recording, len(claimed))
	for i, j := range claimed {
		recs[i] = store.Recording{SubmissionID: j.sub.ID, Exchange: itemExchange(ex, results[i], i, len(claimed), j, claimed[0]), SearchLater: true}
	}
	l.r.j.record(recs, func(err error) {
		for i, j := range claimed {
			if err != nil {
				l.lost(j, results[i])
			} else {
				l.settle(ctx, j, results[i], ex.Status)
			}
		}
		if err != nil {
			l.r.fail(fmt.Errorf("history: %w", err))
		}
	})
}

// lost settles a job whose answer could not be written to history; the
// import is failing, and the row stays in flight there (unknown after the
// next Recover).
func (l *lane) lost(j *job, r platforms.Result) {
	l.r.note(j.row, l.name, r.Outcome, r.Code, "the answer could not be written to history")
	l.t.unknown.Add(1)
	l.t.answered.Add(1)
	l.finish(j)
}

// settle decides what comes of an answer: done, another attempt now, or left
// for a re-run or a person.
func (l *lane) settle(ctx context.Context, j *job, r platforms.Result, status int) {
	j.last, j.lastStatus = r, status
	if r.Outcome == platforms.OK {
		l.t.ok.Add(1)
		l.t.answered.Add(1)
		l.unthrottled()
		l.finish(j)
		return
	}
	if r.RateLimited {
		j.limits++
	} else {
		j.tries++
	}
	if retryNow(l.name, r, status) && j.tries < l.r.opts.MaxAttempts && j.limits < maxThrottled && ctx.Err() == nil {
		j.expect = r.Outcome
		l.t.retries.Add(1)
		delay := time.Duration(0) // a throttled lane already pauses every worker
		if !r.RateLimited {
			delay = l.r.opts.Backoff(j.tries)
		}
		go l.again(ctx, j, delay)
		return
	}
	l.final(j, r, status)
}

// final counts a row that ends this run on a non-ok answer.
func (l *lane) final(j *job, r platforms.Result, status int) {
	l.t.answered.Add(1)
	switch r.Outcome {
	case platforms.Rejected:
		l.t.rejected.Add(1)
	case platforms.Unknown:
		l.t.unknown.Add(1)
	default:
		l.t.failed.Add(1)
	}
	if !mayResend(l.name, r.Outcome, r, status) {
		l.t.person.Add(1)
	}
	l.r.note(j.row, l.name, r.Outcome, r.Code, r.Message)
	l.finish(j)
}

// again hands a job back to the lane after delay, unless the import stops.
func (l *lane) again(ctx context.Context, j *job, delay time.Duration) {
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			l.stopped(j)
			return
		}
	}
	select {
	case l.retry <- j:
	case <-ctx.Done():
		l.stopped(j)
	}
}

// DefaultBackoff waits 200 ms, doubling per attempt up to 5 s, with ±50 %
// jitter so that rows failed together do not return together.
func DefaultBackoff(attempt int) time.Duration {
	d := 200 * time.Millisecond << min(max(attempt-1, 0), 5)
	d = min(d, 5*time.Second)
	return d/2 + rand.N(d)
}
