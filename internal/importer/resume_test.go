package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

// The child side of TestResumeAfterKill: an import run in its own process,
// which the parent kills with SIGKILL half-way.
func TestResumeChild(t *testing.T) {
	url := os.Getenv("CUSTDESK_IMPORT_CHILD_URL")
	if url == "" {
		t.Skip("runs only as TestResumeAfterKill's child process")
	}
	st, err := store.Open(os.Getenv("CUSTDESK_IMPORT_CHILD_DATA"))
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Platforms: sandboxPlatforms(t, url), Store: st, Concurrency: 4}
	c, err := Check(context.Background(), Input{Path: os.Getenv("CUSTDESK_IMPORT_CHILD_FILE")}, opts.Platforms, nil)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := Start(context.Background(), c, opts)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = imp.Wait()
	t.Fatal("the parent should have killed this import before it finished")
}

// youzanCounter counts the create requests the sandbox received per mobile:
// Youzan has no idempotency key, so a second request for a mobile would be
// a second member.
type youzanCounter struct {
	next http.Handler
	mu   sync.Mutex
	seen map[string]int
}

func (y *youzanCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == sandbox.PathYouzan {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var m struct{ Mobile string }
		_ = json.Unmarshal(body, &m)
		y.mu.Lock()
		y.seen[m.Mobile]++
		y.mu.Unlock()
	}
	y.next.ServeHTTP(w, r)
}

// The resume test: an import is killed (SIGKILL) half-way and run
// again. No row is sent twice except as an idempotent replay (ALSC by
// request_id, NXLink by contact), and none is missed: every valid row ends ok,
// except the few Youzan rows whose request was in flight at the kill, which
// are reported as waiting for a person rather than resent blindly.
func TestResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	g := generate(t, genOptions{rows: 1000, invalid: true, gbk: true, dir: dir})
	sb := sandbox.New(sandbox.Demo())
	yz := &youzanCounter{next: sb, seen: map[string]int{}}
	half := int64(len(g.valid) / 2)
	var alscRequests atomic.Int64
	halfWay := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == sandbox.PathALSC && alscRequests.Add(1) == half {
			close(halfWay) // the child is half-way through ALSC: time to kill it
		}
		yz.ServeHTTP(w, r)
	}))
	defer srv.Close()
	// A little latency so that the kill lands in the middle.
	sb.SetFaults(sandbox.Faults{Latency: 3 * time.Millisecond})
	data := filepath.Join(dir, "data")

	child := exec.Command(os.Args[0], "-test.run=^TestResumeChild$", "-test.v")
	child.Env = append(os.Environ(), "CUSTDESK_IMPORT_CHILD_URL="+srv.URL, "CUSTDESK_IMPORT_CHILD_DATA="+data,
		"CUSTDESK_IMPORT_CHILD_FILE="+g.path)
	var childOut bytes.Buffer
	child.Stdout, child.Stderr = &childOut, &childOut
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-halfWay:
	case <-time.After(60 * time.Second):
		_ = child.Process.Kill()
		_ = child.Wait()
		t.Fatalf("the child made %d ALSC requests in a minute:\n%s", alscRequests.Load(), childOut.String())
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	createdAtKill := sb.Created(sandbox.PathALSC)
	if createdAtKill >= int64(len(g.valid)) {
		t.Fatalf("the child finished before the kill (%d created)", createdAtKill)
	}
	t.Logf("killed after %d ALSC, %d Youzan, %d NXLink customers created", createdAtKill, sb.Created(sandbox.PathYouzan), sb.Created(sandbox.PathNXLink))

	sb.SetFaults(sandbox.Faults{})
	st := openStore(t, data)
	opts := Options{Platforms: sandboxPlatforms(t, srv.URL), Store: st, Concurrency: 4, Backoff: fastBackoff}
	c, sum, err := importFile(t, context.Background(), Input{Path: g.path}, opts, filepath.Join(dir, "report.csv"))
	if err != nil {
		t.Fatal(err)
	}
	checkAccounting(t, sum, len(g.valid))

	// ALSC and NXLink: everything ok, each customer created once, and the
	// rows the first run had finished were not sent again.
	for _, p := range sum.Platforms {
		if p.Platform == "youzan" {
			continue
		}
		if p.OK+p.AlreadyOK != len(g.valid) || p.AlreadyOK == 0 {
			t.Errorf("%s after resume: %+v", p.Platform, p)
		}
		if got := sb.Created(sandboxPaths[p.Platform]); got != int64(len(g.valid)) {
			t.Errorf("%s created %d customers for %d valid rows", p.Platform, got, len(g.valid))
		}
	}
	if p := sum.Platforms[0]; p.Requests > p.Valid-p.AlreadyOK {
		t.Errorf("alsc: %d requests on resume for %d rows not ok", p.Requests, p.Valid-p.AlreadyOK)
	}

	// Youzan: never two requests for one member; rows in flight at the kill
	// wait for a person, everything else is ok.
	yz.mu.Lock()
	for mobile, n := range yz.seen {
		if n > 1 {
			t.Errorf("youzan received %d create requests for %s", n, mobile)
		}
	}
	yz.mu.Unlock()
	y := sum.Platforms[1]
	if y.Platform != "youzan" || y.OK+y.AlreadyOK+y.AwaitingPerson != len(g.valid) || y.AwaitingPerson > opts.Concurrency {
		t.Fatalf("youzan after resume: %+v", y)
	}
	awaiting := map[int]bool{}
	for _, n := range sum.NotOK {
		if n.Platform != "youzan" || n.Outcome != platforms.Unknown {
			t.Errorf("row not ok after resume: %+v", n)
		}
		awaiting[n.Row] = true
	}
	if len(awaiting) != y.AwaitingPerson {
		t.Errorf("summary lists %d rows not ok, %d await a person", len(awaiting), y.AwaitingPerson)
	}
	got := states(t, st, c.Digest, g.valid)
	for _, line := range g.valid {
		for _, p := range []string{"alsc", "youzan", "nxlink"} {
			s, ok := got[line][p]
			switch {
			case !ok:
				t.Fatalf("row %d %s missing from history", line, p)
			case p == "youzan" && awaiting[line]:
				if s.Outcome != platforms.Unknown || s.Result.Code != store.Interrupted {
					t.Errorf("row %d youzan awaiting a person is %+v", line, s)
				}
			case s.Outcome != platforms.OK:
				t.Errorf("row %d %s: %+v", line, p, s)
			}
		}
	}
	if !slices.Equal(reportRows(t, filepath.Join(dir, "report.csv")), g.invalid) {
		t.Error("report does not list exactly the invalid rows")
	}
	var text bytes.Buffer
	_ = sum.WriteText(&text)
	if y.AwaitingPerson > 0 && !strings.Contains(text.String(), "--resend-unknown") {
		t.Errorf("summary does not say what to do about rows awaiting a person:\n%s", text.String())
	}
}
