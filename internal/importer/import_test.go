package importer

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/nxlink"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

// The acceptance test: a generated 1,000-row file with blank lines
// and invalid rows, imported against the sandbox while it injects every kind
// of fault. The report lists exactly the invalid rows; re-runs send only what
// is not ok yet; at the end every valid row is ok on every platform and each
// platform created each customer exactly once.
func TestImportThousandRowsWithFaults(t *testing.T) {
	for _, v := range []struct {
		name string
		o    genOptions
		enc  Encoding
	}{
		{"gbk", genOptions{gbk: true}, EncodingGBK},
		{"utf-8 bom crlf", genOptions{bom: true, crlf: true}, EncodingUTF8},
		{"jsonl", genOptions{jsonl: true, rows: 300}, EncodingUTF8},
	} {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel() // much of each run is waiting out throttled lanes
			dir := t.TempDir()
			if v.o.rows == 0 {
				v.o.rows = 1000
			}
			v.o.invalid, v.o.dir = true, dir
			g := generate(t, v.o)
			sb := startSandbox(t)
			sb.SetFaults(sandbox.Faults{Rate: 0.15, Limit: 90}) // every kind, about a third of the first 600 requests
			st := openStore(t, filepath.Join(dir, "data"))
			opts := Options{Platforms: sandboxPlatforms(t, sb.URL), Store: st, Concurrency: 4, MaxAttempts: 6, Backoff: fastBackoff}
			in := Input{Path: g.path}
			ctx := context.Background()

			// Run 1: faults.
			report := filepath.Join(dir, "report.csv")
			c, sum1, err := importFile(t, ctx, in, opts, report)
			if err != nil {
				t.Fatal(err)
			}
			if c.Rows != g.rows || c.Valid != len(g.valid) || c.Invalid != len(g.invalid) || c.Encoding != v.enc {
				t.Fatalf("checked %d rows, %d valid, %d invalid, %s; want %d, %d, %d, %s", c.Rows, c.Valid, c.Invalid, c.Encoding,
					g.rows, len(g.valid), len(g.invalid), v.enc)
			}
			if got := reportRows(t, report); !slices.Equal(got, g.invalid) {
				t.Fatalf("report lists rows %v\nwant exactly the invalid rows %v", got, g.invalid)
			}
			checkAccounting(t, sum1, len(g.valid))
			if sum1.Platforms[0].Retries == 0 && sum1.Platforms[2].Retries == 0 {
				t.Errorf("no retries under injected faults: %+v", sum1.Platforms)
			}

			// Run 2: no faults. Rows already ok are not sent again; the rest
			// are, except Youzan rows that may already exist.
			sb.SetFaults(sandbox.Faults{})
			before := map[string]int64{}
			for name, path := range sandboxPaths {
				before[name] = sb.Requests(path)
			}
			_, sum2, err := importFile(t, ctx, in, opts, report)
			if err != nil {
				t.Fatal(err)
			}
			checkAccounting(t, sum2, len(g.valid))
			for i, p := range sum2.Platforms {
				prev := sum1.Platforms[i]
				if p.AlreadyOK != prev.OK {
					t.Errorf("%s: run 2 skipped %d rows as ok, run 1 made %d ok", p.Platform, p.AlreadyOK, prev.OK)
				}
				if p.Platform == "youzan" {
					if p.AwaitingPerson < prev.AwaitingPerson {
						t.Errorf("youzan: %d rows awaited a person after run 1, run 2 resent some (%d left)", prev.AwaitingPerson, p.AwaitingPerson)
					}
					continue
				}
				if p.OK+p.AlreadyOK != p.Valid {
					t.Errorf("%s: run 2 without faults left %d of %d rows not ok", p.Platform, p.Valid-p.OK-p.AlreadyOK, p.Valid)
				}
				// Without faults, one request per row (ALSC) or per 100 (NXLink).
				sent := sb.Requests(sandboxPaths[p.Platform]) - before[p.Platform]
				if int(sent) != p.Requests || (p.Platform == "alsc" && p.Requests != p.Valid-prev.OK) {
					t.Errorf("%s: run 2 made %d requests (sandbox saw %d) for %d rows not ok", p.Platform, p.Requests, sent, p.Valid-prev.OK)
				}
			}

			// Run 3: a person checked Youzan and resends the rows that may
			// have been created (the sandbox creates nothing when it injects
			// a fault, so none were).
			opts.ResendUnknown = true
			_, sum3, err := importFile(t, ctx, in, opts, report)
			if err != nil {
				t.Fatal(err)
			}
			if !sum3.AllOK() {
				t.Fatalf("after run 3 not every row is ok: %+v\n%+v", sum3.Platforms, sum3.NotOK)
			}
			for name, path := range sandboxPaths {
				if got := sb.Created(path); got != int64(len(g.valid)) {
					t.Errorf("%s created %d customers for %d valid rows: each must be created exactly once", name, got, len(g.valid))
				}
			}
			got := states(t, st, c.Digest, append(slices.Clone(g.valid), g.invalid...))
			for _, line := range g.valid {
				for _, p := range []string{"alsc", "youzan", "nxlink"} {
					if s := got[line][p]; s.Outcome != platforms.OK || len(s.Result.CustomerIDs) != 1 {
						t.Fatalf("row %d %s: %+v", line, p, s)
					}
				}
			}
			for _, line := range g.invalid {
				if _, ok := got[line]; ok {
					t.Errorf("invalid row %d reached history", line)
				}
			}
			var text bytes.Buffer
			if err := sum3.WriteText(&text); err != nil || !strings.Contains(text.String(), "every valid row is ok") {
				t.Errorf("summary text: %v\n%s", err, text.String())
			}
		})
	}
}

// checkAccounting: every valid row is counted once per platform.
func checkAccounting(t *testing.T, s Summary, valid int) {
	t.Helper()
	for _, p := range s.Platforms {
		n := p.OK + p.AlreadyOK + p.Rejected + p.Failed + p.Unknown + p.Elsewhere + p.Dropped + p.NotSent
		if n != valid || p.Valid != valid {
			t.Errorf("%s: counts add up to %d, want %d: %+v", p.Platform, n, valid, p)
		}
		if p.AwaitingPerson > p.Failed+p.Unknown {
			t.Errorf("%s: %d awaiting a person but only %d failed or unknown", p.Platform, p.AwaitingPerson, p.Failed+p.Unknown)
		}
		if p.Platform != "youzan" && p.AwaitingPerson != 0 {
			t.Errorf("%s is idempotent, yet %d rows await a person", p.Platform, p.AwaitingPerson)
		}
	}
}

// NXLink refuses single customers of a batch in failItems; each refusal
// lands on its own source row, and the rest of the batch is ok.
func TestNXLinkFailItemsMapBackToRows(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("name,mobile,agent\n")
	var ghosts []int
	for i := 1; i <= 150; i++ {
		agent := sandbox.DemoNXLinkSeatUser
		if i%7 == 0 {
			agent = "ghost@example.com" // not a seat user: NXLink fails this item
			ghosts = append(ghosts, i+1)
		}
		fmt.Fprintf(&b, "客户%d,136%08d,%s\n", i, i, agent)
	}
	path := filepath.Join(dir, "seats.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	sb := startSandbox(t)
	cfg := config.Sandbox(sb.URL)
	cfg.Platforms["nxlink"].(*nxlink.Section).StrictBinding = true
	ps, err := cfg.Build()
	if err != nil {
		t.Fatal(err)
	}
	var nx []platforms.Platform
	for _, p := range ps {
		if p.Name() == "nxlink" {
			nx = append(nx, p)
		}
	}
	st := openStore(t, filepath.Join(dir, "data"))
	c, sum, err := importFile(t, context.Background(), Input{Path: path}, Options{Platforms: nx, Store: st}, filepath.Join(dir, "r.csv"))
	if err != nil {
		t.Fatal(err)
	}
	p := sum.Platforms[0]
	if p.OK != 150-len(ghosts) || p.Rejected != len(ghosts) || p.Requests != 2 {
		t.Fatalf("%+v", p)
	}
	var refused []int
	for _, n := range sum.NotOK {
		if n.Outcome != platforms.Rejected || n.Code != "12148" {
			t.Errorf("row %d: %+v", n.Row, n)
		}
		refused = append(refused, n.Row)
	}
	slices.Sort(refused)
	if !slices.Equal(refused, ghosts) {
		t.Errorf("refused rows %v, want %v", refused, ghosts)
	}
	lines := make([]int, 150)
	for i := range lines {
		lines[i] = i + 2
	}
	got := states(t, st, c.Digest, lines)
	for _, line := range lines {
		s := got[line]["nxlink"]
		want := platforms.OK
		if slices.Contains(ghosts, line) {
			want = platforms.Rejected
		}
		if s.Outcome != want {
			t.Errorf("row %d: %s, want %s", line, s.Outcome, want)
		}
	}
	if sb.Created(sandbox.PathNXLink) != int64(150-len(ghosts)) {
		t.Errorf("created %d", sb.Created(sandbox.PathNXLink))
	}
}
