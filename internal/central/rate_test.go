package central

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms/sandbox"
)

// Three importers in three processes share one budget: together they stay
// at the rate, never above it over any 2-second window. The issue asks for
// 30/s over 20 s; CUSTDESK_RATE_SECONDS scales the length (6 s by default;
// .ci/run runs the full 20 s).
func TestRateThreeImportersShareOneBudget(t *testing.T) {
	if raceEnabled {
		// The race detector slows the importers' SQLite writes tenfold, below
		// the rate under test; .ci/run runs this test again without it.
		t.Skip("a timing test: run without -race (.ci/run does)")
	}
	const rate = 30
	r := runImporters(t, rate, scaled("CUSTDESK_RATE_SECONDS", 6), nil)
	if r.measured < rate*0.9 || r.measured > rate*1.1 {
		t.Errorf("measured %.2f requests/s, want within 10%% of %d", r.measured, rate)
	}
	if r.worst > 2*rate {
		t.Errorf("%d requests in one 2 s window, above %d", r.worst, 2*rate)
	}
}

// rateRun is what the server saw of a run of importers.
type rateRun struct {
	measured float64 // requests a second, from the first request to the end
	worst    int     // requests in the busiest 2 s window
}

// runImporters runs three importers in three processes sharing one budget
// of rate requests/s for seconds, and measures them at the server: as a
// platform counts them, when they arrive. during, when set, runs beside
// them from start to end.
func runImporters(t *testing.T, rate, seconds int, during func(ws []*worker, until time.Time)) rateRun {
	t.Helper()
	_, url := newCentral(t)
	srv := sandbox.New(sandbox.Demo())
	var mu sync.Mutex
	var stamps []time.Time
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		stamps = append(stamps, time.Now())
		mu.Unlock()
		srv.ServeHTTP(w, r)
	}))
	defer hs.Close()
	base := t.TempDir()
	var ws []*worker
	for i := range 3 {
		dir := filepath.Join(base, strconv.Itoa(i))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		ws = append(ws, startWorker(t, "import", fmt.Sprintf("hq/import-%d", i), dir,
			envCentral+"="+url, envSandbox+"="+hs.URL, envCount+"="+strconv.Itoa(rate*seconds+50),
			envIndex+"="+strconv.Itoa(i), envRate+"="+strconv.Itoa(rate)))
	}
	// All three start together once all three are ready, however slow the
	// machine is to start them.
	deadline := time.Now().Add(time.Minute)
	for i := 0; i < 3; {
		if _, err := os.Stat(filepath.Join(base, strconv.Itoa(i), "ready")); err == nil {
			i++
			continue
		}
		if time.Now().After(deadline) {
			t.Fatal("importers not ready after a minute")
		}
		time.Sleep(10 * time.Millisecond)
	}
	start := time.Now().Add(200 * time.Millisecond)
	until := start.Add(time.Duration(seconds) * time.Second)
	for i := range 3 {
		if err := os.WriteFile(filepath.Join(base, strconv.Itoa(i), "go"), fmt.Appendf(nil, "%d %d", start.UnixNano(), until.UnixNano()), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if during != nil {
		time.Sleep(time.Until(start))
		during(ws, until)
	}
	for _, w := range ws {
		w.wait(t, 2*time.Minute)
	}
	mu.Lock()
	defer mu.Unlock()
	slices.SortFunc(stamps, func(a, b time.Time) int { return a.Compare(b) })
	if len(stamps) < 2 {
		for _, w := range ws {
			t.Log(w.out.String())
		}
		t.Fatalf("%d requests", len(stamps))
	}
	// The rate is measured from the first request to the end of the run:
	// rows claimed before the end are still sent after it, at the rate.
	inRun := 0
	for _, st := range stamps {
		if st.Before(until) {
			inRun++
		}
	}
	span := until.Sub(stamps[0])
	r := rateRun{measured: float64(inRun) / span.Seconds()}
	for i := range stamps {
		j, _ := slices.BinarySearchFunc(stamps, stamps[i].Add(2*time.Second), func(a, b time.Time) int { return a.Compare(b) })
		r.worst = max(r.worst, j-i)
	}
	t.Logf("%d requests in the %s run (%d in all): %.2f/s; busiest 2 s window %d requests (limit %d)",
		inRun, span.Round(time.Millisecond), len(stamps), r.measured, r.worst, 2*rate)
	return r
}
