//go:build !windows

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

// The terminal benchmarks run real binaries under a pseudo-terminal: the
// console as built from this tree (or the binaries CUSTDESK_PERF_BINS names,
// "before=/path,after=/path", to compare builds in one run) beside the
// anchor, one bare textinput in Bubble Tea (testdata/anchor).

var (
	anchorOnce sync.Once
	anchorPath string
	anchorErr  error
)

func anchorBinary(tb testing.TB) string {
	tb.Helper()
	anchorOnce.Do(func() {
		dir, err := os.MkdirTemp("", "custdesk-anchor")
		if err != nil {
			anchorErr = err
			return
		}
		anchorPath = filepath.Join(dir, "anchor")
		cmd := exec.Command("go", "build", "-o", anchorPath, "./testdata/anchor")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			anchorErr = fmt.Errorf("go build anchor: %v\n%s", err, out)
		}
	})
	if anchorErr != nil {
		tb.Fatal(anchorErr)
	}
	return anchorPath
}

type perfBin struct {
	name, path string
	anchor     bool
}

func perfBins(b *testing.B) []perfBin {
	bins := []perfBin{{name: "anchor", path: anchorBinary(b), anchor: true}}
	list := os.Getenv("CUSTDESK_PERF_BINS")
	if list == "" {
		return append(bins, perfBin{name: "custdesk", path: buildBinaryTB(b)})
	}
	for _, item := range strings.Split(list, ",") {
		name, path, ok := strings.Cut(item, "=")
		if !ok {
			b.Fatalf("CUSTDESK_PERF_BINS: %q is not name=path", item)
		}
		bins = append(bins, perfBin{name: name, path: path})
	}
	return bins
}

// buildBinaryTB builds the console like buildBinary, for benchmarks.
func buildBinaryTB(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	path := filepath.Join(dir, "custdesk")
	cmd := exec.Command("go", "build", "-o", path, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return path
}

// perfEnv is a sandbox, a config pointing at it and a data directory with a
// history of Chinese names: CUSTDESK_PERF_DATA names an existing one (a
// benchmark history of a million, say), else CUSTDESK_PERF_HISTORY entries
// (default 200) are written. A given directory is copied for each binary,
// since a newer build migrates the history and an older one then refuses it:
// to compare builds, give one the oldest can read.
type perfEnv struct {
	cfg, data string
	given     bool
	root      string // where the copies go, for the whole benchmark
	copies    map[string]string
}

func newPerfEnv(b testing.TB) perfEnv {
	b.Helper()
	srv, err := sandbox.Start(sandbox.Demo(), "")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	text, err := config.Encode(config.ForSandbox(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	e := perfEnv{cfg: filepath.Join(b.TempDir(), "config.toml"), data: os.Getenv("CUSTDESK_PERF_DATA"),
		root: b.TempDir(), copies: map[string]string{}}
	if err := os.WriteFile(e.cfg, text, 0o600); err != nil {
		b.Fatal(err)
	}
	if e.data != "" {
		e.given = true
		return e
	}
	n := 200
	if v, err := strconv.Atoi(os.Getenv("CUSTDESK_PERF_HISTORY")); err == nil && v > 0 {
		n = v
	}
	e.data = filepath.Join(b.TempDir(), "data")
	seedChinese(b, e.data, n)
	return e
}

func seedChinese(b testing.TB, dir string, n int) {
	ctx := context.Background()
	st, err := store.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	surnames, given := []rune("王李张刘陈杨黄赵吴周"), []rune("小伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞")
	for done := 0; done < n; done += 500 {
		var subs []*store.Submission
		for i := done; i < min(done+500, n); i++ {
			name := string(surnames[i%len(surnames)]) + string(given[i%len(given)]) + string(given[(i/7)%len(given)])
			subs = append(subs, &store.Submission{Customer: platforms.Customer{Name: name, Mobile: fmt.Sprintf("139%08d", i)},
				Platforms: []string{"alsc", "youzan", "nxlink"}, Source: store.SourceConsole})
		}
		if err := st.BeginMany(ctx, subs); err != nil {
			b.Fatal(err)
		}
		var recs []store.Recording
		for _, s := range subs {
			for _, p := range s.Platforms {
				recs = append(recs, store.Recording{SubmissionID: s.ID, Exchange: platforms.Exchange{Platform: p, Status: 200,
					Started: time.Now(), Result: platforms.Result{Outcome: platforms.OK, CustomerIDs: []string{"C" + strconv.FormatInt(s.ID, 10)}}}})
			}
		}
		if _, err := st.RecordMany(ctx, recs); err != nil {
			b.Fatal(err)
		}
	}
}

func (e perfEnv) args(tb testing.TB, bin perfBin) []string {
	if bin.anchor {
		return nil
	}
	data := e.data
	if e.given {
		if e.copies[bin.name] == "" {
			e.copies[bin.name] = filepath.Join(e.root, "data-"+bin.name)
			if out, err := exec.Command("cp", "-r", e.data, e.copies[bin.name]).CombinedOutput(); err != nil {
				tb.Fatalf("copy %s: %v\n%s", e.data, err, out)
			}
		}
		data = e.copies[bin.name]
	}
	return []string{"--config", e.cfg, "--data-dir", data, "--lang", "zh"}
}

// ptyProc is a program on a pseudo-terminal, counting what it writes.
type ptyProc struct {
	cmd     *exec.Cmd
	tty     *os.File
	started time.Time

	mu    sync.Mutex
	out   []byte
	total int
	last  time.Time // when it last wrote
}

func startPty(tb testing.TB, bin string, cols, rows int, args ...string) *ptyProc {
	tb.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "LANG=en_US.UTF-8")
	p := &ptyProc{cmd: cmd, started: time.Now()}
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: uint16(rows), Cols: uint16(cols)})
	if err != nil {
		tb.Fatal(err)
	}
	p.tty = tty
	go p.read()
	tb.Cleanup(p.stop)
	return p
}

func (p *ptyProc) read() {
	buf := make([]byte, 64<<10)
	for {
		n, err := p.tty.Read(buf)
		p.mu.Lock()
		if len(p.out) < 4<<20 {
			p.out = append(p.out, buf[:n]...)
		}
		p.total += n
		p.last = time.Now()
		p.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// waitFor waits until the output holds s and says when it first did.
func (p *ptyProc) waitFor(tb testing.TB, s string) time.Duration {
	tb.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		p.mu.Lock()
		found := strings.Contains(string(p.out), s)
		at := p.last
		p.mu.Unlock()
		if found {
			return at.Sub(p.started)
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%s never showed %q", p.cmd.Path, s)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// settle waits until the program has written nothing for quiet.
func (p *ptyProc) settle(quiet time.Duration) {
	for {
		p.mu.Lock()
		idle := time.Since(p.last)
		p.mu.Unlock()
		if idle >= quiet {
			return
		}
		time.Sleep(quiet - idle)
	}
}

func (p *ptyProc) written() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.total
}

func (p *ptyProc) stop() {
	if p.cmd.Process != nil {
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
	}
	_ = p.tty.Close()
}

// frameMarker is text of the first frame of both the console (its help
// bar) and the anchor.
const frameMarker = "ctrl+s"

// BenchmarkVersion: `custdesk version`, the cost of starting the binary.
func BenchmarkVersion(b *testing.B) {
	for _, bin := range perfBins(b) {
		b.Run(bin.name, func(b *testing.B) {
			// Once before timing: the binary's pages into the cache.
			_ = exec.Command(bin.path, "version").Run()
			for b.Loop() {
				if out, err := exec.Command(bin.path, "version").CombinedOutput(); err != nil {
					b.Fatalf("%v: %s", err, out)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/start")
		})
	}
}

// BenchmarkFirstFrame: from exec to the first frame on an 80x24 terminal,
// history loaded.
func BenchmarkFirstFrame(b *testing.B) {
	e := newPerfEnv(b)
	for _, bin := range perfBins(b) {
		b.Run(bin.name, func(b *testing.B) {
			args := e.args(b, bin)
			warm := startPty(b, bin.path, 80, 24, args...)
			warm.waitFor(b, frameMarker)
			warm.stop()
			var total time.Duration
			for b.Loop() {
				p := startPty(b, bin.path, 80, 24, args...)
				total += p.waitFor(b, frameMarker)
				p.stop()
			}
			b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/frame")
		})
	}
}

// typeAndCount types keys into p, one at a time, each given its own frame
// (waiting until the program is quiet), and says how many bytes the program
// wrote in all.
func typeAndCount(tb testing.TB, p *ptyProc, keys []string) int {
	tb.Helper()
	p.waitFor(tb, frameMarker)
	p.settle(time.Second)
	before := p.written()
	for _, k := range keys {
		if _, err := io.WriteString(p.tty, k); err != nil {
			tb.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
		p.settle(100 * time.Millisecond)
	}
	if dir := os.Getenv("CUSTDESK_PERF_DUMP"); dir != "" {
		// What the keys wrote, to see what a frame repaints.
		p.mu.Lock()
		err := os.WriteFile(filepath.Join(dir, strings.ReplaceAll(tb.Name(), "/", "_")), p.out[min(before, len(p.out)):], 0o600)
		p.mu.Unlock()
		if err != nil {
			tb.Fatal(err)
		}
	}
	return p.written() - before
}

// chineseKeys types a Chinese character into the name field and deletes it,
// n times: the field ends as it began.
func chineseKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = "王"
		if i%2 == 1 {
			keys[i] = "\x7f"
		}
	}
	return keys
}

var keySizes = [][2]int{{80, 24}, {160, 48}}

// BenchmarkBytesPerKey: bytes written to the terminal per keystroke in the
// name field, with Chinese names in the history pane beside the form. The
// keys are paced (each its own frame), so the time per op means nothing;
// B/key is the figure.
func BenchmarkBytesPerKey(b *testing.B) {
	e := newPerfEnv(b)
	for _, size := range keySizes {
		for _, bin := range perfBins(b) {
			b.Run(fmt.Sprintf("%s/%dx%d", bin.name, size[0], size[1]), func(b *testing.B) {
				p := startPty(b, bin.path, size[0], size[1], e.args(b, bin)...)
				keys := 0
				written := 0
				for b.Loop() {
					written += typeAndCount(b, p, chineseKeys(10))
					keys += 10
				}
				b.ReportMetric(float64(written)/float64(keys), "B/key")
			})
		}
	}
}

// keyBudget is what a keystroke may write to the terminal (issue 14): a
// repaint of the line typed in and the cursor, not of every line that holds
// a Chinese character.
const keyBudget = 400

func TestBytesPerKeyWithinBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it under a pty")
	}
	bin := buildBinary(t)
	e := newPerfEnv(t)
	for _, size := range keySizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			p := startPty(t, bin, size[0], size[1], e.args(t, perfBin{})...)
			const n = 10
			if got := typeAndCount(t, p, chineseKeys(n)) / n; got > keyBudget {
				t.Errorf("a keystroke wrote %d bytes to the terminal, budget %d", got, keyBudget)
			}
		})
	}
}

// BenchmarkIdleCPU: CPU the console spends per second of wall time while
// nobody types (retry poll, timers), from /proc. A given history must have
// nothing to retry (failures given up, say): the start-up sweep queues every
// retryable failure, and sending them is work, not idling.
func BenchmarkIdleCPU(b *testing.B) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		b.Skip("needs /proc")
	}
	idle := 10 * time.Second
	if d, err := time.ParseDuration(os.Getenv("CUSTDESK_PERF_IDLE")); err == nil {
		idle = d
	}
	e := newPerfEnv(b)
	for _, bin := range perfBins(b) {
		b.Run(bin.name, func(b *testing.B) {
			var cpu, wall time.Duration
			for b.Loop() {
				p := startPty(b, bin.path, 80, 24, e.args(b, bin)...)
				p.waitFor(b, frameMarker)
				time.Sleep(3 * time.Second) // start-up's own work done
				c0, t0 := procCPU(b, p.cmd.Process.Pid), time.Now()
				time.Sleep(idle)
				cpu += procCPU(b, p.cmd.Process.Pid) - c0
				wall += time.Since(t0)
				p.stop()
			}
			b.ReportMetric(float64(cpu.Microseconds())/wall.Seconds()/1000, "cpu-ms/s")
		})
	}
}

// procCPU is the user and system time a process has used so far.
func procCPU(tb testing.TB, pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		tb.Fatal(err)
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	f := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	const ticks = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / ticks
}
