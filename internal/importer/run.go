// Package importer is `custdesk import`: it reads customers from a CSV or
// JSONL file as a stream, checks every row for the chosen platforms before
// anything is sent, then sends them through the durable history, batching
// where a platform batches, with per-platform concurrency and rate limits, and
// resumes a re-run of the same file where the last one stopped.
package importer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/policy"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// Options say how to send.
type Options struct {
	Platforms []platforms.Platform
	Store     *store.Store
	// Concurrency is how many requests may be in flight per platform
	// (batches, for a platform that batches). 0 means DefaultConcurrency.
	Concurrency int
	// Rates caps requests per second per platform name; absent or 0 is no
	// cap. Answers that ask to slow down slow a platform further either way.
	Rates map[string]float64
	// Shared draws every request of a platform (by name) from a budget
	// shared with other machines, on top of Rates; nil: none.
	Shared map[string]SharedBudget
	// MaxAttempts bounds attempts per row and platform within one run for
	// retryable failures (rate-limited answers have their own, larger bound).
	// 0 means DefaultMaxAttempts.
	MaxAttempts int
	// ResendUnknown resends rows whose earlier attempt may have created the
	// customer on a platform where a resend is not idempotent (Youzan): a
	// person checked the platform and decided.
	ResendUnknown bool
	// AllowDuplicates sends rows whose mobile (or e-mail) is enrolled
	// already by another submission; without it such rows are skipped.
	AllowDuplicates bool
	// Guard is the chain's duplicate guard (the central store's), asked
	// before each row's send leaves, as the console's sends ask it; nil:
	// the local history's guard alone.
	Guard    dispatch.Guard
	Operator string
	// Backoff is the pause before retry attempt n (1-based); nil:
	// policy.Import, from 200 ms doubling up to 5 s, with jitter.
	Backoff func(attempt int) time.Duration
	// Linger is how long a partly filled batch waits for more rows while a
	// worker is free; 0 means 20 ms.
	Linger time.Duration
}

// SharedBudget is a rate budget other machines draw from too (the central
// store's token leases): Wait takes one request's token, Slow tells every
// machine to back off after a rate-limit answer.
type SharedBudget interface {
	Wait(ctx context.Context) error
	Slow(d time.Duration)
}

// Defaults for Options.
const (
	DefaultConcurrency = 16
	DefaultMaxAttempts = 4
)

// planChunk is how many rows are looked up and written ahead together.
const planChunk = 64

// maxNotes bounds the list of rows that did not end ok kept for the summary.
const maxNotes = 1000

// Import is one run of an import in progress.
type Import struct {
	r    *run
	done chan struct{}
	sum  Summary
	err  error
}

// run is the state shared by the planner and the lanes.
type run struct {
	opts    Options
	checked Checked
	lanes   []*lane
	j       *journal
	// sendCtx is never cancelled: requests already on their way when the
	// import is stopped get their answers, and the answers are recorded.
	sendCtx context.Context
	cancel  context.CancelCauseFunc
	start   time.Time

	mu       sync.Mutex
	fatal    error
	notes    []RowNote
	notesCut int
	meters   map[string]*rateMeter
	// notSent are platforms of rows written ahead in this run and not sent
	// because it stopped; they are released at the end.
	notSent []store.AttemptKey
}

func (r *run) unsent(j *job, platform string) {
	r.mu.Lock()
	r.notSent = append(r.notSent, store.AttemptKey{SubmissionID: j.sub.ID, Platform: platform})
	r.mu.Unlock()
}

// Start begins sending the rows Check found valid. ctx ending (ctrl+c) stops
// it cleanly: no new request starts, requests in flight finish and are
// recorded. Wait returns the summary.
func Start(ctx context.Context, c Checked, opts Options) (*Import, error) {
	if len(opts.Platforms) == 0 {
		return nil, errors.New("import: no platform to send to")
	}
	if opts.Store == nil {
		return nil, errors.New("import: no history store")
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	if opts.Backoff == nil {
		opts.Backoff = policy.Import.Pause
	}
	if opts.Linger <= 0 {
		opts.Linger = 20 * time.Millisecond
	}
	if c.Digest == "" {
		return nil, errors.New("import: the file was not checked")
	}
	// Attempts a crashed import (or console) left in flight become unknown
	// and rows it wrote ahead but never sent become sendable, so the plan
	// below reads settled states.
	if _, err := opts.Store.Recover(ctx); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	resume, err := opts.Store.ImportCount(ctx, c.Digest)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	r := &run{opts: opts, checked: c, sendCtx: context.WithoutCancel(ctx), cancel: cancel, start: time.Now(),
		meters: map[string]*rateMeter{}}
	r.j = newJournal(opts.Store, func(err error) { r.fail(fmt.Errorf("history: %w", err)) })
	for _, p := range opts.Platforms {
		l := newLane(r, p, opts.Rates[p.Name()])
		l.t.total.Store(int64(c.Valid))
		r.lanes = append(r.lanes, l)
		r.meters[p.Name()] = &rateMeter{}
	}
	imp := &Import{r: r, done: make(chan struct{})}
	go func() {
		defer close(imp.done)
		imp.sum, imp.err = r.execute(ctx, resume > 0)
		cancel(nil)
	}()
	return imp, nil
}

// Wait blocks until the import has finished or stopped.
func (imp *Import) Wait() (Summary, error) {
	<-imp.done
	return imp.sum, imp.err
}

// Done is closed when the import has finished or stopped.
func (imp *Import) Done() <-chan struct{} { return imp.done }

func (r *run) execute(ctx context.Context, resume bool) (Summary, error) {
	defer tuneGC()()
	stopJournal := make(chan struct{})
	journalDone := make(chan struct{})
	go func() {
		r.j.run(r.sendCtx, stopJournal)
		close(journalDone)
	}()

	var lanesWG sync.WaitGroup
	for _, l := range r.lanes {
		lanesWG.Go(func() { l.run(ctx) })
	}
	planErr := r.plan(ctx, resume)
	for _, l := range r.lanes {
		close(l.in)
		go l.closeWhenDone()
	}
	lanesWG.Wait()
	close(stopJournal)
	<-journalDone
	if err := r.opts.Store.Release(r.sendCtx, r.notSent); err != nil {
		r.fail(fmt.Errorf("history: %w", err))
	}
	// Rows whose search text still waits (the import failed before their
	// last platform was done) are indexed now rather than at the next Recover.
	if err := r.opts.Store.IndexWaiting(r.sendCtx); err != nil {
		r.fail(fmt.Errorf("history: %w", err))
	}

	sum := r.summary(ctx)
	r.mu.Lock()
	fatal := r.fatal
	r.mu.Unlock()
	switch {
	case fatal != nil:
		return sum, fatal
	case planErr != nil && !errors.Is(planErr, context.Canceled):
		return sum, planErr
	}
	return sum, nil
}

// fail stops the import on an error that makes going on pointless (the
// history cannot be written).
func (r *run) fail(err error) {
	r.mu.Lock()
	if r.fatal == nil {
		r.fatal = err
	}
	r.mu.Unlock()
	r.cancel(err)
}

// RowNote is a row that did not end ok on a platform, for the summary.
type RowNote struct {
	Row      int               `json:"row"`
	Platform string            `json:"platform"`
	Outcome  platforms.Outcome `json:"outcome,omitempty"`
	Code     string            `json:"code,omitempty"`
	Message  string            `json:"message"`
}

func (r *run) note(row int, platform string, outcome platforms.Outcome, code, msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.notes) >= maxNotes {
		r.notesCut++
		return
	}
	r.notes = append(r.notes, RowNote{row, platform, outcome, code, msg})
}
