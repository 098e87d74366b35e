package importer

import (
	"sync"
	"time"

	"github.com/custdesk/custdesk/internal/store"
)

// searchQueue holds finished rows' customer IDs for the search index until
// enough have gathered, or the oldest has waited long enough. Every commit
// that writes to the full-text index leaves a new segment there, which the
// index merges with others later: written at every commit (a few
// milliseconds apart under load), a handful of rows each, the writer spent
// more on segments and merges than on the rows. Until then a row's text
// waits in the history's search_later, which a crash leaves to Recover, so
// holding it costs nothing but the delay.
type searchQueue struct {
	mu    sync.Mutex
	adds  []store.SearchAdd
	since time.Time // when the oldest of adds was queued
	// wake is told when adds reaches searchBatch.
	wake chan struct{}
}

const (
	searchBatch = 512
	searchWait  = time.Second
)

// add queues adds. It never blocks: callbacks running on the journal's
// goroutine call it.
func (q *searchQueue) add(adds []store.SearchAdd) {
	if len(adds) == 0 {
		return
	}
	q.mu.Lock()
	if len(q.adds) == 0 {
		q.since = time.Now()
	}
	q.adds = append(q.adds, adds...)
	full := len(q.adds) >= searchBatch
	q.mu.Unlock()
	if full {
		select {
		case q.wake <- struct{}{}:
		default:
		}
	}
}

// due is how long until the queued adds are to be written: 0 when they are
// due now, a negative duration when nothing is queued.
func (q *searchQueue) due(now time.Time) time.Duration {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case len(q.adds) == 0:
		return -1
	case len(q.adds) >= searchBatch:
		return 0
	}
	return max(0, q.since.Add(searchWait).Sub(now))
}

// take returns the queued adds if they are due (or, with all, whatever is
// queued) and empties the queue.
func (q *searchQueue) take(all bool) []store.SearchAdd {
	if !all && q.due(time.Now()) != 0 {
		return nil
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	s := q.adds
	q.adds = nil
	return s
}
