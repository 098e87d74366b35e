package importer

import (
	"context"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/custdesk/custdesk/internal/cputime"
	"github.com/custdesk/custdesk/internal/store"
)

// journal group-commits the import's history writes. Every commit is a disk
// sync, about a millisecond, and an import makes three writes per row and
// platform (write-ahead, attempt claimed, answer recorded); one writer
// goroutine gathers whatever the senders have asked for meanwhile into one
// transaction, so the sync is shared. Nobody waits longer than one commit
// when the import is idle, and under load a commit carries dozens of writes.
type journal struct {
	st  *store.Store
	ops chan *journalOp

	search searchQueue // customer IDs of finished rows
	// fail is told of a commit that failed; the import stops on it.
	fail func(error)
}

type journalOp struct {
	begin []*store.Submission
	recs  []store.Recording
	keys  []store.AttemptKey

	started []store.Started
	err     error
	// then, when set, runs on the journal's goroutine after the commit,
	// instead of waking a waiting caller. It must not block.
	then func(*journalOp)
	done chan struct{}
}

// writerBusy is the time journals have spent committing, for BenchmarkImport
// (the writer is the import's one serial stage; its time per send bounds the
// rate).
var writerBusy atomic.Int64

// writerCPU is the CPU time of those commits, the journal's own thread's,
// for BenchmarkImport: on cores shared with the senders (and with a sandbox
// standing in for the platforms) the writer's wall time includes waiting its
// turn for a core, which is not its cost.
var writerCPU atomic.Int64

// writerCommits and writerWrites count the journal's transactions and the
// writes they carried (write-aheads, answers, claims, search additions),
// for BenchmarkImport's writes/commit: the larger the groups, the fewer
// pages each write costs the commit.
var writerCommits, writerWrites atomic.Int64

// maxGroup bounds one transaction: large enough to amortise the sync, small
// enough that the write lock is never held long (another process may wait).
const maxGroup = 512

func newJournal(st *store.Store, fail func(error)) *journal {
	return &journal{st: st, ops: make(chan *journalOp, 64), search: searchQueue{wake: make(chan struct{}, 1)}, fail: fail}
}

// run serves ops until stop is closed, then writes whatever is still queued.
// The context is the import's uncancelled one: answers that arrive after
// ctrl+c are recorded.
func (j *journal) run(ctx context.Context, stop <-chan struct{}) {
	var last time.Time // when the last commit began
	due := time.NewTimer(time.Hour)
	defer due.Stop()
	for {
		var group []*journalOp
		var searchDue <-chan time.Time
		if wait := j.search.due(time.Now()); wait >= 0 {
			due.Reset(wait)
			searchDue = due.C
		}
		select {
		case op := <-j.ops:
			group = append(group, op)
		case <-j.search.wake:
		case <-searchDue:
		case <-stop:
			j.drain(ctx)
			return
		}
		group = j.gatherUntil(group, last.Add(commitEvery))
		last = time.Now()
		j.commit(ctx, group, j.search.take(false))
	}
}

// drain writes what is left once the senders are done: nothing new can
// arrive but searches queued by the last callbacks.
func (j *journal) drain(ctx context.Context) {
	for {
		group := j.gather(nil)
		search := j.search.take(true)
		if len(group) == 0 && len(search) == 0 {
			return
		}
		j.commit(ctx, group, search)
	}
}

// commitEvery spaces commits out: a commit that would begin sooner after the
// last one waits for more writes until then (or until maxGroup), so that
// under load each disk sync carries more of them. Nobody waits longer than
// this plus one commit; an idle import commits at once.
const commitEvery = time.Millisecond

// gather adds to group whatever else is queued, up to maxGroup writes.
func (j *journal) gather(group []*journalOp) []*journalOp {
	return j.gatherUntil(group, time.Time{})
}

// gatherUntil adds to group what is queued and what arrives before until,
// up to maxGroup writes.
func (j *journal) gatherUntil(group []*journalOp, until time.Time) []*journalOp {
	size := 0
	for _, op := range group {
		size += op.size()
	}
	var timeout <-chan time.Time
	if wait := time.Until(until); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		timeout = t.C
	}
	for size < maxGroup {
		select {
		case more := <-j.ops:
			group = append(group, more)
			size += more.size()
			continue
		default:
		}
		if timeout == nil {
			return group
		}
		select {
		case more := <-j.ops:
			group = append(group, more)
			size += more.size()
		case <-timeout:
			return group
		}
	}
	return group
}

func (op *journalOp) size() int { return len(op.begin) + len(op.recs) + len(op.keys) }

// addSearch queues a finished row's customer IDs for the search index. It
// never blocks: callbacks running on the journal's goroutine call it.
func (j *journal) addSearch(adds ...store.SearchAdd) { j.search.add(adds) }

// commit writes a group in the order it was queued: write-aheads, then
// answers, then claims. A sender queues its answer before it asks for its
// next claim, so once a claim is committed the sender's previous answer is
// too: a crash leaves at most one answer per sender unrecorded (the request
// in flight), which is what bounds the rows a non-idempotent platform must
// leave to a person after a crash.
func (j *journal) commit(ctx context.Context, group []*journalOp, search []store.SearchAdd) {
	defer func(start time.Time) { writerBusy.Add(int64(time.Since(start))) }(time.Now())
	// Rows written ahead are indexed for search once, when their last
	// platform is done (rowTrack); IndexWaiting catches the rest at the end.
	b := store.Batch{Search: search, SearchLater: true}
	var begins, recs, keys int
	for _, op := range group {
		begins, recs, keys = begins+len(op.begin), recs+len(op.recs), keys+len(op.keys)
	}
	b.Begin = make([]*store.Submission, 0, begins)
	b.Records = make([]store.Recording, 0, recs)
	b.Claims = make([]store.AttemptKey, 0, keys)
	for _, op := range group {
		b.Begin = append(b.Begin, op.begin...)
		b.Records = append(b.Records, op.recs...)
		b.Claims = append(b.Claims, op.keys...)
	}
	var started []store.Started
	var err error
	if n := len(b.Begin) + len(b.Records) + len(b.Search) + len(b.Claims); n > 0 {
		started, err = j.apply(ctx, b)
		writerCommits.Add(1)
		writerWrites.Add(int64(n))
	}
	if err != nil {
		j.fail(err)
	}
	for _, op := range group {
		if op.err = err; err == nil {
			op.started, started = started[:len(op.keys)], started[len(op.keys):]
		}
		op.finish()
	}
}

// apply is one commit, held to its OS thread so that the thread's CPU time
// is the commit's.
func (j *journal) apply(ctx context.Context, b store.Batch) ([]store.Started, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu0, ok := cputime.Thread()
	_, started, err := j.st.Apply(ctx, b)
	if cpu, _ := cputime.Thread(); ok {
		writerCPU.Add(int64(cpu - cpu0))
	}
	return started, err
}

func (op *journalOp) finish() {
	if op.then != nil {
		op.then(op)
	} else {
		close(op.done)
	}
}

// beginThen writes submissions ahead of any request; then runs once they are
// committed (or failed to be), and must not block.
func (j *journal) beginThen(subs []*store.Submission, then func(err error)) {
	j.ops <- &journalOp{begin: subs, then: func(op *journalOp) { then(op.err) }}
}

// claim claims attempts and waits: the claim must be committed before the
// request leaves.
func (j *journal) claim(keys []store.AttemptKey) ([]store.Started, error) {
	op := &journalOp{keys: keys, done: make(chan struct{})}
	j.ops <- op
	<-op.done
	return op.started, op.err
}

// record queues answers and returns at once; then runs once they are
// committed (or failed to be). A sender does not wait for its answer's
// commit before claiming its next attempt, so each send costs one commit
// wait, not two.
func (j *journal) record(recs []store.Recording, then func(err error)) {
	j.ops <- &journalOp{recs: recs, then: func(op *journalOp) { then(op.err) }}
}
