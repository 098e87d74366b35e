package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

// Members, not keypresses: scenario tests of the real console (a
// tea.Program, its retry loop, the real store file) against the real sandbox
// over loopback, counting the customers the sandbox created per mobile and
// platform. In each, every platform holds at most one customer for the
// mobile, and every valid send ends ok or in the attention inbox.

var allPaths = []string{sandbox.PathALSC, sandbox.PathYouzan, sandbox.PathNXLink}

// gateway stands between the console and the sandbox: it can take a
// platform off the network (503, as a gateway in maintenance answers) or
// slow every answer.
type gateway struct {
	sb   *sandbox.Server
	url  string
	mu   sync.Mutex
	down map[string]bool
	slow time.Duration
}

func newGateway(t testing.TB) *gateway {
	g := &gateway{sb: sandbox.New(sandbox.Demo()), down: map[string]bool{}}
	g.sb.CountByMobile()
	ts := httptest.NewServer(g)
	t.Cleanup(ts.Close)
	g.url = ts.URL
	return g
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	down, slow := g.down[r.URL.Path], g.slow
	g.mu.Unlock()
	time.Sleep(slow)
	if down {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	g.sb.ServeHTTP(w, r)
}

func (g *gateway) setDown(down bool, paths ...string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, p := range paths {
		g.down[p] = down
	}
}

func (g *gateway) setSlow(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.slow = d
}

// created is how many customers each platform holds for mobile.
func (g *gateway) created(mobile string) map[string]int64 {
	out := map[string]int64{}
	for _, p := range allPaths {
		out[p] = g.sb.CreatedFor(p, mobile)
	}
	return out
}

func (g *gateway) assertOnce(t *testing.T, mobile string) {
	t.Helper()
	for p, n := range g.created(mobile) {
		if n != 1 {
			t.Errorf("%s holds %d customers for %s, want 1", p, n, mobile)
		}
	}
}

// till is one console at one terminal, on a data directory it may share.
type till struct {
	tm *teatest.TestModel
	st *store.Store
}

func openTill(t *testing.T, g *gateway, dir string) *till {
	t.Helper()
	return openTillIn(t, g, dir, "en")
}

func openTillIn(t *testing.T, g *gateway, dir, lang string) *till {
	t.Helper()
	return openTillGuarded(t, g, dir, lang, nil)
}

// openTillGuarded is a till of a chain whose guard (the central store's,
// in production) is guard.
func openTillGuarded(t *testing.T, g *gateway, dir, lang string, guard dispatch.Guard) *till {
	t.Helper()
	ps, err := config.Sandbox(g.url).Build()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	disp := dispatch.New(st, ps, dispatch.Options{Backoff: func(int) time.Duration { return 50 * time.Millisecond }, Poll: 30 * time.Millisecond, Guard: guard})
	m := New(Options{Platforms: ps, Dispatcher: disp, Store: st, Lang: lang})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	m.background(ctx, disp)
	tm := teatest.NewTestModel(t, probed{m}, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { _ = tm.Quit() })
	waitScreen(t, tm, "ctrl+s")
	return &till{tm: tm, st: st}
}

func (c *till) enter(name, mobile string) {
	c.tm.Type(name)
	typeKeys(c.tm, "tab")
	c.tm.Type(mobile)
}

// idle waits until this console has nothing of its own in flight.
func (c *till) idle(t *testing.T) {
	t.Helper()
	waitModel(t, c.tm, "the console's sends to end", func(m *Model) bool { return len(m.subs.list) == 0 })
}

func (c *till) notice(t *testing.T, want string) {
	t.Helper()
	var last string
	defer func() {
		if t.Failed() {
			t.Logf("the status line said %q", last)
		}
	}()
	waitModel(t, c.tm, "notice "+want, func(m *Model) bool { last = statusText(m); return strings.Contains(last, want) })
}

// settled waits until every platform state of every submission for the
// mobile is ok or in the attention inbox, and says how many are which.
func settled(t *testing.T, st *store.Store, mobile string) (ok, attention int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		subs, err := st.List(context.Background(), store.Query{Text: mobile})
		if err != nil {
			t.Fatal(err)
		}
		ok, attention = 0, 0
		open := false
		for _, s := range subs {
			for _, p := range s.Platforms {
				switch st := s.States[p]; {
				case st.State == store.StateSettled && st.Outcome == platforms.OK:
					ok++
				case st.State == store.StateAttention:
					attention++
				case st.State == store.StateDropped, st.State == store.StateSettled:
				default:
					open = true
				}
			}
		}
		if !open {
			return ok, attention
		}
		if time.Now().After(deadline) {
			t.Fatalf("sends for %s never settled: %+v", mobile, subs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// submitWithOneDown submits 王小二 (13411111111) while the platform at path
// is off the network: the form is kept, that platform queued.
func submitWithOneDown(t *testing.T, path string) (*gateway, *till) {
	t.Helper()
	g := newGateway(t)
	g.setDown(true, path)
	c := openTill(t, g, t.TempDir())
	c.enter("王小二", "13411111111")
	typeKeys(c.tm, "ctrl+s")
	c.notice(t, "not every platform said ok")
	return g, c
}

// backAndDelivered puts the platform at path back on the network and waits
// for the queue to deliver: every platform ok for 13411111111.
func backAndDelivered(t *testing.T, g *gateway, c *till, path string) {
	t.Helper()
	g.setDown(false, path)
	if ok, _ := settled(t, c.st, "13411111111"); ok != 3 {
		t.Errorf("%d platforms ok, want 3", ok)
	}
}

// NXLink down: ✓ ✓ ↻, then ctrl+s again sends nothing (the member is
// created on two platforms and queued on the third); the queue delivers.
func TestMemberPartialThenSubmitAgain(t *testing.T) {
	g, c := submitWithOneDown(t, sandbox.PathNXLink)
	typeKeys(c.tm, "ctrl+s")
	c.notice(t, "nothing sent")
	c.notice(t, "NXLink in progress")
	backAndDelivered(t, g, c, sandbox.PathNXLink)
	// The form still holds the member: what the queue delivered is among
	// what ctrl+s will not send again.
	waitScreen(t, c.tm, "Youzan #1, NXLink #1")
	g.assertOnce(t, "13411111111")
}

// Youzan down at the submit: the form is kept, and once the queue has
// delivered, the guard above it counts Youzan among the platforms ctrl+s
// will not send to again, without anyone typing.
func TestMemberQueueDeliversIntoTheGuard(t *testing.T) {
	g, c := submitWithOneDown(t, sandbox.PathYouzan)
	waitScreen(t, c.tm, "Alibaba ALSC #1, NXLink #1")
	// Past the guard's pause after typing: its own lookup is done.
	time.Sleep(2 * guardDelay)
	backAndDelivered(t, g, c, sandbox.PathYouzan)
	waitScreen(t, c.tm, "Alibaba ALSC #1, Youzan #1, NXLink #1")
	// and the status no longer says the submit fell short
	c.notice(t, "王小二: every platform said ok after retrying")
	g.assertOnce(t, "13411111111")
}

// Offline with all three queued, ctrl+s twice, then the network is back:
// one customer each.
func TestMemberOfflineSubmitTwiceThenOnline(t *testing.T) {
	g := newGateway(t)
	g.setDown(true, allPaths...)
	c := openTill(t, g, t.TempDir())
	c.enter("李四", "13522222222")
	typeKeys(c.tm, "ctrl+s")
	c.notice(t, "not every platform said ok")
	typeKeys(c.tm, "ctrl+s")
	c.notice(t, "nothing sent")
	typeKeys(c.tm, "ctrl+s")
	g.setDown(false, allPaths...)
	if ok, _ := settled(t, c.st, "13522222222"); ok != 3 {
		t.Errorf("%d platforms ok, want 3", ok)
	}
	g.assertOnce(t, "13522222222")
}

// The same mobile typed into a fresh form: the guard says where it is
// enrolled, ctrl+s sends nothing, and only ctrl+r with a y creates another.
func TestMemberSameMobileInAFreshForm(t *testing.T) {
	g := newGateway(t)
	c := openTill(t, g, t.TempDir())
	c.enter("王小二", "13411111111")
	typeKeys(c.tm, "ctrl+s")
	c.notice(t, "every platform said ok")
	c.idle(t)
	c.enter("王晓二", "+86 134 1111 1111")
	waitScreen(t, c.tm, "enrolled ")
	typeKeys(c.tm, "ctrl+s")
	c.notice(t, "nothing sent")
	waitScreen(t, c.tm, "ctrl+r enrol again anyway")
	g.assertOnce(t, "13411111111")
	typeKeys(c.tm, "ctrl+r")
	c.notice(t, "Create another customer anyway?")
	typeKeys(c.tm, "n")
	c.notice(t, "not done")
	g.assertOnce(t, "13411111111")
	typeKeys(c.tm, "ctrl+r")
	c.notice(t, "Create another customer anyway?")
	c.tm.Type("y")
	c.notice(t, "every platform said ok")
	// NXLink keys customers by their contact: it merges the second into the
	// first rather than creating one.
	want := map[string]int64{sandbox.PathALSC: 2, sandbox.PathYouzan: 2, sandbox.PathNXLink: 1}
	for p, n := range g.created("13411111111") {
		if n != want[p] {
			t.Errorf("%s: %d customers after a confirmed duplicate, want %d", p, n, want[p])
		}
	}
}

// The same member in Chinese: the guard and the status line list the
// platforms as Chinese writes a list, under the names the checkboxes use.
func TestMemberSameMobileInChinese(t *testing.T) {
	g := newGateway(t)
	c := openTillIn(t, g, t.TempDir(), "zh")
	c.enter("王小二", "13411111111")
	typeKeys(c.tm, "ctrl+s")
	c.notice(t, "已全部成功")
	c.idle(t)
	typeKeys(c.tm, "ctrl+x")
	c.enter("王晓二", "134 1111 1111")
	waitScreen(t, c.tm, "#1、有赞 #1、NXLink #1")
	typeKeys(c.tm, "ctrl+s")
	c.notice(t, "未发送：阿里本地生活、有赞、NXLink 已创建（#1）")
	g.assertOnce(t, "13411111111")
}

// e on a partial entry (NXLink refused an unknown seat user): the form comes
// back with only NXLink ticked and the others marked created; the fixed
// record goes to NXLink alone, after the cashier confirms that ALSC and
// Youzan keep the record they accepted.
func TestMemberEditPartialEntry(t *testing.T) {
	g := newGateway(t)
	c := openTill(t, g, t.TempDir())
	c.enter("赵六", "13733333333")
	focus(c.tm, "agent")
	c.tm.Type("nobody")
	typeKeys(c.tm, "ctrl+s")
	c.notice(t, "not every platform said ok")
	c.idle(t)
	typeKeys(c.tm, "ctrl+o", "enter")
	waitModel(t, c.tm, "the entry", func(m *Model) bool { return m.detail != nil && m.detail.loaded })
	typeKeys(c.tm, "e")
	c.notice(t, "loaded into the form")
	waitModel(t, c.tm, "only NXLink ticked", func(m *Model) bool {
		return strings.Join(m.form.selectedNames(), ",") == "nxlink"
	})
	waitScreen(t, c.tm, "✓ already created, not sent again:")
	waitScreen(t, c.tm, "Alibaba ALSC #1, Youzan #1")
	focus(c.tm, "agent")
	typeKeys(c.tm, "ctrl+u")
	typeKeys(c.tm, "ctrl+s")
	c.notice(t, "accepted the record before your edit")
	c.tm.Type("y")
	c.notice(t, "every platform said ok")
	g.assertOnce(t, "13733333333")
}

// esc while slow sends are in flight only navigates: every send ends ok.
func TestMemberEscDuringSlowSends(t *testing.T) {
	g := newGateway(t)
	g.setSlow(300 * time.Millisecond)
	c := openTill(t, g, t.TempDir())
	c.enter("钱七", "13844444444")
	typeKeys(c.tm, "ctrl+s", "esc", "ctrl+o", "esc", "esc")
	c.notice(t, "every platform said ok")
	if ok, _ := settled(t, c.st, "13844444444"); ok != 3 {
		t.Errorf("%d platforms ok, want 3", ok)
	}
	g.assertOnce(t, "13844444444")
}

// Two consoles on one data directory, the same member typed at once: one
// customer per platform, and the second console says who has it.
func TestMemberTwoConsolesAtOnce(t *testing.T) {
	g := newGateway(t)
	g.setSlow(50 * time.Millisecond)
	dir := t.TempDir()
	a, b := openTill(t, g, dir), openTill(t, g, dir)
	a.enter("孙八", "13955555555")
	b.enter("孙八", "13955555555")
	typeKeys(a.tm, "ctrl+s")
	typeKeys(b.tm, "ctrl+s")
	a.idle(t)
	b.idle(t)
	if ok, _ := settled(t, a.st, "13955555555"); ok != 3 {
		t.Errorf("%d platforms ok, want 3", ok)
	}
	g.assertOnce(t, "13955555555")
	said := 0
	for _, c := range []*till{a, b} {
		waitModel(t, c.tm, "a notice", func(m *Model) bool {
			if strings.Contains(statusText(m), "nothing sent") || strings.Contains(statusText(m), "already enrolled") {
				said++
			}
			return true
		})
	}
	if said != 1 {
		t.Errorf("%d consoles said the member was taken, want 1", said)
	}
}

// focus moves the form's focus to a field, as tab would, inside the program.
func focus(tm *teatest.TestModel, key string) {
	reply := make(chan bool, 1)
	tm.Send(probeMsg{fn: func(m *Model) bool {
		m.form.focusField(m.form.indexOf(key))
		m.form.ensureVisible()
		return true
	}, reply: reply})
	<-reply
}

// A restart tells a draft from a submitted form: a form that was sent comes
// back bound to its submission, with its platforms' states, and ctrl+s
// continues it (here: only the platform still missing).
func TestMemberRestartRestoresTheSubmission(t *testing.T) {
	g := newGateway(t)
	g.setDown(true, sandbox.PathNXLink)
	dir := t.TempDir()
	ps, err := config.Sandbox(g.url).Build()
	if err != nil {
		t.Fatal(err)
	}
	open := func() (*store.Store, *dispatch.Dispatcher, *driver) {
		st, err := store.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		disp := dispatch.New(st, ps, dispatch.Options{Backoff: func(int) time.Duration { return time.Hour }})
		m := newModel(Options{Platforms: ps, Lang: "en", NoColor: true}, disp, st)
		m.timers = false
		return st, disp, drive(t, m, 80, 24)
	}
	st, _, d := open()
	d.typeText("周九")
	d.press("tab")
	d.typeText("13166666666")
	d.press("ctrl+s")
	d.settle()
	if d.m.bound == nil {
		t.Fatal("a sent form is not bound to its submission")
	}
	// The queued NXLink send is dropped by a person, so only ctrl+s sends it.
	if err := st.Drop(context.Background(), d.m.bound.id, "nxlink"); err != nil {
		t.Fatal(err)
	}
	d.press("ctrl+c")
	st.Close()

	st, _, d = open()
	defer st.Close()
	if d.m.bound == nil || !strings.Contains(d.screen(), "restored submission #1 (Alibaba ALSC ✓ Youzan ✓ NXLink –)") {
		t.Fatalf("not restored as the submission:\n%s", d.screen())
	}
	g.setDown(false, sandbox.PathNXLink)
	d.press("ctrl+s")
	d.settle()
	if !strings.Contains(d.screen(), "every platform said ok") || !d.m.form.empty() {
		t.Fatalf("ctrl+s did not continue the submission:\n%s", d.screen())
	}
	g.assertOnce(t, "13166666666")
	if n, _ := st.Count(context.Background(), store.Query{}); n != 1 {
		t.Errorf("%d submissions, want the one continued", n)
	}
	// A form never sent comes back as typing.
	d.typeText("吴十")
	d.press("ctrl+c")
	st.Close()
	st, _, d = open()
	defer st.Close()
	if d.m.bound != nil || !strings.Contains(d.screen(), "restored the draft you were typing") {
		t.Errorf("an unsent draft came back as:\n%s", d.screen())
	}
}
