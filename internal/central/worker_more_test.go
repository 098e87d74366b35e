package central

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/importer"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

func sleepUntil(t time.Time) { time.Sleep(time.Until(t)) }

// raceWorker enrols the same members as another terminal at the same
// instants, through the dispatcher as the console and submit wire it: the
// chain's guard claims each platform before its send.
func raceWorker() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	r, err := openRig(ctx)
	if err != nil {
		return err
	}
	defer r.stop()
	d := dispatch.New(r.st, r.ps, dispatch.Options{Guard: NewSendGuard(r.pool, os.Getenv(workerEnv))})
	start, rounds := envTime(envStart), envInt(envCount, 10)
	held := 0
	for i := range rounds {
		sleepUntil(start.Add(time.Duration(i) * 200 * time.Millisecond))
		c := platforms.Customer{Name: "同一人", Mobile: fmt.Sprintf("13800%06d", i)}
		_, exs, err := d.SendAll(ctx, c, r.names(), store.SourceConsole, false)
		if err != nil {
			return err
		}
		for _, ex := range exs {
			if ex.Result.Code == dispatch.CodeEnrolledElsewhere {
				held++
			}
		}
	}
	fmt.Fprintf(os.Stderr, "%d sends held by the other terminal's claims\n", held)
	return r.drain(ctx)
}

// importWorker imports a file of its own to one platform, drawing from the
// shared budget, from start until until.
func importWorker() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := os.Getenv(envDir)
	st, err := store.Open(dir)
	if err != nil {
		return err
	}
	defer st.Close()
	pool, err := Connect(ctx, os.Getenv(envCentral))
	if err != nil {
		return err
	}
	defer pool.Close()
	ps, err := config.Sandbox(os.Getenv(envSandbox)).Build()
	if err != nil {
		return err
	}
	p := ps[0] // the first configured platform
	path := filepath.Join(dir, "rows.jsonl")
	if err := writeRows(path, envInt(envIndex, 0), envInt(envCount, 100)); err != nil {
		return err
	}
	checked, err := importer.Check(ctx, importer.Input{Path: path}, []platforms.Platform{p}, nil)
	if err != nil {
		return err
	}
	rate := float64(envInt(envRate, 30))
	budget := NewBudget(pool, p.Name(), "shared-app-key", rate)
	start, until, err := handshake(ctx, dir)
	if err != nil {
		return err
	}
	sleepUntil(start)
	ictx, stop := context.WithDeadline(ctx, until)
	defer stop()
	imp, err := importer.Start(ictx, checked, importer.Options{Platforms: []platforms.Platform{p}, Store: st,
		Concurrency: 8, Shared: map[string]importer.SharedBudget{p.Name(): budget}})
	if err != nil {
		return err
	}
	sum, err := imp.Wait()
	fmt.Fprintf(os.Stderr, "import until %s: %+v\n", until.Format("15:04:05.000"), sum)
	if ictx.Err() != nil {
		return nil // stopped at the deadline, as planned
	}
	return err
}

// handshake says the worker is ready (file "ready" in its directory) and
// waits for the parent's "go" file: start and stop times, in unix ns.
func handshake(ctx context.Context, dir string) (start, until time.Time, err error) {
	if err := os.WriteFile(filepath.Join(dir, "ready"), nil, 0o600); err != nil {
		return start, until, err
	}
	for ctx.Err() == nil {
		b, err := os.ReadFile(filepath.Join(dir, "go"))
		var s, u int64
		if err == nil {
			if _, err := fmt.Sscan(string(b), &s, &u); err == nil {
				return time.Unix(0, s), time.Unix(0, u), nil
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	return start, until, ctx.Err()
}

func writeRows(path string, idx, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for i := range n {
		if err := enc.Encode(map[string]string{"name": fmt.Sprintf("导入%d", i), "mobile": fmt.Sprintf("137%02d%06d", idx, i)}); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}
