package dispatch

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

// The child side of TestKillDuringSends: a sender that is killed with
// SIGKILL at a random point. It reports each submission once Begin has
// returned (from then on it must survive).
func TestKillChild(t *testing.T) {
	dir, url := os.Getenv("CUSTDESK_KILL_DIR"), os.Getenv("CUSTDESK_KILL_URL")
	if dir == "" {
		t.Skip("helper process for TestKillDuringSends")
	}
	first, _ := strconv.Atoi(os.Getenv("CUSTDESK_KILL_FIRST"))
	st, err := store.Open(dir)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	d := New(st, realClients(t, url, 5*time.Second), Options{Backoff: fastBackoff, Poll: 10 * time.Millisecond})
	ctx := context.Background()
	go d.Run(ctx, nil)
	for i := first; ; i++ {
		sub, err := d.Begin(ctx, customer(i), allPlatforms, store.SourceSubmit, false)
		if err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		fmt.Println("begun", sub.Customer.Mobile)
		var wg sync.WaitGroup
		for _, p := range allPlatforms {
			wg.Go(func() { d.Send(ctx, sub, p) })
		}
		wg.Wait()
	}
}

// Senders killed with SIGKILL at random points, against a sandbox with
// latency and faults: after restart every submission is present once, every
// ALSC and NXLink customer is created exactly once (retries are idempotent
// replays), and Youzan, which has no idempotency key, is never sent twice
// automatically.
func TestKillDuringSends(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL")
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	srv := startSandbox(t, "")
	srv.SetFaults(sandbox.Faults{Latency: 30 * time.Millisecond, Rate: 0.1, Kinds: []string{sandbox.FaultError, sandbox.FaultDrop}})
	dir := t.TempDir()
	begun := map[string]bool{}
	const rounds = 5
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "CUSTDESK_KILL_DIR="+dir, "CUSTDESK_KILL_URL="+srv.URL,
			"CUSTDESK_KILL_FIRST="+strconv.Itoa(round*1000))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Kill a random while after the first submission is durable.
		var killAt <-chan time.Time
		for lines != nil {
			select {
			case line, ok := <-lines:
				switch {
				case !ok:
					lines = nil
				case strings.HasPrefix(line, "begun "):
					begun[strings.TrimPrefix(line, "begun ")] = true
					if killAt == nil && cmd.ProcessState == nil {
						killAt = time.After(time.Duration(50+rand.IntN(400)) * time.Millisecond)
					}
				case strings.HasPrefix(line, "error"):
					cmd.Process.Kill()
					t.Fatalf("child: %s", line)
				}
			case <-killAt:
				cmd.Process.Kill()
				killAt = make(chan time.Time) // never fires again
			}
		}
		cmd.Wait()
		if cmd.ProcessState.Success() {
			t.Fatal("child ended on its own")
		}
	}
	if len(begun) < rounds {
		t.Fatalf("only %d submissions began in %d rounds", len(begun), rounds)
	}

	srv.SetFaults(sandbox.Faults{})
	st := openStore(t, dir)
	d := New(st, realClients(t, srv.URL, 5*time.Second), Options{Backoff: fastBackoff, Poll: 10 * time.Millisecond})
	ctx := context.Background()
	var total int
	runUntil(t, d, nil, func() bool {
		stats, err := st.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		total, _ = st.Count(ctx, store.Query{})
		a, _ := st.Count(ctx, store.Query{Platform: "alsc", Outcome: platforms.OK})
		n, _ := st.Count(ctx, store.Query{Platform: "nxlink", Outcome: platforms.OK})
		done := stats.Queued == 0 && stats.InFlight == 0 && a == total && n == total
		if !done {
			// Said only should the condition never hold.
			next, due, _ := st.NextDue(ctx, "alsc", "nxlink", "youzan")
			t.Logf("waiting: %+v, %d submissions, ALSC ok %d, NXLink ok %d, next due %v (%v)", stats, total, a, n, next.Format(time.StampMilli), due)
		}
		return done
	})
	for mobile := range begun {
		if n, err := st.Count(ctx, store.Query{Text: mobile}); err != nil || n != 1 {
			t.Errorf("submission for %s present %d times (%v)", mobile, n, err)
		}
	}
	// A child may be killed between Begin and printing: at most one unseen per round.
	if total < len(begun) || total > len(begun)+rounds {
		t.Errorf("%d submissions stored, %d reported begun", total, len(begun))
	}
	if c := srv.Created(sandbox.PathALSC); c != int64(total) {
		t.Errorf("ALSC created %d customers for %d submissions", c, total)
	}
	if c := srv.Created(sandbox.PathNXLink); c != int64(total) {
		t.Errorf("NXLink created %d customers for %d submissions", c, total)
	}
	yok, _ := st.Count(ctx, store.Query{Platform: "youzan", Outcome: platforms.OK})
	yunknown, _ := st.Count(ctx, store.Query{Platform: "youzan", Outcome: platforms.Unknown})
	if c := srv.Created(sandbox.PathYouzan); c < int64(yok) || c > int64(yok+yunknown) {
		t.Errorf("Youzan created %d members; %d ok and %d unknown: a member was created twice", c, yok, yunknown)
	}
	t.Logf("%d submissions over %d kills; ALSC requests %d, NXLink %d, Youzan %d (ok %d, unknown awaiting a person %d)",
		total, rounds, srv.Requests(sandbox.PathALSC), srv.Requests(sandbox.PathNXLink), srv.Requests(sandbox.PathYouzan), yok, yunknown)
}
