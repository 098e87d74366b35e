package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/central/pgtest"
	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// buildBinary compiles custdesk once per test run for subprocess tests.
func buildBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "custdesk-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "custdesk")
		if runtime.GOOS == "windows" {
			binPath += ".exe"
		}
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := pgtest.Run(m) // starts PostgreSQL only if a test needs it
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// slowSandbox serves the three platforms with latency and writes a config
// pointing at it.
func slowSandbox(t *testing.T, latency time.Duration) (*sandbox.Running, string) {
	t.Helper()
	srv, err := sandbox.Start(sandbox.Demo(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	srv.SetFaults(sandbox.Faults{Latency: latency})
	text, err := config.Encode(config.ForSandbox(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfgPath, text, 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, cfgPath
}

// TestSubmitSurvivesSIGKILL kills `custdesk submit` at random points while its
// requests are in flight against a slow sandbox. Afterwards every submission that
// was written ahead is in the history exactly once, and once the queue has been
// worked off each idempotent platform created each customer exactly once: none
// lost, none sent twice beyond idempotent replays.
func TestSubmitSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs subprocesses")
	}
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL")
	}
	bin := buildBinary(t)
	srv, cfgPath := slowSandbox(t, 150*time.Millisecond)
	dataDir := filepath.Join(t.TempDir(), "data")

	const runs = 12
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	killed := 0
	for i := range runs {
		cust := fmt.Sprintf(`{"name":"顾客%d","mobile":"1341111%04d"}`, i, i)
		cmd := exec.Command(bin, "submit", "--config", cfgPath, "--data-dir", dataDir)
		cmd.Stdin = strings.NewReader(cust)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill somewhere between start-up and well after the answers are due.
		wait := time.Duration(rng.IntN(400)) * time.Millisecond
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(wait):
			_ = cmd.Process.Kill()
			<-done
			killed++
		}
	}
	t.Logf("%d of %d runs killed", killed, runs)

	verifyExactlyOnce(t, srv, cfgPath, dataDir)
}

// verifyExactlyOnce plays the console that starts after the kills: it
// recovers, works off the queue, and checks every stored submission is there
// once and was created exactly once on each idempotent platform.
func verifyExactlyOnce(t *testing.T, srv *sandbox.Running, cfgPath, dataDir string) {
	t.Helper()
	// A console starting afterwards recovers and works off the queue.
	st, err := store.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Recover(context.Background()); err != nil {
		t.Fatal(err)
	}
	l, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := l.Build()
	if err != nil {
		t.Fatal(err)
	}
	d := dispatch.New(st, ps, dispatch.Options{Backoff: func(int) time.Duration { return 10 * time.Millisecond }, Poll: 50 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	go d.Run(ctx, nil)
	// Run works asynchronously: wait until the idempotent platforms settle.
	deadline := time.Now().Add(60 * time.Second)
	for !idempotentSettled(t, st) {
		if time.Now().After(deadline) {
			stats, _ := st.Stats(ctx)
			t.Fatalf("queue not worked off: %+v", stats)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()

	subs, err := st.List(context.Background(), store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	okPer := map[string]int{}
	unknownYouzan := 0
	for _, s := range subs {
		if seen[s.Customer.Mobile] {
			t.Errorf("customer %s stored twice", s.Customer.Mobile)
		}
		seen[s.Customer.Mobile] = true
		for p, state := range s.States {
			if state.Outcome == platforms.OK {
				okPer[p]++
			}
			if p == "youzan" && state.AwaitsPerson() {
				unknownYouzan++
			}
			if (p == "alsc" || p == "nxlink") && state.Outcome != platforms.OK {
				t.Errorf("submission %d %s ended %q (%s), want ok after retries", s.ID, p, state.Outcome, state.Result.Message)
			}
		}
	}
	t.Logf("%d submissions stored; ok per platform %v; youzan awaiting a person %d", len(subs), okPer, unknownYouzan)
	if len(subs) == 0 {
		t.Fatal("no submission survived: the kills all came before the write-ahead; the test proved nothing")
	}
	// Every submission written ahead was created exactly once on the idempotent
	// platforms, replays included.
	for _, path := range []string{sandbox.PathALSC, sandbox.PathNXLink} {
		if got := srv.Created(path); got != int64(len(subs)) {
			t.Errorf("%s created %d customers for %d submissions", path, got, len(subs))
		}
	}
	// Youzan is never replayed automatically after an unknown outcome, so it may
	// have created fewer, and never more than one per submission.
	if got := srv.Created(sandbox.PathYouzan); got < int64(okPer["youzan"]) || got > int64(okPer["youzan"]+unknownYouzan) {
		t.Errorf("youzan created %d; %d ok and %d unknown", got, okPer["youzan"], unknownYouzan)
	}
}

func idempotentSettled(t *testing.T, st *store.Store) bool {
	subs, err := st.List(context.Background(), store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range subs {
		for p, state := range s.States {
			if (p == "alsc" || p == "nxlink") && state.Outcome != platforms.OK {
				return false
			}
		}
	}
	return true
}
