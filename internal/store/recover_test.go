package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// The child side of TestRecoverAfterSIGKILL: it writes a submission ahead,
// starts the ALSC attempt, says so, and waits to be killed.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv("CUSTDESK_CRASH_DIR")
	if dir == "" {
		t.Skip("helper process for TestRecoverAfterSIGKILL")
	}
	ctx := context.Background()
	st, err := Open(dir)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	sub := Submission{Customer: platforms.Customer{Name: "王小二", Mobile: "13411111111"}, Platforms: []string{"alsc", "youzan"}}
	if err := st.Begin(ctx, &sub); err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	if _, err := st.StartAttempt(ctx, sub.ID, "alsc"); err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	fmt.Println("in-flight", sub.ID)
	time.Sleep(time.Minute)
}

func TestRecoverAfterSIGKILL(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL")
	}
	ctx := context.Background()
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CUSTDESK_CRASH_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var id int64
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "in-flight "); ok {
			id, _ = strconv.ParseInt(v, 10, 64)
			break
		}
		if strings.HasPrefix(sc.Text(), "error") {
			t.Fatal(sc.Text())
		}
	}
	if id == 0 {
		t.Fatal("child did not start its attempt")
	}

	st := openAt(t, dir)
	// While the child lives its attempt is its own.
	if n, err := st.Recover(ctx); err != nil || n != 0 {
		t.Fatalf("Recover with the sender alive = %d, %v; want 0", n, err)
	}
	if _, err := st.StartAttempt(ctx, id, "alsc"); !errors.Is(err, ErrInFlight) {
		t.Fatalf("StartAttempt on a live sender's row = %v, want ErrInFlight", err)
	}

	cmd.Process.Kill()
	cmd.Wait()
	sub, err := st.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !sub.States["alsc"].InFlight {
		t.Fatalf("before Recover: %+v", sub.States["alsc"])
	}
	n, err := st.Recover(ctx)
	if err != nil || n != 2 {
		t.Fatalf("Recover = %d, %v; want 2 (one in flight, one never started)", n, err)
	}
	sub, err = st.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	a, y := sub.States["alsc"], sub.States["youzan"]
	if a.Outcome != platforms.Unknown || a.Result.Code != Interrupted || a.InFlight || a.Queued || a.Attempts != 1 {
		t.Fatalf("alsc after Recover = %+v", a)
	}
	if y.Outcome != "" || !y.Queued || y.Attempts != 0 {
		t.Fatalf("youzan (never sent) after Recover = %+v", y)
	}
	exs, err := st.Exchanges(ctx, id)
	if err != nil || len(exs) != 1 || exs[0].InFlight || exs[0].Result.Outcome != platforms.Unknown || exs[0].RequestID != sub.RequestID {
		t.Fatalf("exchanges after Recover = %+v, %v", exs, err)
	}
	if n, _ := st.Recover(ctx); n != 0 {
		t.Fatalf("second Recover changed %d rows", n)
	}
	stats, _ := st.Stats(ctx)
	if stats != (QueueStats{Queued: 1, Attention: 1}) {
		t.Fatalf("stats = %+v", stats)
	}
}

// A closed store (a console that quit) leaves its attempt to the others the
// same way a killed one does; a live one keeps it.
func TestRecoverLeavesLiveOwnersAlone(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	b := openAt(t, dir)
	sub := Submission{Customer: platforms.Customer{Name: "x"}, Platforms: []string{"nxlink"}}
	if err := a.Begin(ctx, &sub); err != nil {
		t.Fatal(err)
	}
	if _, err := a.StartAttempt(ctx, sub.ID, "nxlink"); err != nil {
		t.Fatal(err)
	}
	if n, _ := b.Recover(ctx); n != 0 {
		t.Fatalf("Recover took a live owner's row")
	}
	if err := b.Drop(ctx, sub.ID, "nxlink"); !errors.Is(err, ErrInFlight) {
		t.Fatalf("Drop while a live owner sends = %v", err)
	}
	a.Close()
	if n, _ := b.Recover(ctx); n != 1 {
		t.Fatalf("Recover after the owner closed = %d, want 1", n)
	}
	got, _ := b.Get(ctx, sub.ID)
	if s := got.States["nxlink"]; s.Outcome != platforms.Unknown || s.InFlight {
		t.Fatalf("state = %+v", s)
	}
}

func TestClaimDueClaimsEachRowOnce(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, b := openAt(t, dir), openAt(t, dir)
	const n = 60
	for range n {
		sub := Submission{Customer: platforms.Customer{Name: "x"}, Platforms: []string{"alsc"}}
		if err := a.Begin(ctx, &sub); err != nil {
			t.Fatal(err)
		}
		refused := platforms.Exchange{Platform: "alsc", Result: platforms.Result{Outcome: platforms.Failed, Retryable: true}}
		if _, err := a.RecordRetry(ctx, sub.ID, refused, time.Now().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	if next, ok, err := a.NextDue(ctx); !ok || err != nil || next.After(time.Now()) {
		t.Fatalf("NextDue = %v %v %v", next, ok, err)
	}
	var mu sync.Mutex
	claimed := map[int64]int{}
	var wg sync.WaitGroup
	for _, st := range []*Store{a, b, a, b} {
		wg.Go(func() {
			for {
				cs, err := st.ClaimDue(ctx, time.Now(), 7)
				if err != nil {
					t.Error(err)
					return
				}
				if len(cs) == 0 {
					return
				}
				mu.Lock()
				for _, c := range cs {
					claimed[c.SubmissionID]++
					if c.Attempt != 2 {
						t.Errorf("claim attempt %d, want 2", c.Attempt)
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(claimed) != n {
		t.Fatalf("%d rows claimed, want %d", len(claimed), n)
	}
	for id, times := range claimed {
		if times != 1 {
			t.Fatalf("submission %d claimed %d times", id, times)
		}
	}
	if stats, _ := a.Stats(ctx); stats.InFlight != n || stats.Queued != 0 {
		t.Fatalf("stats after claiming = %+v", stats)
	}
}

func TestRecordWithoutAttemptCountsOne(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	sub := Submission{Customer: platforms.Customer{Name: "x"}, Platforms: []string{"alsc"}}
	if err := st.Begin(ctx, &sub); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 2; i++ {
		if _, err := st.Record(ctx, sub.ID, okExchange("alsc", "1")); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Get(ctx, sub.ID); got.States["alsc"].Attempts != i {
			t.Fatalf("attempts = %d, want %d", got.States["alsc"].Attempts, i)
		}
	}
	if _, err := st.Record(ctx, sub.ID, okExchange("youzan", "1")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Record for a platform not in the submission = %v", err)
	}
	if _, err := st.Record(ctx, sub.ID+1, okExchange("alsc", "1")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Record for a missing submission = %v", err)
	}
}

func TestBeginRefusesBadSubmissions(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	for _, sub := range []Submission{
		{Platforms: nil},
		{Platforms: []string{"alsc", "alsc"}},
		{Platforms: []string{"a,b"}},
	} {
		if err := st.Begin(ctx, &sub); err == nil {
			t.Errorf("Begin accepted platforms %q", sub.Platforms)
		}
	}
	first := Submission{RequestID: "234334534543234234", Platforms: []string{"alsc"}}
	if err := st.Begin(ctx, &first); err != nil {
		t.Fatal(err)
	}
	again := Submission{RequestID: "234334534543234234", Platforms: []string{"alsc"}}
	if err := st.Begin(ctx, &again); err == nil || !strings.Contains(err.Error(), "request_id") {
		t.Fatalf("a reused request_id = %v", err)
	}
}

func TestMaskSecretsBeforeWriting(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	st.MaskSecrets("s3cr3t-token", "abc") // too short to mask safely: ignored
	sub := Submission{Customer: platforms.Customer{Name: "abc"}, Platforms: []string{"youzan"}}
	if err := st.Begin(ctx, &sub); err != nil {
		t.Fatal(err)
	}
	ex := okExchange("youzan", "1")
	ex.Request.Headers = map[string]string{"Authorization": "Bearer s3cr3t-token"}
	ex.Request.Body = []byte(`{"token":"s3cr3t-token"}`)
	ex.Request.URL += "?t=s3cr3t-token"
	ex.Response = []byte(`{"echo":"s3cr3t-token"}`)
	ex.Error = "s3cr3t-token"
	if _, err := st.Record(ctx, sub.ID, ex); err != nil {
		t.Fatal(err)
	}
	exs, _ := st.Exchanges(ctx, sub.ID)
	got := fmt.Sprintf("%s %s %s %s", exs[0].Request.Headers, exs[0].Request.URL, exs[0].Response, exs[0].Error)
	if strings.Contains(got, "s3cr3t-token") || !strings.Contains(got, platforms.MaskString) {
		t.Fatalf("stored exchange not masked: %s", got)
	}
	// The body is masked by position by the client that built it; the
	// store does not rewrite the customer's text.
	if string(exs[0].Request.Body) != `{"token":"s3cr3t-token"}` {
		t.Errorf("the request body was rewritten: %s", exs[0].Request.Body)
	}
	if g, _ := st.Get(ctx, sub.ID); g.Customer.Name != "abc" {
		t.Fatal("a short secret masked ordinary text")
	}
}
