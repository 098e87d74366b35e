package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/custdesk/custdesk/internal/central"
	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/importer"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/termsafe"
	"github.com/custdesk/custdesk/ui"
)

// centralLink is a terminal's tie to the chain's central store: the
// replicator running in the background, and the pool claims, budgets and
// head-office searches use.
type centralLink struct {
	pool   *pgxpool.Pool
	local  *central.Local
	rep    *central.Replicator
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// finalDrain bounds how long a command that is ending (submit, import) may
// spend shipping what it wrote; what is left goes with the next run.
const finalDrain = 3 * time.Second

// attachCentral starts replication when [central] is configured. It never
// waits for the server: the terminal works the same with it away.
func (e *env) attachCentral(ctx context.Context) error {
	if !e.cfg.CentralOn() || e.central != nil {
		return nil
	}
	pool, err := central.Connect(ctx, e.cfg.Central.URL)
	if err != nil {
		return err
	}
	local, err := central.OpenLocal(ctx, e.dataDir, e.cfg.Central.Terminal)
	if err != nil {
		pool.Close()
		return err
	}
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	c := &centralLink{pool: pool, local: local, rep: central.NewReplicator(local, pool), cancel: cancel}
	c.wg.Go(func() { c.rep.Run(rctx) })
	e.central = c
	return nil
}

// Status is the header's "central: …" text.
func (c *centralLink) Status() string { return c.rep.Status().String() }

// close stops replication after one last bounded attempt to ship.
func (c *centralLink) close() {
	c.cancel()
	c.wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), finalDrain)
	defer cancel()
	_ = c.rep.Drain(ctx) // not shipped now: shipped by the next run
	c.local.Close()
	c.pool.Close()
}

// guard is the chain's duplicate guard for the dispatcher; nil without
// [central].
func (e *env) guard() dispatch.Guard {
	if e.central == nil {
		return nil
	}
	return central.NewSendGuard(e.central.pool, e.cfg.Central.Terminal)
}

// elsewhere is the console guard's look-up at the chain's other terminals.
func (e *env) elsewhere() func(ctx context.Context, member string) ([]ui.Elsewhere, error) {
	if e.central == nil {
		return nil
	}
	pool, self := e.central.pool, e.cfg.Central.Terminal
	return func(ctx context.Context, member string) ([]ui.Elsewhere, error) {
		ens, err := central.EnrolledMember(ctx, pool, member)
		if err != nil {
			return nil, err
		}
		var out []ui.Elsewhere
		for _, en := range ens {
			if en.Terminal != self { // this terminal's own are the local guard's
				out = append(out, ui.Elsewhere{Terminal: en.Terminal, Store: en.Store, Platform: en.Platform, Created: en.Created})
			}
		}
		return out, nil
	}
}

// sendBudgets pace a terminal's own sends with the chain's budgets, at the
// platforms' default import rates, one token at a time: a cashier's
// occasional send reserves nothing it does not use. Nil without [central]
// (or on the sandbox, which has no rate to share).
func (e *env) sendBudgets(ps []platforms.Platform) map[string]dispatch.Budget {
	if e.central == nil || e.sandbox != nil {
		return nil
	}
	out := map[string]dispatch.Budget{}
	for _, p := range ps {
		if r := p.Traits().ImportRate; r > 0 {
			b := central.NewBudget(e.central.pool, p.Name(), e.cfg.AppKey(p.Name()), r)
			b.Lease = 0
			out[p.Name()] = b
		}
	}
	return out
}

// sharedBudgets are the chain's rate budgets for the platforms an import
// sends to, at the rates it was given (nil without [central]).
func (e *env) sharedBudgets(names []string, rates map[string]float64) map[string]importer.SharedBudget {
	if e.central == nil {
		return nil
	}
	out := map[string]importer.SharedBudget{}
	for _, n := range names {
		if r := rates[n]; r > 0 {
			out[n] = central.NewBudget(e.central.pool, n, e.cfg.AppKey(n), r)
		}
	}
	return out
}

func runCentral(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "init" {
		return badInput("usage: custdesk central init [--config FILE] [--grant ROLE]")
	}
	fs := flag.NewFlagSet("central init", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	grant := fs.String("grant", "", "also grant the terminals' role ROLE what it needs (read, insert, update; never delete)")
	if err := fs.Parse(args[1:]); err != nil {
		return &exitError{exitBadInput, nil}
	}
	e, err := setupQuiet(c, stderr)
	if err != nil {
		return err
	}
	if !e.cfg.CentralOn() {
		return badInput("no [central] url in the configuration; see config.toml.example")
	}
	pool, err := central.Connect(ctx, e.cfg.Central.URL)
	if err != nil {
		return err
	}
	defer pool.Close()
	from, to, err := central.Init(ctx, pool)
	if err != nil {
		return err
	}
	if from == to {
		fmt.Fprintf(stdout, "central schema already at version %d; nothing to do\n", to)
	} else {
		fmt.Fprintf(stdout, "central schema migrated from version %d to %d\n", from, to)
	}
	if *grant != "" {
		if err := central.Grant(ctx, pool, *grant); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "granted %s: read, insert and update on the custdesk schema (no delete)\n", *grant)
	}
	return nil
}

// checkCentral is config check's part for [central]: it connects and says
// what it found. An unreachable server is reported, not fatal: terminals
// work without it.
//
// What it prints quotes the server (its version, its errors): it reaches
// the terminal sanitised.
func checkCentral(stdout io.Writer, l *config.Loaded) error {
	stdout = termsafe.TextWriter(stdout)
	ctx, cancel := context.WithTimeout(context.Background(), central.ConnectTimeout+time.Second)
	defer cancel()
	if err := central.CheckTerminal(l.Central.Terminal); err != nil {
		return &exitError{exitBadInput, err}
	}
	fmt.Fprintf(stdout, "  central terminal %s (store %s)\n", l.Central.Terminal, central.StoreOf(l.Central.Terminal))
	pool, err := central.Connect(ctx, l.Central.URL)
	if err != nil {
		return &exitError{exitBadInput, err}
	}
	defer pool.Close()
	in, err := central.Describe(ctx, pool, l.Central.Terminal)
	switch {
	case err != nil:
		fmt.Fprintf(stdout, "  central unreachable: %v (terminals keep working and catch up later)\n", err)
		return nil
	case in.SchemaVersion == 0:
		fmt.Fprintf(stdout, "  central PostgreSQL %s, no custdesk schema yet: run 'custdesk central init'\n", in.Server)
		return nil
	}
	fmt.Fprintf(stdout, "  central PostgreSQL %s, schema version %d (this custdesk writes %d)\n", in.Server, in.SchemaVersion, central.Version)
	if in.Known {
		fmt.Fprintf(stdout, "  central high-water mark of %s: %d\n", l.Central.Terminal, in.HighWater)
	} else {
		fmt.Fprintf(stdout, "  central has nothing from %s yet (high-water mark 0)\n", l.Central.Terminal)
	}
	return nil
}

// centralHistory is `custdesk history --central`: every terminal's
// submissions, with terminal: and store: filters in --search.
func centralHistory(ctx context.Context, e *env, q central.Query, output string, stdout io.Writer) error {
	if !e.cfg.CentralOn() {
		return badInput("--central needs a [central] url in the configuration")
	}
	pool, err := central.Connect(ctx, e.cfg.Central.URL)
	if err != nil {
		return err
	}
	defer pool.Close()
	entries, err := central.Search(ctx, pool, q)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("central store did not answer in time: %w", err)
		}
		return err
	}
	return central.WriteEntries(stdout, entries, output)
}

// chainHistory is the console's chain view of the central store, on a pool
// of its own: a slow head-office search never holds a connection the
// terminal's claims and budgets need. It does not wait for the server.
func (e *env) chainHistory(ctx context.Context) (*central.History, func(), error) {
	pool, err := central.Connect(ctx, e.cfg.Central.URL)
	if err != nil {
		return nil, nil, err
	}
	return central.NewHistory(pool), pool.Close, nil
}
