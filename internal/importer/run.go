// Package importer is `custdesk import`: it reads customers from a CSV or
// JSONL file as a stream, checks every row for the chosen platforms before
// anything is sent, then sends them through the durable history, batching
// where a platform batches, with per-platform concurrency and rate limits, and
// resumes a re-run of the same file where the last one stopped.
package importer

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

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
	Operator        string
	// Backoff is the pause before retry attempt n (1-based); nil: DefaultBackoff.
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
		opts.Backoff = DefaultBackoff
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

// plan reads the file a second time, as a stream, and hands every valid row
// to the lanes that still have to send it.
func (r *run) plan(ctx context.Context, resume bool) error {
	f, err := os.Open(r.checked.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return err
	} else if fi.Size() != r.checked.Size || !fi.ModTime().Equal(r.checked.ModTime) {
		return fmt.Errorf("%s changed after it was checked; run the import again", r.checked.Path)
	}
	h := sha256.New()
	in := r.checked.Input
	in.Format, in.Encoding = r.checked.Format, r.checked.Encoding
	rows, err := openRows(io.TeeReader(f, h), in)
	if err != nil {
		return err
	}
	// Chunks are written ahead while earlier ones are handed out, so reading
	// the file never waits for a commit; planAhead bounds how far ahead.
	ready := make(chan *chunkPlan, planAhead)
	handedOut := make(chan struct{})
	go func() {
		defer close(handedOut)
		r.handOut(ctx, ready)
	}()
	defer func() {
		close(ready)
		<-handedOut
	}()
	chunk := make([]Row, 0, planChunk)
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		row, err := rows.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if len(rowProblems(row, r.opts.Platforms)) > 0 {
			continue
		}
		chunk = append(chunk, row)
		if len(chunk) == planChunk {
			if err := r.planChunk(ctx, chunk, resume, ready); err != nil {
				return err
			}
			chunk = make([]Row, 0, planChunk)
		}
	}
	if err := r.planChunk(ctx, chunk, resume, ready); err != nil {
		return err
	}
	if got := digestString(h); got != r.checked.Digest {
		return fmt.Errorf("%s changed while it was being imported (digest %s, checked %s); rows sent so far are in history under the old digest", r.checked.Path, got, r.checked.Digest)
	}
	return nil
}

// current is the latest state of one platform for a row, across the
// submissions earlier runs made for it.
type current struct {
	sub   *store.Submission
	state store.PlatformState
}

// planAhead is how many chunks may be written ahead of the lanes.
const planAhead = 4

// chunkPlan is a chunk's jobs, handed out once its submissions are written.
type chunkPlan struct {
	handouts []handout
	done     chan struct{} // closed when the write-ahead is committed
	err      error
}

type handout struct {
	l *lane
	j *job
}

// handOut gives each chunk's jobs to their lanes once the chunk's write-ahead
// has committed. When the import stops, the jobs of chunks already written
// are counted as not sent (and released at the end).
func (r *run) handOut(ctx context.Context, ready <-chan *chunkPlan) {
	stopped := false
	for cp := range ready {
		<-cp.done
		if cp.err != nil {
			continue // nothing was written; the import is failing
		}
		for _, h := range cp.handouts {
			if h.j.sub.ID == 0 {
				// The write-ahead's duplicate guard refused the row.
				h.l.enrolled(h.j)
				continue
			}
			if stopped {
				h.l.notHandedOut(h.j)
			} else if !h.l.add(ctx, h.j) {
				stopped = true
			}
		}
	}
}

func (r *run) planChunk(ctx context.Context, rows []Row, resume bool, ready chan<- *chunkPlan) error {
	if len(rows) == 0 {
		return nil
	}
	var earlier map[int][]store.Submission
	if resume {
		var err error
		earlier, err = r.opts.Store.FindImports(ctx, r.checked.Digest, rows[0].Line, rows[len(rows)-1].Line)
		if err != nil {
			return err
		}
	}
	var handouts []handout
	var fresh []*store.Submission
	for _, row := range rows {
		latest := map[string]current{}
		for i := range earlier[row.Line] {
			sub := &earlier[row.Line][i]
			for _, p := range sub.Platforms {
				latest[p] = current{sub, sub.States[p]}
			}
		}
		var newSub *store.Submission
		track := &rowTrack{}
		for _, cur := range latest {
			if cur.state.Outcome == platforms.OK {
				// Rows ok before: their IDs go to the search index again, in
				// case the run that sent them stopped before indexing them
				// (adding an ID already there writes nothing).
				track.add(cur.sub.ID, cur.state.Result)
			}
		}
		handed := len(handouts)
		for _, l := range r.lanes {
			d := decideNew
			cur, seen := latest[l.name]
			if seen {
				d = r.decide(l, row.Line, cur)
			}
			switch d {
			case decideNew:
				if newSub == nil {
					newSub = &store.Submission{Customer: row.Customer, Source: store.SourceImport, Operator: r.opts.Operator,
						ImportFile: r.checked.Digest, ImportRow: row.Line, AllowDuplicate: r.opts.AllowDuplicates}
					fresh = append(fresh, newSub)
				}
				newSub.Platforms = append(newSub.Platforms, l.name)
				handouts = append(handouts, handout{l, &job{row: row.Line, sub: newSub, track: track}})
			case decideSend:
				handouts = append(handouts, handout{l, &job{row: row.Line, sub: cur.sub, expect: cur.state.Outcome, track: track}})
			}
		}
		track.left.Store(int32(len(handouts) - handed))
		if len(handouts) == handed {
			r.j.addSearch(track.adds()...)
		}
	}
	cp := &chunkPlan{handouts: handouts, done: make(chan struct{})}
	if len(fresh) == 0 {
		close(cp.done)
	} else {
		r.j.beginThen(fresh, func(err error) {
			if err != nil {
				cp.err = err
				r.fail(fmt.Errorf("history: %w", err))
			}
			close(cp.done)
		})
	}
	select {
	case ready <- cp:
		return nil
	case <-ctx.Done():
		// Not handed over: wait for the write-ahead so that what it wrote is
		// released with the rest.
		<-cp.done
		if cp.err == nil {
			for _, h := range handouts {
				h.l.notHandedOut(h.j)
			}
		}
		return ctx.Err()
	}
}

type decision int

const (
	decideSkip decision = iota // settled: counted, nothing to send
	decideSend                 // send again under the same submission
	decideNew                  // send under a new submission
)

// decide what a re-run does with one platform of a row sent before, and
// count the rows it skips.
func (r *run) decide(l *lane, row int, cur current) decision {
	st := cur.state
	switch {
	case st.Outcome == platforms.OK:
		l.t.already.Add(1)
		return decideSkip
	case st.InFlight:
		l.t.elsewhere.Add(1)
		r.note(row, l.name, "", "", "another custdesk is sending this row")
		return decideSkip
	case st.Dropped:
		l.t.dropped.Add(1)
		r.note(row, l.name, st.Outcome, st.Result.Code, "a person chose not to send this row again")
		return decideSkip
	case st.Outcome == platforms.Rejected:
		// A fresh request_id: ALSC answers a replayed one with its first
		// answer, the same refusal, even when the cause (a setting) is fixed.
		return decideNew
	case mayResend(l.name, st.Outcome, st.Result, st.Status):
		return decideSend
	case r.opts.ResendUnknown:
		return decideSend
	}
	switch st.Outcome {
	case platforms.Unknown:
		l.t.unknown.Add(1)
	default:
		l.t.failed.Add(1)
	}
	l.t.person.Add(1)
	r.note(row, l.name, st.Outcome, st.Result.Code, "not resent: the earlier attempt may have created the customer; check "+l.p.Title()+", then resend it from history or run again with --resend-unknown")
	return decideSkip
}

// rowTrack gathers the customer IDs a row's platforms return, so the search
// index is updated once per row, when its last platform is done, instead of
// once per platform (store.Recording.SearchLater).
type rowTrack struct {
	left atomic.Int32 // jobs of the row not finished
	mu   sync.Mutex
	ids  map[int64][]string // by submission
}

func (t *rowTrack) add(subID int64, r platforms.Result) {
	ids := r.CustomerIDs
	for _, it := range r.Items {
		if it.CustomerID != "" {
			ids = append(ids, it.CustomerID)
		}
	}
	if len(ids) == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ids == nil {
		t.ids = map[int64][]string{}
	}
	t.ids[subID] = append(t.ids[subID], ids...)
}

func (t *rowTrack) adds() []store.SearchAdd {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]store.SearchAdd, 0, len(t.ids))
	for id, ids := range t.ids {
		out = append(out, store.SearchAdd{SubmissionID: id, IDs: ids})
	}
	return out
}

// splitBatch gives each customer of a batch its own verdict, by index.
func splitBatch(r platforms.Result, n int) []platforms.Result {
	out := make([]platforms.Result, n)
	if len(r.Items) == 0 {
		for i := range out {
			item := r
			item.Items, item.CustomerIDs = nil, nil
			if r.Outcome == platforms.OK && len(r.CustomerIDs) == n {
				item.CustomerIDs = []string{r.CustomerIDs[i]}
			}
			if r.Outcome == platforms.Partial {
				item = platforms.Result{Outcome: platforms.Unknown, Code: r.Code, Retryable: true,
					Message: "the batch was partly created and the answer does not say which customers"}
			}
			out[i] = item
		}
		return out
	}
	seen := make([]bool, n)
	for _, it := range r.Items {
		if it.Index < 0 || it.Index >= n || seen[it.Index] {
			continue
		}
		seen[it.Index] = true
		ir := platforms.Result{Outcome: it.Outcome, Code: it.Code, Message: it.Message, Items: []platforms.ItemResult{it}}
		if it.CustomerID != "" {
			ir.CustomerIDs = []string{it.CustomerID}
		}
		ir.Retryable = it.Outcome == platforms.Failed || it.Outcome == platforms.Unknown
		out[it.Index] = ir
	}
	for i := range out {
		if !seen[i] {
			out[i] = platforms.Result{Outcome: platforms.Unknown, Code: "NO_ITEM", Retryable: true,
				Message: "the answer does not mention this customer"}
		}
	}
	return out
}

// itemExchange is what history keeps for one customer of a batch: the batch's
// exchange with this customer's verdict. The bodies (and NXLink's signed
// string, which holds the body) are kept once, with the batch's first
// customer; the others say where to find them.
func itemExchange(ex platforms.Exchange, r platforms.Result, i, n int, j, first *job) platforms.Exchange {
	e := ex
	e.RequestID = j.sub.RequestID
	e.Result = r
	note := fmt.Sprintf("customer %d of %d in one %s request", i+1, n, ex.Platform)
	if i == 0 {
		note += "; the full request and answer are kept here"
	} else {
		e.Request.Body, e.Request.Signed, e.Response = nil, "", nil
		note += fmt.Sprintf("; the full request and answer are kept with submission %d (row %d)", first.sub.ID, first.row)
	}
	e.Result.Message = strings.TrimSpace(strings.TrimSuffix(r.Message, ".") + " (" + note + ")")
	return e
}
