package importer

import "time"

// arrivals measures how fast jobs reach a batching lane, so its batcher can
// wait as long as filling a batch takes at that rate. With a fixed Linger a
// partly filled batch left after 20 ms whatever the rate: about 20
// customers at 1,500 rows a second, where the platform takes 100 a request.
type arrivals struct {
	start time.Time // of the current window
	n     int       // arrivals in it
	rate  float64   // per second, over the last full window; 0 until one
}

// arrivalWindow is long enough to span the planner's bursts (it hands out
// rows a chunk at a time, once their write-ahead is committed).
const arrivalWindow = 200 * time.Millisecond

// lingerCap bounds how long a batch waits, as a multiple of Linger: the
// rows of a slow import are not held back for a batch that would take
// seconds to fill.
const lingerCap = 5

func (a *arrivals) add(now time.Time) {
	if a.start.IsZero() {
		a.start = now
	}
	a.n++
	if d := now.Sub(a.start); d >= arrivalWindow {
		a.rate = float64(a.n) / d.Seconds()
		a.start, a.n = now, 0
	}
}

// linger is how long a batch begun now, with room for room more jobs,
// waits to fill: the time the observed rate takes to fill it, at least base
// and at most lingerCap times base. A batch that fills leaves at once, so
// the wait only matters when the rate drops.
func (a *arrivals) linger(base time.Duration, room int) time.Duration {
	if a.rate <= 0 {
		return base
	}
	fill := time.Duration(float64(room) / a.rate * float64(time.Second))
	return min(max(fill, base), lingerCap*base)
}
