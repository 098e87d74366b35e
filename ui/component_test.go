package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// The tests here look only at what the user sees: the screen as text.

// statusLine is the line above the help bar.
func (d *driver) statusLine() string {
	lines := strings.Split(d.screen(), "\n")
	return lines[len(lines)-2]
}

func (d *driver) helpLine() string {
	lines := strings.Split(d.screen(), "\n")
	return lines[len(lines)-1]
}

// A notice belongs to the pane where it arose: an error on the form does not
// follow the cashier into an entry, and is still there on coming back.
func TestNoticeStaysWithItsPane(t *testing.T) {
	e := newEnv(t)
	seedHistory(t, e)
	d := drive(t, e.model(t, "en"), 100, 30)
	d.settle()
	for range len(e.ps) {
		d.focusOn("platform:" + e.ps[0].Name())
	}
	for i := range e.ps {
		d.focusOn("platform:" + e.ps[i].Name())
		d.press("space")
	}
	d.press("ctrl+s")
	if !strings.Contains(d.statusLine(), "choose at least one platform") {
		t.Fatalf("no error on the form: %q", d.statusLine())
	}
	d.press("ctrl+o", "enter")
	d.settle()
	if strings.Contains(d.screen(), "choose at least one platform") {
		t.Errorf("the form's error followed into the entry:\n%s", d.screen())
	}
	d.press("esc", "ctrl+o")
	if !strings.Contains(d.statusLine(), "choose at least one platform") {
		t.Errorf("the form's error went away unanswered: %q", d.statusLine())
	}
	d.press("space") // ticking a platform is acting on it
	if strings.Contains(d.statusLine(), "choose at least one platform") {
		t.Errorf("the error stays after the fix: %q", d.statusLine())
	}
}

// An informational notice goes away by itself; "press e again" is the
// entry's, never shown on the form where e types a letter.
func TestNoticesExpireAndPressEAgainIsTheEntrys(t *testing.T) {
	e := newEnv(t)
	seedHistory(t, e)
	if err := e.st.SaveDraft(context.Background(), store.Draft{Customer: platforms.Customer{Name: "李四"}}); err != nil {
		t.Fatal(err)
	}
	m := e.model(t, "en")
	d := drive(t, m, 100, 30)
	d.settle()
	if !strings.Contains(d.statusLine(), "restored the draft") {
		t.Fatalf("no restore notice: %q", d.statusLine())
	}
	now := time.Now().Add(noticeTTL + time.Second) // the notice was stamped by the real clock, before the test's

	m.c.now = func() time.Time { return now }
	if strings.Contains(d.statusLine(), "restored the draft") {
		t.Errorf("the restore notice did not expire: %q", d.statusLine())
	}

	d.press("ctrl+o", "enter")
	d.settle()
	d.press("e")
	if !strings.Contains(d.statusLine(), "press e again") {
		t.Fatalf("no warning in the entry: %q", d.statusLine())
	}
	d.press("ctrl+o")
	if strings.Contains(d.screen(), "press e again") {
		t.Errorf("\"press e again\" shown on the form:\n%s", d.screen())
	}
	if d.value("name") != "李四" {
		t.Errorf("the unsent form was replaced: %q", d.value("name"))
	}
}

// ctrl+x clears the form and says how to undo; ctrl+z brings it back.
func TestClearCanBeUndone(t *testing.T) {
	e := newEnv(t)
	d := drive(t, e.model(t, "en"), 100, 30)
	d.settle()
	d.typeText("王小二")
	d.press("tab")
	d.typeText("13411111111")
	d.press("ctrl+x")
	d.settle()
	if d.value("name") != "" || !strings.Contains(d.statusLine(), "ctrl+z") || !strings.Contains(d.helpLine(), "ctrl+z undo clear") {
		t.Fatalf("after ctrl+x: name %q, status %q, help %q", d.value("name"), d.statusLine(), d.helpLine())
	}
	d.press("ctrl+z")
	d.settle()
	if d.value("name") != "王小二" || d.value("mobile") != "13411111111" || d.focusKey() != "mobile" {
		t.Errorf("after ctrl+z: %q %q focus %s", d.value("name"), d.value("mobile"), d.focusKey())
	}
	if strings.Contains(d.helpLine(), "ctrl+z") {
		t.Errorf("nothing left to undo, yet the bar offers it: %q", d.helpLine())
	}
}

// In a text field "?" is a character and f1 opens the help, as the bar says;
// on a toggle "?" opens the help too.
func TestQuestionMarkTypesInATextField(t *testing.T) {
	e := newEnv(t)
	d := drive(t, e.model(t, "en"), 100, 30)
	d.settle()
	if !strings.Contains(d.helpLine(), "f1 help") {
		t.Errorf("the bar does not say f1: %q", d.helpLine())
	}
	d.focusOn("remark")
	d.typeText("why?")
	if d.value("remark") != "why?" || d.m.showHelp {
		t.Errorf("? in a text field: %q, help %v", d.value("remark"), d.m.showHelp)
	}
	d.press("f1")
	if !strings.Contains(d.screen(), "Anywhere") {
		t.Errorf("f1 shows no help:\n%s", d.screen())
	}
	d.press("esc")
	d.focusOn("gender")
	if !strings.Contains(d.helpLine(), "? help") {
		t.Errorf("off a text field the bar does not offer ?: %q", d.helpLine())
	}
	d.typeText("?")
	if !strings.Contains(d.screen(), "Anywhere") {
		t.Errorf("? off a text field shows no help")
	}
}

// A row written by another process (a second store on the same directory,
// as `custdesk submit` would) shows in an open console when it polls.
func TestHistoryIsLive(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, "en")
	w, err := e.st.Watch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	m.live.w = w
	d := drive(t, m, 100, 30)
	d.settle()
	other, err := store.Open(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close() })
	sub := &store.Submission{Platforms: []string{e.ps[0].Name()}, Source: store.SourceConsole,
		Customer: platforms.Customer{Name: "赵六", Mobile: "13466666666"}, Created: fixedNow}
	if err := other.Begin(context.Background(), sub); err != nil {
		t.Fatal(err)
	}
	d.send(pollTickMsg{})
	d.settle()
	if s := d.screen(); !strings.Contains(s, "赵六") || !strings.Contains(s, "History (1)") {
		t.Errorf("the other process's row is not shown:\n%s", s)
	}
	d.send(pollTickMsg{})
	d.settle()
	if s := d.screen(); strings.Count(s, "赵六") != 1 {
		t.Errorf("the row shows twice:\n%s", s)
	}
}

// y copies the open platform's customer ID and says so, whole.
func TestCopyCustomerID(t *testing.T) {
	e := newEnv(t)
	seedHistory(t, e)
	d := drive(t, e.model(t, "en"), 80, 24)
	d.settle()
	d.press("ctrl+o", "end", "enter")
	d.settle()
	var clip bool
	_, cmd := d.m.Update(keyMsg("y"))
	for _, msg := range flatten(cmd) {
		if _, ok := msg.(tea.BatchMsg); !ok && msg != nil {
			clip = true
		}
	}
	if !clip {
		t.Errorf("y put nothing on the clipboard")
	}
	if !strings.Contains(d.statusLine(), "copied customer ID: 20193846534522344567") {
		t.Errorf("status %q", d.statusLine())
	}
}

// flatten runs cmd and the commands of its batches.
func flatten(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, flatten(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}
