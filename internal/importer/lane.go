package importer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// job is one row to send to one platform.
type job struct {
	row      int
	sub      *store.Submission // shared by the row's lanes; read-only once begun
	expect   platforms.Outcome // the state's outcome when this attempt was decided
	attempts int               // and its attempts (the claim's hint, store.AttemptKey.Known)
	tries    int               // attempts in this run that failed (not throttled)
	limits   int               // attempts in this run that were rate limited
	// last is the latest answer in this run, what the row ends as if the
	// import stops before the next attempt.
	last       platforms.Result
	lastStatus int
	track      *rowTrack
}

// key is the claim of the job's next attempt.
func (j *job) key(platform string) store.AttemptKey {
	return store.AttemptKey{SubmissionID: j.sub.ID, Platform: platform, Expect: j.expect, Attempts: j.attempts, Known: true}
}

// lane sends one platform's jobs: its own workers, token bucket and batching,
// so a slow or throttled platform never holds back the others.
type lane struct {
	r      *run
	p      platforms.Platform
	name   string
	traits platforms.Traits
	batch  int

	in      chan *job // from the planner; closed when it is done
	retry   chan *job // attempts to make again
	quit    chan struct{}
	pending sync.WaitGroup // jobs handed to the lane and not finished

	pace *pacer
	t    tally

	// Batches being sent, and a wake-up for the batcher when one is done: a
	// partly filled batch waits while another is on its way (see batcher).
	sending atomic.Int32
	sent    chan struct{}
}

// Attempt limits within one run; a re-run starts again.
const maxThrottled = 10

func newLane(r *run, p platforms.Platform, perSecond float64) *lane {
	l := &lane{r: r, p: p, name: p.Name(), traits: p.Traits(), batch: max(1, p.MaxBatch()),
		in: make(chan *job, max(2*r.opts.Concurrency*p.MaxBatch(), 4*planChunk)), retry: make(chan *job), quit: make(chan struct{}),
		pace: newPacer(perSecond), sent: make(chan struct{}, 1)}
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
					turn := l.pace.turn(ctx)
					b, ok := <-batches
					if !ok {
						return
					}
					if turn != nil || l.pace.pause(ctx) != nil {
						for _, j := range b {
							l.stopped(j)
						}
						continue
					}
					l.sending.Add(1)
					l.sendBatch(ctx, b)
					l.sending.Add(-1)
					select {
					case l.sent <- struct{}{}:
					default:
					}
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
// when it is full, or when it has waited long enough, no other batch is
// being sent and a worker is free; otherwise it keeps filling. Long enough
// is what filling it takes at the rate rows arrive, between Linger and
// lingerCap times Linger (arrivals), and no wait at all once the planner is
// done. Under load batches so fill towards the maximum (fewer, fuller
// requests, as a platform that batches wants) instead of leaving every
// Linger with what had arrived, and a small import's last batch leaves at
// once.
func (l *lane) batcher(out chan<- []*job) {
	defer close(out)
	in := l.in
	var cur []*job
	var ripe bool
	var rate arrivals
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		var send chan<- []*job
		if len(cur) == l.batch || (len(cur) > 0 && ripe && l.sending.Load() == 0) {
			send = out
		}
		accept, retry := in, l.retry
		if len(cur) == l.batch {
			accept, retry = nil, nil
		}
		select {
		case j, ok := <-accept:
			if !ok {
				in, ripe = nil, true // nothing more but retries
				continue
			}
			cur = l.collect(cur, j, timer, &rate)
		case j := <-retry:
			cur = l.collect(cur, j, timer, &rate)
		case <-timer.C:
			ripe = true
		case <-l.sent: // look again whether a ripe batch may go
		case send <- cur:
			cur, ripe = nil, in == nil
			timer.Stop()
		case <-l.quit:
			return
		}
	}
}

func (l *lane) collect(cur []*job, j *job, timer *time.Timer, rate *arrivals) []*job {
	rate.add(time.Now())
	if len(cur) == 0 {
		timer.Reset(rate.linger(l.r.opts.Linger, l.batch-1))
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

// throttle counts a throttled answer and slows the lane down, and with it
// the chain's shared budget, once per pause.
func (l *lane) throttle(retryAfter time.Duration) {
	l.t.throttled.Add(1)
	if began := l.pace.throttled(retryAfter); began > 0 {
		if sh := l.r.opts.Shared[l.name]; sh != nil {
			sh.Slow(began)
		}
	}
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
	if ctx.Err() != nil || l.pace.turn(ctx) != nil {
		l.stopped(j)
		return
	}
	started, ok := l.claim([]store.AttemptKey{j.key(l.name)})
	if !ok {
		l.stopped(j)
		return
	}
	if started[0].Err != nil {
		l.unclaimed(j, started[0].Err)
		return
	}
	j.attempts = started[0].Attempt
	if ex, held := dispatch.GuardBefore(l.r.sendCtx, l.r.opts.Guard, *j.sub, l.name); held {
		l.held(j, ex, started[0].Exchange)
		return
	}
	l.t.requests.Add(1)
	l.waitShared()
	// Masked as the history keeps it: the summary and report print from it.
	ex := l.r.j.st.Redact(l.p.Send(l.r.sendCtx, platforms.Single(j.sub.RequestID, j.sub.Customer)))
	if ex.Result.RateLimited {
		l.throttle(ex.Result.RetryAfter)
	}
	l.r.j.record(l.encode([]store.Recording{{SubmissionID: j.sub.ID, Exchange: ex, SearchLater: true, Claimed: started[0].Exchange}}), func(err error) {
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
		keys[i] = j.key(l.name)
	}
	started, ok := l.claim(keys)
	if !ok {
		for _, j := range jobs {
			l.stopped(j)
		}
		return
	}
	claimed, exchanges := jobs[:0:0], make([]int64, 0, len(jobs))
	for i, j := range jobs {
		if started[i].Err != nil {
			l.unclaimed(j, started[i].Err)
		} else {
			j.attempts = started[i].Attempt
			claimed = append(claimed, j)
			exchanges = append(exchanges, started[i].Exchange)
		}
	}
	claimed, exchanges = l.notHeld(claimed, exchanges)
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
		recs[i] = store.Recording{SubmissionID: j.sub.ID, Exchange: itemExchange(ex, results[i], i, len(claimed), j, claimed[0]),
			SearchLater: true, Claimed: exchanges[i]}
	}
	l.r.j.record(l.encode(recs), func(err error) {
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

// notHeld asks the chain's guard about each claimed job of a batch at once
// (a round trip each to the central store) and settles those it holds; the
// rest, with their claimed exchanges, are sent.
func (l *lane) notHeld(jobs []*job, exchanges []int64) ([]*job, []int64) {
	if l.r.opts.Guard == nil {
		return jobs, exchanges
	}
	held := make([]platforms.Exchange, len(jobs))
	isHeld := make([]bool, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() { held[i], isHeld[i] = dispatch.GuardBefore(l.r.sendCtx, l.r.opts.Guard, *j.sub, l.name) })
	}
	wg.Wait()
	keep, keepEx := jobs[:0:0], exchanges[:0:0]
	for i, j := range jobs {
		if isHeld[i] {
			l.held(j, held[i], exchanges[i])
			continue
		}
		keep, keepEx = append(keep, j), append(keepEx, exchanges[i])
	}
	return keep, keepEx
}

// held settles a job the chain's guard held, its member being enrolled on
// the platform at another terminal: nothing was sent, and the exchange that
// says so is recorded, as the console records it.
func (l *lane) held(j *job, ex platforms.Exchange, claimed int64) {
	l.r.j.record(l.encode([]store.Recording{{SubmissionID: j.sub.ID, Exchange: ex, SearchLater: true, Claimed: claimed}}), func(err error) {
		if err != nil {
			l.r.fail(fmt.Errorf("history: %w", err))
			l.lost(j, ex.Result)
			return
		}
		holder, _ := dispatch.HeldBy(ex.Result)
		l.t.enrolled.Add(1)
		l.r.note(j.row, l.name, "", "", holder)
		l.finish(j)
	})
}

// encode encodes answers for the history on the sender's goroutine, so the
// journal's one writer only writes. A recording that cannot be encoded is
// left for Apply, which fails the commit on it as before.
func (l *lane) encode(recs []store.Recording) []store.Recording {
	for i, r := range recs {
		if e, err := l.r.j.st.Encode(r); err == nil {
			recs[i] = e
		}
	}
	return recs
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
		l.pace.ok()
		l.finish(j)
		return
	}
	if r.RateLimited {
		j.limits++
	} else {
		j.tries++
	}
	if retryNow(l.traits, r, status) && j.tries < l.r.opts.MaxAttempts && j.limits < maxThrottled && ctx.Err() == nil {
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

// final counts a row that ends this run on a non-ok answer. A rejection
// gives the member back to the chain: nothing was created.
func (l *lane) final(j *job, r platforms.Result, status int) {
	dispatch.GuardAfter(l.r.sendCtx, l.r.opts.Guard, *j.sub, l.name, r)
	l.t.answered.Add(1)
	switch r.Outcome {
	case platforms.Rejected:
		l.t.rejected.Add(1)
	case platforms.Unknown:
		l.t.unknown.Add(1)
	default:
		l.t.failed.Add(1)
	}
	if !mayResend(l.traits, r.Outcome, r, status) {
		l.t.person.Add(1)
	}
	l.r.note(j.row, l.name, r.Outcome, r.Code, r.Message)
	l.finish(j)
}

// again hands a job back to the lane after delay, unless the import stops.
func (l *lane) again(ctx context.Context, j *job, delay time.Duration) {
	if delay > 0 && sleep(ctx, delay) != nil {
		l.stopped(j)
		return
	}
	select {
	case l.retry <- j:
	case <-ctx.Done():
		l.stopped(j)
	}
}
