package ui

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/central"
	"github.com/custdesk/custdesk/internal/central/pgtest"
	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

const (
	selfTerminal  = "store-012/pos-1"
	otherTerminal = "store-007/pos-2"
)

// chainEnv is two terminals of a chain over one sandbox and one real
// PostgreSQL: this console's (e) and another store's, each with its own
// history, both replicated.
type chainEnv struct {
	*env
	pool  *central.History
	other *store.Store
	ship  func() // replicates both terminals now
}

func newChainEnv(t *testing.T) *chainEnv {
	t.Helper()
	ctx := context.Background()
	e := newEnv(t)
	pool, err := central.Connect(ctx, pgtest.NewDB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if _, _, err := central.Init(ctx, pool); err != nil {
		t.Fatal(err)
	}
	otherDir := t.TempDir()
	other, err := store.Open(otherDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close() })
	var reps []*central.Replicator
	for dir, name := range map[string]string{e.dir: selfTerminal, otherDir: otherTerminal} {
		l, err := central.OpenLocal(ctx, dir, name)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		reps = append(reps, central.NewReplicator(l, pool))
	}
	ship := func() {
		t.Helper()
		for _, r := range reps {
			if err := r.Drain(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	return &chainEnv{env: e, pool: central.NewHistory(pool), other: other, ship: ship}
}

// enrolAt enrols a customer on one platform through a terminal's real
// dispatcher.
func (ce *chainEnv) enrolAt(t *testing.T, st *store.Store, name, mobile, platform string) store.Submission {
	t.Helper()
	ctx := context.Background()
	disp := dispatch.New(st, ce.ps, dispatch.Options{Backoff: func(int) time.Duration { return time.Hour }})
	plan, err := disp.Enrol(ctx, dispatch.EnrolRequest{Customer: platforms.Customer{Name: name, Mobile: mobile}, Platforms: []string{platform}})
	if err != nil || len(plan.Send) != 1 {
		t.Fatalf("enrol %s: %v, %+v", name, err, plan)
	}
	disp.Send(ctx, plan.Submission, platform)
	sub, err := st.Get(ctx, plan.Submission.ID)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// model is this terminal's console opened with --central.
func (ce *chainEnv) model(t *testing.T, lang string, ch ChainHistory) *Model {
	t.Helper()
	m := newModel(Options{Platforms: ce.ps, Lang: lang, NoColor: true, Chain: ch, Terminal: selfTerminal},
		clockSender{ce.disp, ce.clock}, ce.st)
	m.timers = false
	m.c.now = func() time.Time { return fixedNow }
	return m
}

// The chain view lists both terminals' submissions, each with its terminal;
// terminal: narrows it; the other terminal's entry opens as the central
// store has it and refuses resend, drop and edit, while this terminal's
// own entry keeps them and resends through its own queue.
func TestChainViewShowsEveryTerminalAndOwnEntriesOnlyAct(t *testing.T) {
	ce := newChainEnv(t)
	// Both answers are lost: each send waits for a person at its terminal.
	ce.sb.SetFaults(sandboxFaults(2))
	ce.enrolAt(t, ce.st, "Ann Own", "13422220001", "youzan")
	theirs := ce.enrolAt(t, ce.other, "Bob Theirs", "13422220002", "youzan")
	ce.ship()

	d := drive(t, ce.model(t, "en", ce.pool), 120, 30)
	d.settle()
	scr := d.screen()
	for _, want := range []string{"Chain history (2)", "terminal", "Ann Own", "Bob Theirs", selfTerminal, otherTerminal} {
		if !strings.Contains(scr, want) {
			t.Fatalf("the chain view lacks %q:\n%s", want, scr)
		}
	}
	// Each row names its own terminal.
	for _, line := range strings.Split(scr, "\n") {
		if strings.Contains(line, "Bob Theirs") && !strings.Contains(line, otherTerminal) ||
			strings.Contains(line, "Ann Own") && !strings.Contains(line, selfTerminal) {
			t.Errorf("a row without its terminal: %q", line)
		}
	}

	d.press("ctrl+o", "/")
	d.typeText("terminal:" + otherTerminal)
	d.press("enter")
	d.settle()
	h := d.m.history
	if len(h.rows) != 1 || h.rows[0].terminal != otherTerminal || h.rows[0].id != theirs.ID {
		t.Fatalf("terminal:%s gave %d rows: %+v", otherTerminal, len(h.rows), h.rows)
	}
	if scr := d.screen(); strings.Contains(scr, "Ann Own") || !strings.Contains(scr, "Chain history (1 found)") {
		t.Fatalf("the filtered chain view:\n%s", scr)
	}

	created := ce.sb.Created("/MemberCreateExtension")
	ce.otherEntryIsReadOnly(t, d, theirs)

	// This terminal's own entry keeps every action, on its own queue.
	d.press("esc", "esc")
	d.settle()
	d.press("/")
	d.typeText("terminal:" + selfTerminal)
	d.press("enter")
	d.settle()
	if len(h.rows) != 1 || h.rows[0].terminal != selfTerminal {
		t.Fatalf("terminal:%s gave %+v", selfTerminal, h.rows)
	}
	d.press("enter")
	d.settle()
	if help := helpLine(d.screen()); !strings.Contains(help, "resend") || !strings.Contains(help, "edit") {
		t.Fatalf("this terminal's entry does not offer resend and edit: %q", help)
	}
	d.press("r", "y") // Youzan keeps no idempotency key: r asks first
	d.settle()
	if h.rows[0].states["youzan"] != "ok" {
		t.Errorf("after resend this terminal's row is %q", h.rows[0].states["youzan"])
	}
	if n := ce.sb.Created("/MemberCreateExtension"); n != created+1 {
		t.Errorf("the resend created %d, want %d", n, created+1)
	}
}

// c switches between the chain's history and this terminal's, with the
// same search line.
func TestChainViewTogglesToLocal(t *testing.T) {
	ce := newChainEnv(t)
	ce.enrolAt(t, ce.st, "Ann Own", "13422220001", "youzan")
	ce.enrolAt(t, ce.other, "Bob Theirs", "13422220002", "youzan")
	ce.ship()
	d := drive(t, ce.model(t, "zh", ce.pool), 120, 30)
	d.settle()
	d.press("ctrl+o")
	if help := helpLine(d.screen()); !strings.Contains(help, "全链/本机") || strings.Contains(help, "导出") {
		t.Errorf("the chain view's keys: %q", help)
	}
	d.press("c")
	d.settle()
	scr := d.screen()
	if d.m.history.onChain || strings.Contains(scr, "Bob Theirs") || !strings.Contains(scr, "Ann Own") || !strings.Contains(scr, "历史记录 (1)") {
		t.Fatalf("c did not show this terminal's history:\n%s", scr)
	}
	d.press("c")
	d.settle()
	if scr := d.screen(); !strings.Contains(scr, "Bob Theirs") || !strings.Contains(scr, "全链历史 (2)") {
		t.Fatalf("c did not come back to the chain:\n%s", scr)
	}
	// The chain's filters keep their meaning in this terminal's history.
	d.press("/")
	d.typeText("terminal:" + otherTerminal)
	d.press("enter")
	d.settle()
	d.press("c")
	d.settle()
	if scr := d.screen(); len(d.m.history.rows) != 0 || !strings.Contains(scr, "没有匹配的记录") {
		t.Fatalf("this terminal's history under terminal:%s:\n%s", otherTerminal, scr)
	}
	d.press("c")
	d.settle()
	if h := d.m.history; len(h.rows) != 1 || h.rows[0].name != "Bob Theirs" {
		t.Fatalf("back on the chain, terminal:%s gave %+v", otherTerminal, h.rows)
	}
	d.press("/")
	for range len(otherTerminal) {
		d.press("backspace")
	}
	d.typeText(selfTerminal)
	d.press("enter")
	d.settle()
	d.press("c")
	d.settle()
	if h := d.m.history; len(h.rows) != 1 || h.rows[0].name != "Ann Own" {
		t.Fatalf("this terminal's history under terminal:%s gave %+v", selfTerminal, h.rows)
	}
}

// With the central store away the pane says so, and the console goes on:
// a submission is sent and recorded locally, and c shows it.
func TestChainViewUnreachableKeepsConsoleWorking(t *testing.T) {
	ce := newChainEnv(t)
	pool, err := central.Connect(context.Background(), "postgres://custdesk@/custdesk?host="+filepath.Join(t.TempDir(), "no-server"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	for _, lang := range []string{"en", "zh"} {
		d := drive(t, ce.model(t, lang, central.NewHistory(pool)), 80, 24)
		d.settle()
		want := map[string]string{"en": "The central store is unreachable", "zh": "中央库无法连接"}[lang]
		if scr := d.screen(); !strings.Contains(scr, want) || !strings.Contains(scr, map[string]string{"en": "c: this terminal's history", "zh": "c 查看本机历史"}[lang]) {
			t.Fatalf("%s: the pane does not say the central store is away:\n%s", lang, scr)
		}
		d.focusOn("name")
		d.typeText("Cai " + lang)
		d.press("tab")
		d.typeText(map[string]string{"en": "13422220011", "zh": "13422220012"}[lang])
		d.press("ctrl+s")
		d.settle()
		d.press("ctrl+o", "c")
		d.settle()
		if scr := d.screen(); !strings.Contains(scr, "Cai "+lang) {
			t.Fatalf("%s: the submission made with the central store away is not in this terminal's history:\n%s", lang, scr)
		}
	}
}

// helpLine is the help bar: the screen's last line.
func helpLine(scr string) string {
	lines := strings.Split(strings.TrimRight(scr, "\n"), "\n")
	return lines[len(lines)-1]
}

// otherEntryIsReadOnly opens the selected row, the other terminal's entry
// theirs: it shows as shipped, and r, d and e do nothing to its queue.
func (ce *chainEnv) otherEntryIsReadOnly(t *testing.T, d *driver, theirs store.Submission) {
	t.Helper()
	d.press("enter")
	d.settle()
	scr := d.screen()
	for _, want := range []string{otherTerminal + " #" + strconv.FormatInt(theirs.ID, 10), "Bob Theirs", theirs.RequestID, "resend or drop is done there"} {
		if !strings.Contains(scr, want) {
			t.Fatalf("the other terminal's entry lacks %q:\n%s", want, scr)
		}
	}
	help := helpLine(scr)
	if strings.Contains(help, "resend") || strings.Contains(help, "drop") || strings.Contains(help, "edit") {
		t.Errorf("the other terminal's entry offers its queue's actions: %q", help)
	}
	created := ce.sb.Created("/MemberCreateExtension")
	d.press("r")
	d.settle()
	if !strings.Contains(statusText(d.m), otherTerminal+"'s entry is read-only: its sends belong to that terminal's queue") {
		t.Errorf("r on the other terminal's entry said %q", statusText(d.m))
	}
	d.press("d", "e")
	d.settle()
	if d.m.question != nil || d.m.focus != paneDetail || d.value("name") != "" {
		t.Errorf("d or e acted on the other terminal's entry: question %v, focus %v, name %q", d.m.question, d.m.focus, d.value("name"))
	}
	if n := ce.sb.Created("/MemberCreateExtension"); n != created {
		t.Errorf("the other terminal's send went out from here: %d created, was %d", n, created)
	}
	if sub, _ := ce.other.Get(context.Background(), theirs.ID); sub.States["youzan"].Outcome != platforms.Unknown {
		t.Errorf("the other terminal's state changed: %+v", sub.States["youzan"])
	}
}
