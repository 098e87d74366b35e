// Package ui is custdesk's console: a live-validated customer form with the
// platform toggles, concurrent submits, and a history pane whose entries open
// onto each platform's normalised result beside the raw exchange.
//
// Components follow one shape: a small model with setSize, its own keys and a
// view that renders only what is visible; a shared context carries the
// language, styles and platforms. Everything that touches the network or the
// disk runs in a tea.Cmd and comes back as a message naming its submission.
package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// Options configure the console.
type Options struct {
	Platforms  []platforms.Platform // configured platforms, in order; nil: the dispatcher's
	Dispatcher *dispatch.Dispatcher // sends and durable history
	Store      *store.Store         // history reads and drafts; nil: the dispatcher's
	Lang       string               // "zh" or "en"; "": from LANG
	Sandbox    string               // non-empty: running on the built-in sandbox at this address
	Source     string               // the config file or profile in use, shown in the header when not on the sandbox
	NoColor    bool                 // no colors (NO_COLOR in the environment also turns them off)
	// Central, when set, says where replication to the chain's central
	// store stands; the header shows it.
	Central func() string
	// Elsewhere, when set, looks the member up at the chain's other
	// terminals for the duplicate guard.
	Elsewhere func(ctx context.Context, member string) ([]Elsewhere, error)
	// Chain, when set, opens the history pane on the chain's history
	// (every terminal, from the central store); c switches to this
	// terminal's and back. Terminal is this terminal's name in the chain.
	Chain    ChainHistory
	Terminal string
}

// New builds the console's model. It restores a draft left by the last run
// and the last platform choice, and reads the first page of history.
func New(opts Options) *Model {
	var send sender
	var hs historyStore
	if opts.Dispatcher != nil {
		send = opts.Dispatcher
		if opts.Platforms == nil {
			opts.Platforms = opts.Dispatcher.Platforms()
		}
		if opts.Store == nil {
			opts.Store = opts.Dispatcher.Store()
		}
	}
	stateFile := ""
	if opts.Store != nil {
		hs = opts.Store
		stateFile = filepath.Join(filepath.Dir(opts.Store.Path()), "console.json")
	}
	m := newModel(opts, send, hs)
	m.console.file = stateFile
	m.loadState()
	if hs != nil {
		m.warnOpenDir(hs.Path())
	}
	return m
}

// newModel wires the model over the data layer's interfaces, so tests can
// drive it with a store and a sender of their own.
func newModel(opts Options, send sender, hs historyStore) *Model {
	noColor := opts.NoColor || os.Getenv("NO_COLOR") != ""
	c := &common{
		lang:      normLang(opts.Lang),
		st:        newStyles(noColor),
		platforms: opts.Platforms,
		now:       time.Now,
	}
	c.keys = newKeyMaps(c.lang)
	ctx, stop := context.WithCancel(context.Background())
	subs := &submits{}
	m := &Model{c: c, send: send, hist: hs, ctx: ctx, stop: stop, timers: true, console: &consoleFile{},
		subs: subs, status: newStatusBar(c, subs), helpBar: newHelpBar(noColor),
		header:  &header{c: c, sandbox: opts.Sandbox, source: opts.Source},
		central: opts.Central, elsewhere: opts.Elsewhere}
	m.form = newForm(c)
	m.form.active = true
	m.history = newHistory(c, ctx, hs)
	m.openChain(opts.Chain, opts.Terminal)
	m.status.hint = m.searchHint
	m.spin = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	if hs != nil {
		rctx, cancel := context.WithTimeout(ctx, storeTimeout)
		defer cancel()
		m.restoreDraft(rctx)
		if !m.history.onChain {
			m.firstPage(rctx) // the chain's comes after the first frame: never wait on PostgreSQL
		}
	}
	m.resize(80, 24)
	return m
}

// firstPage reads the newest rows before the first frame.
func (m *Model) firstPage(ctx context.Context) {
	subs, err := m.hist.List(ctx, store.Query{Limit: historyPage})
	if err == nil {
		m.history.appendPage(0, rowsOf(subs), len(subs))
		// A full page: the history is counted after the first frame
		// (countFirstPage), since counting a million takes longer than
		// drawing it.
		m.history.capped = len(subs) == historyPage
	}
	if err != nil {
		m.status.set(paneHistory, noticeError, errText(m.c, err))
	}
}

// searchHint is what the status line shows while the search line is typed
// in: the filters' syntax, or what is wrong with the line.
func (m *Model) searchHint() (string, bool) {
	if !m.history.searching() || m.confirmQuit {
		return "", false
	}
	if p := m.history.search.problem; p != nil {
		return m.c.tr(*p), true
	}
	name := "NAME"
	if n := len(m.c.platforms); n > 0 {
		name = m.c.platforms[n-1].Name()
	}
	if m.history.onChain {
		return fmt.Sprintf(m.c.tr(msgChainSearchHint), name), false
	}
	return fmt.Sprintf(m.c.tr(msgSearchHint), name), false
}

func errText(c *common, err error) string {
	return fmt.Sprintf(c.tr(msgStoreError), err)
}

// consoleState is what the console remembers between runs besides drafts.
type consoleState struct {
	Platforms []string `json:"platforms"`
}

// loadState restores the last platform choice; a missing or unreadable file
// just means every platform, the first-run default.
func (m *Model) loadState() {
	if m.console.file == "" {
		return
	}
	b, err := os.ReadFile(m.console.file)
	if err != nil {
		return
	}
	var st consoleState
	if json.Unmarshal(b, &st) == nil && st.Platforms != nil {
		m.form.selectPlatforms(st.Platforms)
		m.form.version = 0
	}
}

func (m *Model) saveState() {
	m.console.write(m.console.file, m.form.selectedNames(), m.console.next())
}

// saveStateCmd remembers the platform choice as soon as it changes, off the
// update loop, so a crash or a kill keeps it too.
func (m *Model) saveStateCmd() tea.Cmd {
	w, names := m.console, m.form.selectedNames()
	file, seq := w.file, w.next()
	if file == "" {
		return nil
	}
	return func() tea.Msg {
		w.write(file, names, seq)
		return nil
	}
}

// consoleFile is console.json beside the history. Its writes are ordered:
// toggles pressed quickly run their writes concurrently, and an older one
// must not land last.
type consoleFile struct {
	file    string
	mu      sync.Mutex
	issued  atomic.Int64
	written int64
}

func (w *consoleFile) next() int64 { return w.issued.Add(1) }

func (w *consoleFile) write(file string, names []string, seq int64) {
	if file == "" {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if seq <= w.written {
		return
	}
	b, _ := json.Marshal(consoleState{Platforms: append([]string{}, names...)})
	tmp := file + ".tmp"
	if os.WriteFile(tmp, b, 0o600) == nil && os.Rename(tmp, file) == nil {
		w.written = seq
	}
}

// background runs the dispatcher's retry loop until ctx ends and routes its
// progress to the model as messages. wait returns once the loop has ended,
// its shutdown grace included.
func (m *Model) background(ctx context.Context, d *dispatch.Dispatcher) (wait func()) {
	events := make(chan dispatch.Event, 64)
	msgs := make(chan tea.Msg, 64)
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		d.Run(ctx, events)
	}()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-events:
				select {
				case msgs <- retryEvent{subID: ev.SubmissionID}:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	m.events = msgs
	return func() { <-ran }
}

// Run runs the console until the user quits or ctx ends: alt screen, mouse,
// the real cursor in the focused field. It also runs the dispatcher's
// background retries for as long as the console is open, and shows them.
//
// Run returns only once the retry loop has ended: it gives attempts in
// flight a grace period to record their answers after the console quits, and
// the caller closes the store after Run returns.
func Run(ctx context.Context, opts Options) error {
	return run(ctx, opts, nil, nil)
}

// run is Run with extra program options and a hook called as soon as the
// program has ended, for tests.
func run(ctx context.Context, opts Options, extra []tea.ProgramOption, programDone func()) error {
	m := New(opts)
	ctx, cancel := context.WithCancel(ctx)
	wait := func() {}
	if opts.Dispatcher != nil {
		wait = m.background(ctx, opts.Dispatcher)
	}
	defer wait() // after cancel: deferred calls run last first
	defer cancel()
	if st := opts.Store; st != nil || opts.Dispatcher != nil {
		if st == nil {
			st = opts.Dispatcher.Store()
		}
		if w, err := st.Watch(ctx); err == nil {
			m.live.w = w
			defer func() { _ = w.Close() }()
		}
	}

	popts := []tea.ProgramOption{tea.WithContext(ctx)}
	if m.c.st.noColor {
		popts = append(popts, tea.WithColorProfile(colorprofile.Ascii))
	}
	_, err := tea.NewProgram(m, append(popts, extra...)...).Run()
	if programDone != nil {
		programDone()
	}
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	return err
}
