package ui

import (
	"context"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/internal/store"
)

// firstRead is how many of the newest submissions the first frame reads:
// more than a tall terminal shows. Each costs some 25 µs to read with its
// states, so a whole page (historyPage) would keep the first frame waiting
// some 5 ms; the page behind them is read after the first frame
// (restOfFirstPage).
const firstRead = 64

// frameInterval is how long Bubble Tea may hold a drawn frame before it
// writes it to the terminal: its renderer flushes on a 60 fps ticker.
const frameInterval = time.Second / 60

// flushWait is how long after the first View the deferred work waits: the
// first tick, then the renderer's own work on the frame (diffing 80x24
// cells of Chinese text takes milliseconds on a busy machine), with room.
const flushWait = 3 * frameInterval

// firstFrameWait bounds the wait for the first frame: work deferred behind
// it starts anyway after this long (a terminal that never draws).
const firstFrameWait = 250 * time.Millisecond

// firstFrame lets start-up work that the first frame does not show (the
// history's count, the queue's figures, the retry loop's first sweep) wait
// until that frame is on the terminal, so that on a busy two-core machine
// it does not compete with drawing it. Only the console run on a terminal
// has one (run); a model built by tests runs Init's commands at once.
type firstFrame struct {
	once  sync.Once
	drawn chan struct{}
	bound time.Duration // firstFrameWait
	page  tea.Cmd       // delivers the first read of the history (startFirstPage)
}

func newFirstFrame() *firstFrame {
	return &firstFrame{drawn: make(chan struct{}), bound: firstFrameWait}
}

// viewed is called with each frame the model draws.
func (f *firstFrame) viewed() {
	if f != nil {
		f.once.Do(func() { close(f.drawn) })
	}
}

// wait returns once the first frame has been drawn and written out (or
// after firstFrameWait), or when ctx ends.
func (f *firstFrame) wait(ctx context.Context) {
	if f == nil {
		return
	}
	bound := time.NewTimer(f.bound)
	defer bound.Stop()
	select {
	case <-f.drawn:
	case <-bound.C:
		return
	case <-ctx.Done():
		return
	}
	flushed := time.NewTimer(flushWait)
	defer flushed.Stop()
	select {
	case <-flushed.C:
	case <-ctx.Done():
	}
}

// after runs cmds (made now, from the model as it is) once the first frame
// is out.
func (f *firstFrame) after(ctx context.Context, cmds ...tea.Cmd) tea.Cmd {
	batch := tea.Batch(cmds...)
	if f == nil || batch == nil {
		return batch
	}
	return func() tea.Msg {
		if f.wait(ctx); ctx.Err() != nil {
			return nil // the console has quit meanwhile
		}
		return batch()
	}
}

func (f *firstFrame) pageCmd() tea.Cmd {
	if f == nil {
		return nil
	}
	return f.page
}

// firstPageMsg is the first read of the history (generation seq of the
// pane's query).
type firstPageMsg struct {
	seq  int
	subs []store.Submission
	err  error
}

// startFirstPage reads the newest rows on a goroutine of their own, from
// now on: the read overlaps Bubble Tea's start, whose renderer writes the
// first frame only at its first tick, and the page is normally there by
// then. Until it comes the pane says it is loading.
func (m *Model) startFirstPage() tea.Cmd {
	hs, seq, ctx := m.hist, m.history.search.shownSeq, m.ctx
	m.history.loading = true
	read := make(chan firstPageMsg, 1)
	go func() {
		ctx, cancel := context.WithTimeout(ctx, storeTimeout)
		defer cancel()
		subs, err := hs.List(ctx, store.Query{Limit: firstRead})
		read <- firstPageMsg{seq: seq, subs: subs, err: err}
	}()
	return func() tea.Msg { return <-read }
}

// firstPageRead shows the first read, then what Init would have started
// for it: the count behind a full read, more rows for a tall screen.
func (m *Model) firstPageRead(msg firstPageMsg) tea.Cmd {
	if msg.seq != m.history.search.shownSeq {
		return nil // a search has replaced the rows since
	}
	m.history.loading = false
	m.showFirstPage(msg.subs, msg.err)
	return m.first.after(m.ctx, m.history.countFirstPage(), m.history.restOfFirstPage(), m.history.morePages())
}

// restOfFirstPage reads the page behind a full first read, as the first
// page was read whole before there was a firstRead.
func (h *history) restOfFirstPage() tea.Cmd {
	src := h.source()
	if src == nil || h.onChain || h.loading || !h.capped || len(h.rows) != firstRead {
		return nil
	}
	h.loading = true
	return loadPage(src, h.search.shown, h.search.shownSeq, len(h.rows))
}
