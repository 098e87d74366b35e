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
	d.press("ctrl+o") // the notice is the history pane's, where x was pressed
	long := filepath.Join(e.dir, strings.Repeat("deep/", 12), "history-20250314-150926.jsonl")
	d.send(exportedMsg{jsonl: long, csv: strings.TrimSuffix(long, "jsonl") + "csv", n: 7})
	d.settle()
	line := strings.Split(d.screen(), "\n")[18]
	if !strings.Contains(line, "/deep/history-20250314-150926.jsonl and .csv") || !strings.Contains(line, "exported 7: …") ||
		ansi.StringWidth(strings.TrimRight(line, " ")) > 64 {
		t.Errorf("status line %q", line)
	}
	d.send(exportedMsg{err: os.ErrPermission})
	d.settle()
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

func (g gatedSender) Enrol(ctx context.Context, req dispatch.EnrolRequest) (dispatch.EnrolPlan, error) {
	<-g.gate
	return g.Dispatcher.Enrol(ctx, req)
}

// A cancel confirmed before the store answered: what was written ahead is
// still sent to the dispatcher, which records each platform as cancelled;
// nothing reaches a platform, ALSC and NXLink go back on the retry queue (a
// replay cannot create a second customer), Youzan waits for a person, and
// the row does not keep spinning.
func TestCancelBeforeBeginRecordsCancelled(t *testing.T) {
	e := newEnv(t)
	gs := gatedSender{e.disp, make(chan struct{})}
	m := newModel(Options{Platforms: e.ps, Lang: "en", NoColor: true}, gs, e.st)
	m.timers = false
	d := drive(t, m, 80, 24)
	d.typeText("Ann")
	d.press("tab")
	d.typeText("13411111113")
	d.press("ctrl+s")
	d.press("esc") // navigation only
	if d.m.subs.list[0].canceled {
		t.Fatal("esc cancelled the submit")
	}
	d.press("ctrl+g", "y")
	close(gs.gate)
	d.settle()
	subs, err := e.st.List(context.Background(), store.Query{})
	if err != nil || len(subs) != 1 {
		t.Fatalf("history %v %d", err, len(subs))
	}
	want := map[string]store.State{"alsc": store.StateQueued, "nxlink": store.StateQueued, "youzan": store.StateAttention}
	for p, w := range want {
		s := subs[0].States[p]
		if s.Outcome != platforms.Failed || s.Result.Code != dispatch.CodeCancelled || s.State != w {
			t.Errorf("%s: %+v, want %s", p, s, w)
		}
	}
	if d.m.animating() {
		t.Errorf("the row still spins after its sends ended:\n%s", d.screen())
	}
	// Nothing was sent, so there is no request to copy.
	d.press("ctrl+o", "enter")
	d.settle()
	d.press("c")
	d.settle()
	// The entry opens on what waits for a person: Youzan.
	if d.m.detail.curl != nil || !strings.Contains(d.screen(), "nothing was sent to Youzan: no request to copy") {
		t.Errorf("c on a platform never sent:\n%s", d.screen())
	}
	for _, path := range []string{sandbox.PathALSC, sandbox.PathYouzan, sandbox.PathNXLink} {
		if n := e.sb.Created(path); n != 0 {
			t.Errorf("%s created %d", path, n)
		}
	}
}
