package importer

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var (
	benchRows        = flag.Int("import.rows", 10000, "rows in BenchmarkImport's generated file")
	benchConcurrency = flag.Int("import.concurrency", DefaultConcurrency, "BenchmarkImport's --concurrency")
	benchApart       = flag.Bool("import.sandbox-apart", false, "run BenchmarkImport's sandbox in a child process, so the peak RSS is the importer's own")
)

// BenchmarkImport sends a generated file of -import.rows customers (10,000 by
// default) to all three platforms of an in-process sandbox with no injected
// latency, through a durable history on disk, and reports customer-platform
// sends per second and the process's peak resident memory. Run it once per
// size, each in its own process, so the peaks do not mix:
//
//	go test -run '^$' -bench Import -benchtime 1x ./internal/importer -import.rows 10000
//	go test -run '^$' -bench Import -benchtime 1x ./internal/importer -import.rows 100000
//
// The sandbox remembers every customer it created (ALSC answers a replayed
// request_id from memory, NXLink finds existing customers by contact), so its
// share of the process grows with the file: by 170 to 260 bytes of live heap
// per row sent to all three platforms, the more fields the more bytes
// (platforms/sandbox's BenchmarkSandboxHeapPerCustomer), so at the default
// GOGC some 0.3 to 0.5 KB of peak RSS per row. -import.sandbox-apart moves it
// to a child process to measure the importer alone.
func BenchmarkImport(b *testing.B) {
	dir := b.TempDir()
	g := generate(b, genOptions{rows: *benchRows, dir: dir, gbk: true})
	var url string
	var sandboxCPU func() (time.Duration, bool)
	if *benchApart {
		url, sandboxCPU = sandboxProcess(b)
	} else {
		url = startSandbox(b).URL
	}
	ps := sandboxPlatforms(b, url)
	ceiling := loopbackCeiling(b, url, 32, time.Second)
	b.ResetTimer()
	var sends, batched, batchReqs int
	var elapsed, cpu time.Duration
	busy0, wcpu0, commits0, writes0 := writerBusy.Load(), writerCPU.Load(), writerCommits.Load(), writerWrites.Load()
	var sbCPU0 time.Duration
	if sandboxCPU != nil {
		sbCPU0, _ = sandboxCPU()
	}
	for i := range b.N {
		st := openStore(b, filepath.Join(dir, "data"+strconv.Itoa(i)))
		start, cpu0 := time.Now(), processCPU()
		_, sum, err := importFile(b, context.Background(), Input{Path: g.path}, Options{Platforms: ps, Store: st, Concurrency: *benchConcurrency}, filepath.Join(dir, "report.csv"))
		elapsed += time.Since(start)
		cpu += processCPU() - cpu0
		if err != nil {
			b.Fatal(err)
		}
		if !sum.AllOK() {
			b.Fatalf("not all ok: %+v", sum.Platforms)
		}
		for i, p := range sum.Platforms {
			sends += p.OK
			if ps[i].MaxBatch() > 1 {
				batched += p.OK
				batchReqs += p.Requests
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(sends)/elapsed.Seconds(), "sends/s")
	b.ReportMetric(ceiling, "loopback-req/s")
	b.ReportMetric(float64(writerBusy.Load()-busy0)/1e3/float64(sends), "writer-µs/send")
	b.ReportMetric(float64(writerCPU.Load()-wcpu0)/1e3/float64(sends), "writer-cpu-µs/send")
	b.ReportMetric(float64(cpu.Microseconds())/float64(sends), "cpu-µs/send")
	if sandboxCPU != nil {
		// The anchor of the rate on this machine: what its cores could carry
		// if the import and the sandbox used all of them and waited for
		// nothing.
		if sb, ok := sandboxCPU(); ok {
			perSend := float64((cpu + sb - sbCPU0).Microseconds()) / float64(sends)
			b.ReportMetric(float64((sb-sbCPU0).Microseconds())/float64(sends), "sandbox-cpu-µs/send")
			b.ReportMetric(float64(runtime.NumCPU())*1e6/perSend, "cpu-ceiling-sends/s")
		}
	}
	if commits := writerCommits.Load() - commits0; commits > 0 {
		b.ReportMetric(float64(writerWrites.Load()-writes0)/float64(commits), "writes/commit")
	}
	if batchReqs > 0 {
		b.ReportMetric(float64(batched)/float64(batchReqs), "customers/batch")
	}
	b.ReportMetric(float64(peakRSS(b))/(1<<20), "peak-RSS-MB")
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap-sys-MB")
}

// loopbackCeiling is the anchor of the import's rate: how many requests per
// second c clients get through to the sandbox on loopback when the server
// does nothing (an unknown path), in the same run as the import.
func loopbackCeiling(b *testing.B, url string, c int, d time.Duration) float64 {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c}}
	defer client.CloseIdleConnections()
	var n atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for range c {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				resp, err := client.Post(url+"/loopback-ceiling", "application/json", strings.NewReader("{}"))
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				n.Add(1)
			}
		})
	}
	wg.Wait()
	return float64(n.Load()) / d.Seconds()
}

// TestSandboxProcess is the child of -import.sandbox-apart: a sandbox on
// loopback that prints its URL and serves until its stdin closes.
func TestSandboxProcess(t *testing.T) {
	if os.Getenv("CUSTDESK_SANDBOX_PROCESS") == "" {
		t.Skip("runs only as BenchmarkImport's sandbox process")
	}
	sb := startSandbox(t)
	fmt.Println(sb.URL)
	_, _ = io.Copy(io.Discard, os.Stdin)
}

func sandboxProcess(b *testing.B) (string, func() (time.Duration, bool)) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestSandboxProcess$")
	cmd.Env = append(os.Environ(), "CUSTDESK_SANDBOX_PROCESS=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		stdin.Close()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	pid := cmd.Process.Pid
	return strings.TrimSpace(line), func() (time.Duration, bool) { return childCPU(pid) }
}

// childCPU is a running child's user and system CPU time so far, from
// /proc/PID/stat (Linux; false elsewhere), in clock ticks of 1/100 s.
func childCPU(pid int) (time.Duration, bool) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	rest := string(data[strings.LastIndexByte(string(data), ')')+1:])
	f := strings.Fields(rest) // from field 3 on: utime and stime are fields 14 and 15
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, true
}

// peakRSS is the process's high-water resident set (VmHWM), Linux only.
func peakRSS(tb testing.TB) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		tb.Skip("no /proc/self/status:", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				tb.Fatal(err)
			}
			return kb << 10
		}
	}
	tb.Skip("VmHWM not reported")
	return 0
}
