package importer

import "sync/atomic"

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
