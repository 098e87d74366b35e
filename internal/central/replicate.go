package central

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Replicator ships the local outbox to the central store in the
// background. It never holds up the history: it reads snapshots and writes
// only its own mark.
type Replicator struct {
	local *Local
	pool  *pgxpool.Pool
	// BatchSize bounds the changes shipped in one central transaction.
	BatchSize int
	// Poll is how often an idle replicator looks for new changes.
	Poll time.Duration
	// Heartbeat is how long an idle replicator goes without hearing from
	// the central store before it asks: "synced" must mean the server
	// answered lately, not only that nothing was left to ship.
	Heartbeat time.Duration

	kick chan struct{}

	mu     sync.Mutex
	status Status
	ready  bool      // the schema was checked on the current connection spell
	heard  time.Time // the central store's last answer
}

// NewReplicator ships local's outbox to pool.
func NewReplicator(local *Local, pool *pgxpool.Pool) *Replicator {
	return &Replicator{local: local, pool: pool, BatchSize: 2000, Poll: 500 * time.Millisecond,
		Heartbeat: 10 * time.Second, kick: make(chan struct{}, 1)}
}

// Kick asks for a round now (a submission was just written).
func (r *Replicator) Kick() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// Run replicates until ctx ends. Failures are kept in the status and
// retried with a growing pause; nothing is lost meanwhile, since the outbox
// stays in the local file.
func (r *Replicator) Run(ctx context.Context) {
	pause := time.Duration(0)
	for {
		n, err := r.Step(ctx)
		if ctx.Err() != nil {
			return
		}
		switch {
		case err != nil:
			pause = min(max(2*pause, time.Second), 30*time.Second)
		case n >= r.BatchSize:
			pause = 0
			continue
		default:
			pause = r.Poll
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-r.kick:
			t.Stop()
		case <-t.C:
		}
	}
}

// Step ships one batch and returns how many changes it covered.
func (r *Replicator) Step(ctx context.Context) (int, error) {
	b, err := r.local.readBatch(ctx, r.BatchSize)
	if err != nil {
		r.failed(fmt.Errorf("reading the local outbox: %w", err), false)
		return 0, err
	}
	if b.changes == 0 {
		if err := r.listen(ctx); err != nil {
			r.failed(err, !errors.Is(err, errSchema))
			return 0, err
		}
		r.synced(ctx)
		return 0, nil
	}
	if err := r.ship(ctx, b); err != nil {
		r.failed(err, !errors.Is(err, errSchema))
		return 0, err
	}
	// The central commit came first: a crash here ships the batch again,
	// which the upserts absorb.
	if err := r.local.advance(ctx, b.last); err != nil {
		r.failed(fmt.Errorf("moving the local mark: %w", err), false)
		return 0, err
	}
	r.synced(ctx)
	return b.changes, nil
}

func (r *Replicator) ship(ctx context.Context, b *batch) error {
	if err := r.prepare(ctx); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		var pb pgx.Batch
		b.queue(&pb, r.local.terminal)
		return tx.SendBatch(ctx, &pb).Close()
	})
}

// prepare checks the central schema once per connection spell.
func (r *Replicator) prepare(ctx context.Context) error {
	r.mu.Lock()
	ready := r.ready
	r.mu.Unlock()
	if ready {
		return nil
	}
	if err := CheckSchema(ctx, r.pool); err != nil {
		var pe *pgconn.PgError
		if errors.Is(err, ErrNotInitialised) || errors.Is(err, ErrTooNew) || strings.Contains(err.Error(), "older than") || errors.As(err, &pe) {
			return fmt.Errorf("%w: %w", errSchema, err)
		}
		return err
	}
	r.mu.Lock()
	r.ready = true
	r.mu.Unlock()
	return nil
}

// pingTimeout bounds the idle replicator's question to the central store.
const pingTimeout = 5 * time.Second

// listen asks the central store whether it is there when nothing was
// heard from it for a Heartbeat.
func (r *Replicator) listen(ctx context.Context) error {
	r.mu.Lock()
	fresh := !r.heard.IsZero() && time.Since(r.heard) < r.Heartbeat
	ready := r.ready
	r.mu.Unlock()
	if fresh {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if !ready {
		return r.prepare(ctx)
	}
	return r.pool.Ping(ctx)
}

// Drain ships until nothing is left (or ctx ends).
func (r *Replicator) Drain(ctx context.Context) error {
	for {
		n, err := r.Step(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
	}
}

func (r *Replicator) synced(ctx context.Context) {
	behind, err := r.local.Behind(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status.Reachable, r.status.Since, r.status.Err, r.status.Schema = true, time.Time{}, "", false
	r.status.Checked = time.Now()
	r.heard = r.status.Checked
	if err == nil {
		r.status.Behind = behind
	}
}

func (r *Replicator) failed(err error, central bool) {
	behind, _ := r.local.Behind(context.Background())
	r.mu.Lock()
	defer r.mu.Unlock()
	if central {
		r.ready = false
		if r.status.Reachable || r.status.Since.IsZero() {
			r.status.Since = time.Now()
		}
		r.status.Reachable = false
	}
	r.status.Behind, r.status.Err, r.status.Checked = behind, err.Error(), time.Now()
	r.status.Schema = errors.Is(err, errSchema)
}

// errSchema marks a server that answers but whose schema this custdesk
// cannot ship to: reachable, and waiting for 'custdesk central init'.
var errSchema = errors.New("central schema")

// Status is where replication stands.
func (r *Replicator) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}
