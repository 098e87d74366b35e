package importer

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

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
	rows, err := openRows(f, h, in)
	if err != nil {
		return err
	}
	defer rows.Close()
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
	if got := digestString(h) + rows.keySuffix(); got != r.checked.Digest {
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
		handouts, fresh = r.planRow(row, earlier[row.Line], handouts, fresh)
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

// planRow hands out a row's platforms: a new submission for those it was
// never sent to, the earlier submission for those to send again.
func (r *run) planRow(row Row, earlier []store.Submission, handouts []handout, fresh []*store.Submission) ([]handout, []*store.Submission) {
	latest := map[string]current{}
	for i := range earlier {
		sub := &earlier[i]
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
			handouts = append(handouts, handout{l, &job{row: row.Line, sub: cur.sub, expect: cur.state.Outcome, attempts: cur.state.Attempts, track: track}})
		}
	}
	track.left.Store(int32(len(handouts) - handed))
	if len(handouts) == handed {
		r.j.addSearch(track.adds()...)
	}
	return handouts, fresh
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
	holder, held := dispatch.HeldBy(st.Result)
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
	case st.Outcome == platforms.Rejected && held && !r.opts.AllowDuplicates:
		// The chain's guard held it: enrolled at another terminal. With
		// --allow-duplicates it goes out as new below, as a rejection does.
		l.t.enrolled.Add(1)
		r.note(row, l.name, "", "", holder)
		return decideSkip
	case st.Outcome == platforms.Rejected:
		// A fresh request_id: ALSC answers a replayed one with its first
		// answer, the same refusal, even when the cause (a setting) is fixed.
		return decideNew
	case mayResend(l.traits, st.Outcome, st.Result, st.Status):
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
