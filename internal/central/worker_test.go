package central

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// The multi-terminal tests run each terminal as its own process: this test
// binary started again with workerEnv set, which TestMain sends here.
const workerEnv = "CUSTDESK_TEST_TERMINAL"

// Worker settings, passed in the environment.
const (
	envDir     = "CUSTDESK_TEST_DIR"
	envCentral = "CUSTDESK_TEST_CENTRAL"
	envSandbox = "CUSTDESK_TEST_SANDBOX"
	envCount   = "CUSTDESK_TEST_COUNT"
	envIndex   = "CUSTDESK_TEST_INDEX"
	envStart   = "CUSTDESK_TEST_START" // unix ns: when to begin
	envUntil   = "CUSTDESK_TEST_UNTIL" // unix ns: when to stop
	envRate    = "CUSTDESK_TEST_RATE"
)

func terminalWorker() int {
	var err error
	switch os.Getenv(workerEnv + "_MODE") {
	case "replicate":
		err = replicateWorker()
	case "race":
		err = raceWorker()
	case "import":
		err = importWorker()
	default:
		err = fmt.Errorf("unknown mode %q", os.Getenv(workerEnv+"_MODE"))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		return 1
	}
	return 0
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func envTime(name string) time.Time {
	n, _ := strconv.ParseInt(os.Getenv(name), 10, 64)
	return time.Unix(0, n)
}

// terminalRig is one terminal as custdesk wires it: its history, the outbox
// and the replicator, and a dispatcher on the sandbox.
type terminalRig struct {
	st   *store.Store
	loc  *Local
	rep  *Replicator
	pool *pgxpool.Pool
	disp *dispatch.Dispatcher
	ps   []platforms.Platform
	stop func()
}

func openRig(ctx context.Context) (*terminalRig, error) {
	dir, term := os.Getenv(envDir), os.Getenv(workerEnv)
	st, err := store.Open(dir)
	if err != nil {
		return nil, err
	}
	if _, err := st.Recover(ctx); err != nil {
		return nil, err
	}
	loc, err := OpenLocal(ctx, dir, term)
	if err != nil {
		return nil, err
	}
	pool, err := Connect(ctx, os.Getenv(envCentral))
	if err != nil {
		return nil, err
	}
	ps, err := config.Sandbox(os.Getenv(envSandbox)).Build()
	if err != nil {
		return nil, err
	}
	rep := NewReplicator(loc, pool)
	rep.Poll = 50 * time.Millisecond
	rctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { rep.Run(rctx) })
	r := &terminalRig{st: st, loc: loc, rep: rep, pool: pool, ps: ps, disp: dispatch.New(st, ps, dispatch.Options{})}
	r.stop = func() { cancel(); wg.Wait(); pool.Close(); loc.Close(); st.Close() }
	return r, nil
}

func (r *terminalRig) names() []string {
	out := make([]string, len(r.ps))
	for i, p := range r.ps {
		out[i] = p.Name()
	}
	return out
}

// drain waits until every change is committed centrally, through
// outages.
func (r *terminalRig) drain(ctx context.Context) error {
	for {
		err := r.rep.Drain(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%w (last: %v)", ctx.Err(), err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// replicateWorker sends its share of submissions (resuming after a kill
// where the history says it stopped), then waits until all is shipped.
func replicateWorker() error {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	r, err := openRig(ctx)
	if err != nil {
		return err
	}
	defer r.stop()
	var have int
	if err := r.loc.read.QueryRowContext(ctx, `SELECT count(*) FROM submissions`).Scan(&have); err != nil {
		return err
	}
	idx, n := envInt(envIndex, 0), envInt(envCount, 10)
	for i := have; i < n; i++ {
		c := platforms.Customer{Name: fmt.Sprintf("客户%d号", i), Mobile: fmt.Sprintf("139%02d%06d", idx, i)}
		if _, _, err := r.disp.SendAll(ctx, c, r.names(), store.SourceSubmit, false); err != nil {
			return err
		}
		r.rep.Kick()
	}
	return r.drain(ctx)
}
