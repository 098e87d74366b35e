package central

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/central/pgtest"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

// worker is one terminal process.
type worker struct {
	env    []string
	mu     sync.Mutex
	cmd    *exec.Cmd
	out    bytes.Buffer
	done   chan error
	fin    *atomic.Bool // the current process has ended
	kills  int
	exited bool
}

func startWorker(t *testing.T, mode, terminal, dir string, env ...string) *worker {
	t.Helper()
	w := &worker{env: append(os.Environ(), workerEnv+"="+terminal, workerEnv+"_MODE="+mode, envDir+"="+dir)}
	w.env = append(w.env, env...)
	w.launch(t)
	return w
}

func (w *worker) launch(t *testing.T) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = w.env
	cmd.Stdout, cmd.Stderr = &w.out, &w.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	fin, done := new(atomic.Bool), make(chan error, 1)
	w.cmd, w.done, w.fin = cmd, done, fin
	go func() {
		err := cmd.Wait()
		fin.Store(true)
		done <- err
	}()
}

// kill SIGKILLs the process if it is still running and starts it again; it
// reports whether it did.
func (w *worker) kill(t *testing.T) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.exited {
		return false
	}
	_ = w.cmd.Process.Signal(syscall.SIGKILL)
	err := <-w.done
	if err == nil { // it had finished on its own just before
		w.done <- nil // for wait
		return false
	}
	w.kills++
	w.launch(t)
	return true
}

func running(ws []*worker) int {
	n := 0
	for _, w := range ws {
		w.mu.Lock()
		if !w.fin.Load() {
			n++
		}
		w.mu.Unlock()
	}
	return n
}

// wait waits for the process to finish by itself.
func (w *worker) wait(t *testing.T, timeout time.Duration) {
	t.Helper()
	for {
		w.mu.Lock()
		done := w.done
		w.mu.Unlock()
		select {
		case err := <-done:
			w.mu.Lock()
			if w.done != done { // killed and relaunched meanwhile
				w.mu.Unlock()
				continue
			}
			w.exited = true
			w.mu.Unlock()
			if err != nil {
				t.Fatalf("terminal process failed: %v\n%s", err, w.out.String())
			}
			return
		case <-time.After(timeout):
			t.Fatalf("terminal process still running after %s\n%s", timeout, w.out.String())
		}
	}
}

func scaled(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// Terminals in separate processes and data directories send to the
// sandbox while some are SIGKILLed and restarted and PostgreSQL is stopped
// and started under them; in the end the central store holds every
// submission exactly once and every state as the terminal has it.
// CUSTDESK_REPL_TERMINALS and CUSTDESK_REPL_SUBMISSIONS scale it (the
// issue's full size is 20 × 500); the default fits a 2-core CI.
func TestReplicationManyTerminalsWithKillsAndRestart(t *testing.T) {
	c := pgtest.Need(t)
	pool, url := newCentral(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	terminals, per := scaled("CUSTDESK_REPL_TERMINALS", 6), scaled("CUSTDESK_REPL_SUBMISSIONS", 60)
	sb, err := sandbox.Start(sandbox.Demo(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	base := t.TempDir()
	names := make([]string, terminals)
	workers := make([]*worker, terminals)
	began := time.Now()
	for i := range terminals {
		names[i] = fmt.Sprintf("store-%03d/pos-1", i)
		workers[i] = startWorker(t, "replicate", names[i], filepath.Join(base, strconv.Itoa(i)),
			envCentral+"="+url, envSandbox+"="+sb.URL, envCount+"="+strconv.Itoa(per), envIndex+"="+strconv.Itoa(i))
	}
	// Chaos all through the run: a SIGKILL of a random terminal every
	// 0.2–0.6 s (up to two per terminal), and one crash-like stop of
	// PostgreSQL for a second once about half the submissions are central.
	rng := rand.New(rand.NewPCG(13, 13))
	kills, busyAtStop, stopped := 0, 0, false
	for running(workers) > 0 && (kills < 2*terminals || !stopped) {
		time.Sleep(time.Duration(200+rng.IntN(400)) * time.Millisecond)
		if kills < 2*terminals && workers[rng.IntN(terminals)].kill(t) {
			kills++
		}
		var n int
		if !stopped && pool.QueryRow(ctx, `SELECT count(*) FROM submissions`).Scan(&n) == nil && n >= terminals*per/2 {
			busyAtStop = running(workers)
			if err := c.StopFor(time.Second); err != nil {
				t.Fatal(err)
			}
			stopped = true
		}
	}
	for _, w := range workers {
		w.wait(t, 8*time.Minute)
	}
	elapsed := time.Since(began)
	total := 0
	for i, name := range names {
		l, err := OpenLocal(ctx, filepath.Join(base, strconv.Itoa(i)), name)
		if err != nil {
			t.Fatal(err)
		}
		sameHistory(ctx, t, l, pool)
		var n int
		if err := l.read.QueryRowContext(ctx, `SELECT count(*) FROM submissions`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != per {
			t.Errorf("%s has %d submissions locally, want %d", name, n, per)
		}
		total += n
		l.Close()
	}
	var central, distinct int
	if err := pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT mobile) FROM submissions`).Scan(&central, &distinct); err != nil {
		t.Fatal(err)
	}
	if central != terminals*per || distinct != central {
		t.Fatalf("central holds %d submissions (%d distinct mobiles), want %d", central, distinct, terminals*per)
	}
	if kills == 0 || !stopped || busyAtStop == 0 {
		t.Errorf("no chaos: %d kills, %d terminals working when PostgreSQL stopped", kills, busyAtStop)
	}
	t.Logf("%d terminals × %d submissions, %d SIGKILLs, one PostgreSQL stop (%d terminals working): %d submissions centrally in %s (%.0f submissions/s end to end, sends included)",
		terminals, per, kills, busyAtStop, central, elapsed.Round(time.Millisecond), float64(central)/elapsed.Seconds())
}

// Two terminals enrol the same member on the same platforms at the same
// instant, round after round: each platform ends with one customer per
// member. CUSTDESK_RACE_ROUNDS scales it (50 by default).
func TestRaceTwoTerminalsOneCustomerPerPlatform(t *testing.T) {
	_, url := newCentral(t)
	rounds := scaled("CUSTDESK_RACE_ROUNDS", 50)
	sb, err := sandbox.Start(sandbox.Demo(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	start := time.Now().Add(1500 * time.Millisecond) // both processes are up by then
	env := []string{envCentral + "=" + url, envSandbox + "=" + sb.URL, envCount + "=" + strconv.Itoa(rounds),
		envStart + "=" + strconv.FormatInt(start.UnixNano(), 10)}
	base := t.TempDir()
	a := startWorker(t, "race", "store-001/pos-1", filepath.Join(base, "a"), env...)
	b := startWorker(t, "race", "store-002/pos-1", filepath.Join(base, "b"), env...)
	a.wait(t, 3*time.Minute)
	b.wait(t, 3*time.Minute)
	for _, path := range []string{sandbox.PathALSC, sandbox.PathYouzan, sandbox.PathNXLink} {
		if got := sb.Created(path); got != int64(rounds) {
			t.Errorf("%s: %d customers created for %d members", path, got, rounds)
		}
	}
	// Every member was sent once per platform, by one terminal or the
	// other, and the other terminal recorded why it did not send.
	heldBy := func(w *worker) int {
		n := 0
		fmt.Sscanf(w.out.String(), "%d sends held", &n)
		return n
	}
	if ha, hb := heldBy(a), heldBy(b); ha+hb != 3*rounds {
		t.Errorf("sends held back: %d + %d, want %d (one terminal sends each platform of each member)", ha, hb, 3*rounds)
	}
}
