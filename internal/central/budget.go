package central

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Budget is one rate budget (requests per second) per platform and app key,
// shared by every machine of the chain. A machine leases a run of tokens at
// a time from a virtual clock kept in PostgreSQL: the lease covers the next
// free stretch of time, so leases never overlap, and the machine spaces its
// tokens evenly inside its stretch. The chain together never goes above the
// rate, and a machine asks PostgreSQL once per lease, not per request.
type Budget struct {
	pool          *pgxpool.Pool
	platform, key string
	rate          float64
	// Lease is how long a lease covers; a shorter one shares more finely,
	// a longer one asks less often.
	Lease time.Duration

	mu      sync.Mutex
	slots   []time.Time // the leased tokens not used yet, local clock
	lastErr error
	alone   time.Time // the last token paced locally while PostgreSQL was away
	down    time.Time // until then, PostgreSQL is not asked again
	// offset turns the server's clock into this machine's, measured over the
	// quickest round trip (bestRTT) in the last minute.
	offset, bestRTT time.Duration
	measured        time.Time
}

// retryAway is how long a machine that could not reach PostgreSQL goes on
// alone before asking again: a send is never held up by a server that is
// known to be away.
const retryAway = 10 * time.Second

// leaseTimeout bounds one lease.
const leaseTimeout = 2 * time.Second

// Err is the last failure to lease, if any.
func (b *Budget) Err() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.lastErr
}

// errAway: PostgreSQL failed recently and is not asked yet.
var errAway = errors.New("central: unreachable a moment ago; not asked again yet")

// margin keeps scheduling jitter (a request sent a little late next to one
// sent on time) from ever crossing the rate.
const margin = 0.93

// NewBudget shares rate requests per second for platform and appKey.
func NewBudget(pool *pgxpool.Pool, platform, appKey string, rate float64) *Budget {
	return &Budget{pool: pool, platform: platform, key: appKey, rate: rate, Lease: 500 * time.Millisecond}
}

// Wait blocks until this machine may send one request.
//
// A token is spent at its moment or not at all. One whose moment has
// passed by more than lateness is dropped: spent late it would crowd into
// the stretch after it, leased to another machine, and the chain would go
// above the rate there. That holds after the wait too: a machine stalled
// while its requests slept (a loaded machine, a paused process) wakes them
// all at once, and sent together they would be a burst the server counts
// in one window.
func (b *Budget) Wait(ctx context.Context) error {
	for {
		at := b.take(ctx)
		if d := time.Until(at); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			}
		}
		if time.Since(at) <= b.lateness() {
			return nil
		}
	}
}

// take pops the next token not past its moment, leasing more when none is
// left.
func (b *Budget) take(ctx context.Context) time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	for {
		if len(b.slots) == 0 {
			if err := b.lease(ctx); err != nil {
				b.goAlone(err)
			}
		}
		at := b.slots[0]
		b.slots = b.slots[1:]
		if time.Since(at) <= b.lateness() {
			return at
		}
	}
}

// goAlone paces one token locally after a failed lease: unreachable, the
// machine goes on at the full rate rather than stop (offline first); the
// chain may exceed it meanwhile.
func (b *Budget) goAlone(err error) {
	b.down = time.Now().Add(retryAway)
	if !errors.Is(err, errAway) {
		b.lastErr = err
	}
	if now := time.Now(); b.alone.Before(now) {
		b.alone = now
	}
	b.alone = b.alone.Add(b.every())
	b.slots = append(b.slots, b.alone)
}

// lateness is how far past its moment a token may still be spent: two
// tokens' spacing, so a timer's ordinary delay loses nothing, while the
// busiest two seconds hold at most the rate (the margin's 7 % is more than
// the 3.6 % two tokens' spacing adds to a 2 s window at 30/s).
func (b *Budget) lateness() time.Duration { return 2 * b.every() }

func (b *Budget) every() time.Duration {
	return time.Duration(float64(time.Second) / (b.rate * margin))
}

// lease takes the next stretch of the budget's clock. Times come from the
// server's clock and are turned into this machine's, so clocks that differ
// between machines do not matter.
func (b *Budget) lease(ctx context.Context) error {
	if time.Now().Before(b.down) {
		return errAway
	}
	ctx, cancel := context.WithTimeout(ctx, leaseTimeout)
	defer cancel()
	rate := b.rate * margin
	n := max(1, int(rate*b.Lease.Seconds()))
	var start, now time.Time
	sent := time.Now()
	// One statement, not a transaction: the row's lock is held for the
	// statement only, inside the server, so a machine stalled mid-lease
	// (a loaded machine, a paused process) holds up no other machine.
	err := b.pool.QueryRow(ctx, `INSERT INTO budgets AS bu (platform, app_key, rate, next_free)
			VALUES ($1, $2, $3, clock_timestamp() + make_interval(secs => $4::float8 / $3::float8))
		ON CONFLICT (platform, app_key) DO UPDATE SET rate = $3,
			next_free = greatest(bu.next_free, clock_timestamp()) + make_interval(secs => $4::float8 / $3::float8)
		RETURNING next_free - make_interval(secs => $4::float8 / $3::float8), clock_timestamp()`,
		b.platform, b.key, rate, n).Scan(&start, &now)
	if err != nil {
		return fmt.Errorf("central: rate budget %s: %w", b.platform, err)
	}
	b.lastErr = nil
	// The server's "now" was read about halfway through the round trip.
	rtt := time.Since(sent)
	// The server's clock was read somewhere in the round trip: halfway is
	// the guess, and the round trip is its error. The quickest round trip
	// seen gives the best guess (as NTP does); a slow one (a loaded machine)
	// would shift this machine's stretch into another's.
	if b.bestRTT == 0 || rtt <= b.bestRTT || time.Since(b.measured) > time.Minute {
		b.bestRTT, b.measured = rtt, time.Now()
		b.offset = sent.Add(rtt / 2).Sub(now)
	}
	offset := b.offset
	for i := range n {
		b.slots = append(b.slots, start.Add(offset+time.Duration(i)*b.every()))
	}
	return nil
}

// Slow pushes the whole chain's budget back by d after a rate-limit
// answer, and drops this machine's unused tokens: every machine slows
// down, not only the one that was told to. It does not wait for the server.
func (b *Budget) Slow(d time.Duration) {
	b.mu.Lock()
	b.slots = nil
	b.mu.Unlock()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), ConnectTimeout)
		defer cancel()
		_, _ = b.pool.Exec(ctx, `UPDATE budgets SET next_free = greatest(next_free, clock_timestamp()) + make_interval(secs => $3::float8)
			WHERE platform = $1 AND app_key = $2`, b.platform, b.key, d.Seconds())
	}()
}
