package importer

import (
	"bufio"
	"context"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	benchRows        = flag.Int("import.rows", 10000, "rows in BenchmarkImport's generated file")
	benchConcurrency = flag.Int("import.concurrency", DefaultConcurrency, "BenchmarkImport's --concurrency")
)

// BenchmarkImport sends a generated file of -import.rows customers (10,000 by
// default) to all three platforms of an in-process sandbox with no injected
// latency, through a durable history on disk, and reports customer-platform
// sends per second and the process's peak resident memory. Run it once per
// size, each in its own process, so the peaks do not mix:
//
//	go test -run '^$' -bench Import -benchtime 1x ./internal/importer -import.rows 10000
//	go test -run '^$' -bench Import -benchtime 1x ./internal/importer -import.rows 100000
func BenchmarkImport(b *testing.B) {
	dir := b.TempDir()
	g := generate(b, genOptions{rows: *benchRows, dir: dir, gbk: true})
	sb := startSandbox(b)
	ps := sandboxPlatforms(b, sb.URL)
	b.ResetTimer()
	var sends int
	var elapsed time.Duration
	for i := range b.N {
		st := openStore(b, filepath.Join(dir, "data"+strconv.Itoa(i)))
		start := time.Now()
		_, sum, err := importFile(b, context.Background(), Input{Path: g.path}, Options{Platforms: ps, Store: st, Concurrency: *benchConcurrency}, filepath.Join(dir, "report.csv"))
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if !sum.AllOK() {
			b.Fatalf("not all ok: %+v", sum.Platforms)
		}
		for _, p := range sum.Platforms {
			sends += p.OK
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(sends)/elapsed.Seconds(), "sends/s")
	b.ReportMetric(float64(peakRSS(b))/(1<<20), "peak-RSS-MB")
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap-sys-MB")
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
