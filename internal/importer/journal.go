package importer

import (
	"context"

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
}

type journalOp struct {
	begin []*store.Submission
	recs  []store.Recording
	keys  []store.AttemptKey

	ids     []int64
	started []store.Started
	err     error
	done    chan struct{}
}

// maxGroup bounds one transaction: large enough to amortise the sync, small
// enough that the write lock is never held long (another process may wait).
const maxGroup = 512

func newJournal(st *store.Store) *journal {
	return &journal{st: st, ops: make(chan *journalOp, 64)}
}

// run serves ops until ctx ends and the queue is empty. The context is the
// import's uncancelled one: answers that arrive after ctrl+c are recorded.
func (j *journal) run(ctx context.Context, stop <-chan struct{}) {
	for {
		var op *journalOp
		select {
		case op = <-j.ops:
		case <-stop:
			return
		}
		group := []*journalOp{op}
		size := op.size()
	gather:
		for size < maxGroup {
			select {
			case more := <-j.ops:
				group = append(group, more)
				size += more.size()
			default:
				break gather
			}
		}
		j.commit(ctx, group)
	}
}

func (op *journalOp) size() int { return len(op.begin) + len(op.recs) + len(op.keys) }

func (j *journal) commit(ctx context.Context, group []*journalOp) {
	var begin []*store.Submission
	var recs []store.Recording
	var keys []store.AttemptKey
	for _, op := range group {
		begin = append(begin, op.begin...)
		recs = append(recs, op.recs...)
		keys = append(keys, op.keys...)
	}
	var err error
	if len(begin) > 0 {
		err = j.st.BeginMany(ctx, begin)
	}
	var ids []int64
	var started []store.Started
	if err == nil && len(recs)+len(keys) > 0 {
		ids, started, err = j.st.Apply(ctx, recs, keys)
	}
	for _, op := range group {
		if err != nil {
			op.err = err
		} else {
			op.ids, ids = ids[:len(op.recs)], ids[len(op.recs):]
			op.started, started = started[:len(op.keys)], started[len(op.keys):]
		}
		close(op.done)
	}
}

// do queues op and waits for its commit.
func (j *journal) do(op *journalOp) *journalOp {
	op.done = make(chan struct{})
	j.ops <- op
	<-op.done
	return op
}

// begin writes submissions ahead of any request.
func (j *journal) begin(subs []*store.Submission) error {
	return j.do(&journalOp{begin: subs}).err
}

// apply records answers and claims the next attempts.
func (j *journal) apply(recs []store.Recording, keys []store.AttemptKey) ([]store.Started, error) {
	op := j.do(&journalOp{recs: recs, keys: keys})
	return op.started, op.err
}
