package central

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
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
}

// Err is the last failure to lease, if any.
func (b *Budget) Err() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.lastErr
}

// margin keeps scheduling jitter (a request sent a little late next to one
// sent on time) from ever crossing the rate.
const margin = 0.95

// NewBudget shares rate requests per second for platform and appKey.
func NewBudget(pool *pgxpool.Pool, platform, appKey string, rate float64) *Budget {
	return &Budget{pool: pool, platform: platform, key: appKey, rate: rate, Lease: 500 * time.Millisecond}
}

// Wait blocks until this machine may send one request.
func (b *Budget) Wait(ctx context.Context) error {
	b.mu.Lock()
	var at time.Time
	for {
		if len(b.slots) == 0 {
			if err := b.lease(ctx); err != nil {
				// Unreachable: the machine goes on alone at the full rate rather
				// than stop (offline first); the chain may exceed it meanwhile.
				b.lastErr = err
				if now := time.Now(); b.alone.Before(now) {
					b.alone = now
				}
				b.alone = b.alone.Add(b.every())
				b.slots = append(b.slots, b.alone)
			}
		}
		at = b.slots[0]
		b.slots = b.slots[1:]
		// A token whose moment has passed is dropped, not spent late: spent
		// late it would crowd into the next stretch, leased to another
		// machine, and the chain would go above the rate there.
		if time.Since(at) <= b.every()/2 {
			break
		}
	}
	b.mu.Unlock()
	d := time.Until(at)
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (b *Budget) every() time.Duration {
	return time.Duration(float64(time.Second) / (b.rate * margin))
}

// lease takes the next stretch of the budget's clock. Times come from the
// server's clock and are turned into this machine's, so clocks that differ
// between machines do not matter.
func (b *Budget) lease(ctx context.Context) error {
	rate := b.rate * margin
	n := max(1, int(rate*b.Lease.Seconds()))
	var start, now time.Time
	sent := time.Now()
	err := pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO budgets (platform, app_key, rate) VALUES ($1, $2, $3)
			ON CONFLICT (platform, app_key) DO NOTHING`, b.platform, b.key, rate); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `UPDATE budgets SET rate = $3,
				next_free = greatest(next_free, clock_timestamp()) + make_interval(secs => $4::float8 / $3::float8)
			WHERE platform = $1 AND app_key = $2
			RETURNING next_free - make_interval(secs => $4::float8 / $3::float8), clock_timestamp()`,
			b.platform, b.key, rate, n).Scan(&start, &now)
	})
	if err != nil {
		return fmt.Errorf("central: rate budget %s: %w", b.platform, err)
	}
	b.lastErr = nil
	// The server's "now" was read about halfway through the round trip.
	local := sent.Add(time.Since(sent) / 2)
	offset := local.Sub(now)
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
