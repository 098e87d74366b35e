package ui

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

func readJSONL(t *testing.T, path string) []store.Record {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []store.Record
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var r store.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		recs = append(recs, r)
	}
	return recs
}

// x writes what the pane shows (the search's rows, every page) to JSONL and
// CSV beside the database, says where, and never overwrites an export.
func TestExportSearchResults(t *testing.T) {
	e := newEnv(t)
	seedHistory(t, e)
	d := drive(t, e.model(t, "en"), 120, 40)
	d.settle()
	d.press("ctrl+o", "/")
	d.typeText("platform:nxlink")
	d.press("enter")
	d.settle()
	d.press("x")
	if !strings.Contains(d.screen(), "exporting") {
		t.Errorf("no progress:\n%s", d.screen())
	}
	d.settle()

	base := filepath.Join(e.dir, "history-20250314-150926")
	recs := readJSONL(t, base+".jsonl")
	var names []string
	for _, r := range recs {
		names = append(names, r.Customer.Name)
		if len(r.Exchanges) == 0 || r.RequestID == "" {
			t.Errorf("%s: exported without its exchanges", r.Customer.Name)
		}
	}
	want := []string{"李雷", "Lena Müller", "王小二"}
	if !slices.Equal(names, want) {
		t.Errorf("JSONL holds %v, want %v", names, want)
	}
	f, err := os.Open(base + ".csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	csvNames := map[string]bool{}
	for _, row := range rows[1:] {
		for _, cell := range row {
			for _, n := range append(want, "Ann Lee") {
				if cell == n {
					csvNames[n] = true
				}
			}
		}
	}
	if len(rows) < 4 || !csvNames["李雷"] || !csvNames["Lena Müller"] || !csvNames["王小二"] || csvNames["Ann Lee"] {
		t.Errorf("CSV rows %d, names %v:\n%v", len(rows), csvNames, rows)
	}
	for _, p := range []string{base + ".jsonl", base + ".csv"} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", p, fi.Mode(), err)
		}
	}
	if !strings.Contains(d.screen(), "exported 3: "+shortPath(base)+".jsonl and .csv") {
		t.Errorf("the status line does not say where:\n%s", d.screen())
	}

	// The whole history, in the same second: new files beside the first.
	d.press("esc")
	d.settle()
	d.press("x")
	d.settle()
	if recs := readJSONL(t, base+"-2.jsonl"); len(recs) != 4 {
		t.Errorf("second export holds %d", len(recs))
	}
	if recs := readJSONL(t, base+".jsonl"); len(recs) != 3 {
		t.Errorf("the first export was overwritten: %d", len(recs))
	}
	left, _ := filepath.Glob(filepath.Join(e.dir, ".history-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestExportNoticeFitsNarrowScreen(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, "en")
	d := drive(t, m, 64, 20)
	long := filepath.Join(e.dir, strings.Repeat("deep/", 12), "history-20250314-150926.jsonl")
	d.send(exportedMsg{jsonl: long, csv: strings.TrimSuffix(long, "jsonl") + "csv", n: 7})
	line := strings.Split(d.screen(), "\n")[18]
	if !strings.Contains(line, "/deep/history-20250314-150926.jsonl and .csv") || !strings.Contains(line, "exported 7: …") ||
		ansi.StringWidth(strings.TrimRight(line, " ")) > 64 {
		t.Errorf("status line %q", line)
	}
	d.send(exportedMsg{err: os.ErrPermission})
	if !strings.Contains(d.screen(), "export failed: permission denied") {
		t.Errorf("no failure shown:\n%s", d.screen())
	}
}

// gatedSender holds Begin until released, then writes the submission ahead
// as if the store had committed just as esc was pressed.
type gatedSender struct {
	*dispatch.Dispatcher
	gate chan struct{}
}

func (g gatedSender) Begin(ctx context.Context, c platforms.Customer, names []string, source string) (store.Submission, error) {
	<-g.gate
	return g.Dispatcher.Begin(context.WithoutCancel(ctx), c, names, source)
}

// esc before the store answered: the sends still go to the dispatcher, which
// records each platform as cancelled and dropped; nothing reaches a platform,
// the row shows "not sent", and the next start does not send it either.
func TestEscBeforeBeginRecordsCancelled(t *testing.T) {
	e := newEnv(t)
	gs := gatedSender{e.disp, make(chan struct{})}
	m := newModel(Options{Platforms: e.ps, Lang: "en", NoColor: true}, gs, e.st)
	m.timers = false
	d := drive(t, m, 80, 24)
	d.typeText("Ann")
	d.press("tab")
	d.typeText("13411111113")
	d.press("ctrl+s")
	d.press("esc")
	close(gs.gate)
	d.settle()
	subs, err := e.st.List(context.Background(), store.Query{})
	if err != nil || len(subs) != 1 {
		t.Fatalf("history %v %d", err, len(subs))
	}
	for _, p := range []string{"alsc", "youzan", "nxlink"} {
		s := subs[0].States[p]
		if s.Outcome != platforms.Failed || s.Result.Code != dispatch.CodeCancelled || !s.Dropped || s.Queued {
			t.Errorf("%s: %+v", p, s)
		}
		if st := d.m.history.rows[0].states[p]; st != stateDropped {
			t.Errorf("%s row state %q", p, st)
		}
	}
	if !strings.Contains(d.screen(), "– – –") {
		t.Errorf("the row does not show not sent:\n%s", d.screen())
	}
	// Nothing was sent, so there is no request to copy.
	d.press("ctrl+o", "enter")
	d.settle()
	d.press("c")
	if d.m.curl != nil || !strings.Contains(d.screen(), "nothing was sent to Alibaba ALSC: no request to copy") {
		t.Errorf("c on a platform never sent:\n%s", d.screen())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	dispatch.New(e.st, e.ps, dispatch.Options{Poll: 20 * time.Millisecond}).Run(ctx, nil)
	cancel()
	for _, path := range []string{sandbox.PathALSC, sandbox.PathYouzan, sandbox.PathNXLink} {
		if n := e.sb.Created(path); n != 0 {
			t.Errorf("%s created %d", path, n)
		}
	}
}
