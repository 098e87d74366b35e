package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

func TestLayoutHoldsEveryCustomerFieldOnce(t *testing.T) {
	var keys []string
	for _, s := range formLayout {
		if slices.Contains(keys, s.key) {
			t.Errorf("field %s twice", s.key)
		}
		keys = append(keys, s.key)
		if _, ok := fieldLabels[s.key]; !ok {
			t.Errorf("field %s has no label", s.key)
		}
		if _, ok := groupTitles[s.group]; !ok {
			t.Errorf("group %s has no title", s.group)
		}
	}
	want := slices.Clone(platforms.Fields)
	slices.Sort(want)
	slices.Sort(keys)
	if !slices.Equal(keys, want) {
		t.Errorf("form fields %v, customer fields %v", keys, want)
	}
}

func TestFocusOrder(t *testing.T) {
	e := newEnv(t)
	d := drive(t, e.model(t, "en"), 80, 24)
	if got := d.focusKey(); got != "name" {
		t.Fatalf("form opens on %s, want name", got)
	}
	d.press("tab")
	if got := d.focusKey(); got != "mobile" {
		t.Fatalf("tab from name goes to %s, want mobile", got)
	}
	d.press("shift+tab", "shift+tab")
	if got := d.focusKey(); got != "platform:nxlink" {
		t.Fatalf("shift+tab before name goes to %s, want the last platform toggle", got)
	}
	// Tab visits every field once, in layout order, and wraps.
	seen := map[string]bool{}
	for range len(d.m.form.fields) {
		d.press("tab")
		seen[d.focusKey()] = true
	}
	if len(seen) != len(d.m.form.fields) {
		t.Errorf("tab visited %d of %d fields", len(seen), len(d.m.form.fields))
	}
	if got := d.focusKey(); got != "platform:nxlink" {
		t.Errorf("a full round of tab ends on %s", got)
	}
}

func TestValidationAsTyped(t *testing.T) {
	e := newEnv(t)
	d := drive(t, e.model(t, "en"), 80, 24)
	d.typeText("王小二")
	d.press("tab")
	d.typeText("134x")
	// The normaliser refuses it, once, for every platform.
	errs := d.m.form.field("mobile").base().errs
	if len(errs) != 1 || !strings.HasPrefix(errs[0], "a mobile holds only digits") {
		t.Fatalf("mobile errors after a bad keystroke: %q", errs)
	}
	if !strings.Contains(d.screen(), "✗ a mobile holds only digits") {
		t.Errorf("the message is not under the field:\n%s", d.screen())
	}
	d.press("backspace")
	d.typeText("11111111")
	if errs := d.m.form.field("mobile").base().errs; len(errs) != 0 {
		t.Fatalf("a valid mobile still shows %q", errs)
	}

	// Only the platforms selected speak.
	d.focusOn("platform:alsc")
	d.press("space")
	d.press("tab", "space") // youzan off
	d.focusOn("whatsapp")
	d.typeText("12ab")
	if errs := d.m.form.field("whatsapp").base().errs; !slices.Equal(errs, []string{"NXLink: digits only"}) {
		t.Errorf("whatsapp errors with only NXLink selected: %q", errs)
	}
}

func TestValidationOnPaste(t *testing.T) {
	e := newEnv(t)
	d := drive(t, e.model(t, "zh"), 80, 24)
	d.press("tab")
	d.send(tea.PasteMsg{Content: " 1341111\n"})
	if got := d.value("mobile"); got != "1341111" {
		t.Fatalf("pasted mobile is %q", got)
	}
	errs := d.m.form.field("mobile").base().errs
	if len(errs) == 0 || !strings.Contains(errs[0], "手机号") {
		t.Fatalf("no Chinese error after a paste: %q", errs)
	}
	d.send(tea.PasteMsg{Content: "1111"})
	if errs := d.m.form.field("mobile").base().errs; len(errs) != 0 {
		t.Fatalf("errors after completing the mobile by paste: %q", errs)
	}
}

func TestRequiredMarkersFollowSelection(t *testing.T) {
	e := newEnv(t)
	d := drive(t, e.model(t, "en"), 80, 24)
	f := d.m.form
	if !f.required["name"] || !f.required["mobile"] {
		t.Fatalf("with all platforms, required = %v", f.required)
	}
	d.focusOn("platform:nxlink")
	d.press("space")
	if f.required["name"] {
		t.Errorf("name stays required without NXLink")
	}
	if !f.required["mobile"] {
		t.Errorf("mobile not required with ALSC and Youzan")
	}
	d.press("shift+tab", "space", "shift+tab", "space") // youzan and alsc off, only... none
	if len(f.selected()) != 0 {
		t.Fatalf("selected %v", f.selectedNames())
	}
	if len(f.required) != 0 {
		t.Errorf("required with no platform: %v", f.required)
	}
	d.press("ctrl+s")
	if !strings.Contains(d.screen(), "choose at least one platform") {
		t.Errorf("submit with no platform says nothing:\n%s", d.screen())
	}
}

func TestSubmitWithErrorsSendsNothing(t *testing.T) {
	e := newEnv(t)
	d := drive(t, e.model(t, "en"), 80, 24)
	d.focusOn("email")
	d.typeText("not-an-email")
	d.press("ctrl+s")
	d.settle()
	if got := d.focusKey(); got != "name" {
		t.Errorf("focus went to %s, want name (first field in error)", got)
	}
	if !strings.Contains(d.screen(), "nothing sent") {
		t.Errorf("no notice:\n%s", d.screen())
	}
	// Required errors now show everywhere, not only on visited fields.
	if errs := d.m.form.field("name").base().errs; len(errs) == 0 {
		t.Errorf("name shows no required error after a submit")
	}
	for _, p := range []string{sandbox.PathALSC, sandbox.PathYouzan, sandbox.PathNXLink} {
		if n := e.sb.Requests(p); n != 0 {
			t.Errorf("%s got %d requests", p, n)
		}
	}
	if n, _ := e.st.Count(context.Background(), store.Query{}); n != 0 {
		t.Errorf("history holds %d submissions", n)
	}
}

func TestSubmitAllOKClearsAndKeepsPlatforms(t *testing.T) {
	e := newEnv(t)
	d := drive(t, e.model(t, "en"), 80, 24)
	d.focusOn("platform:youzan")
	d.press("space")
	d.focusOn("name")
	d.typeText("王小二")
	d.press("tab")
	d.typeText("13411111111")
	d.press("ctrl+s")
	d.settle()
	if d.value("name") != "" || d.value("mobile") != "" {
		t.Errorf("form not cleared: name %q mobile %q", d.value("name"), d.value("mobile"))
	}
	if got := d.focusKey(); got != "name" {
		t.Errorf("focus after success on %s", got)
	}
	if got := d.m.form.selectedNames(); !slices.Equal(got, []string{"alsc", "nxlink"}) {
		t.Errorf("platform choice after submit: %v", got)
	}
	if e.sb.Requests(sandbox.PathYouzan) != 0 || e.sb.Requests(sandbox.PathALSC) != 1 || e.sb.Requests(sandbox.PathNXLink) != 1 {
		t.Errorf("requests alsc %d youzan %d nxlink %d", e.sb.Requests(sandbox.PathALSC), e.sb.Requests(sandbox.PathYouzan), e.sb.Requests(sandbox.PathNXLink))
	}
	r := d.m.history.selected()
	if r == nil || r.name != "王小二" || r.states["alsc"] != "ok" || r.states["nxlink"] != "ok" {
		t.Fatalf("history row %+v", r)
	}
	if errs := d.m.form.field("mobile").base().errs; len(errs) != 0 {
		t.Errorf("a cleared form shows errors: %q", errs)
	}
}

func TestSubmitRejectedKeepsForm(t *testing.T) {
	e := newEnv(t)
	d := drive(t, e.model(t, "en"), 80, 24)
	// The sandbox knows one seat user; NXLink refuses another.
	d.typeText("Ann")
	d.press("tab")
	d.typeText("13411111112")
	d.focusOn("agent")
	d.typeText("nobody@example.com")
	d.press("ctrl+s")
	d.settle()
	if d.value("name") != "Ann" || d.value("agent") != "nobody@example.com" {
		t.Errorf("form lost what was typed")
	}
	if !strings.Contains(d.screen(), "not every platform said ok") {
		t.Errorf("no notice:\n%s", d.screen())
	}
	if r := d.m.history.selected(); r == nil || r.states["nxlink"] == "ok" || r.states["alsc"] != "ok" {
		t.Errorf("row %+v", r)
	}
}

func TestResultWhileTypingKeepsFocusAndText(t *testing.T) {
	e := newEnv(t)
	e.sb.SetFaults(sandbox.Faults{Latency: 300 * time.Millisecond})
	d := drive(t, e.model(t, "en"), 80, 24)
	d.typeText("王小二")
	d.press("tab")
	d.typeText("13411111111")
	d.press("ctrl+s")
	// The next customer is typed while the first is in flight.
	d.focusOn("email")
	d.typeText("ann@")
	d.settle()
	if got := d.focusKey(); got != "email" {
		t.Errorf("focus moved to %s", got)
	}
	if d.value("email") != "ann@" || d.value("name") != "王小二" {
		t.Errorf("text moved: email %q name %q", d.value("email"), d.value("name"))
	}
	f := d.m.form.field("email").(*textField)
	if f.in.in.Position() != len([]rune("ann@")) {
		t.Errorf("cursor moved to %d", f.in.in.Position())
	}
	if !strings.Contains(d.screen(), "form was edited, kept") {
		t.Errorf("notice:\n%s", d.screen())
	}
	if r := d.m.history.selected(); r == nil || r.states["alsc"] != "ok" {
		t.Errorf("result not in history: %+v", r)
	}
}

// esc only navigates: sends in flight go on. Cancelling them is its own
// key, asked first; a cancelled ALSC or NXLink send goes back on the retry
// queue, a cancelled Youzan send waits for a person, and no row keeps
// spinning after its sends ended.
func TestCtrlGCancelsInFlightAfterAsking(t *testing.T) {
	e := newEnv(t)
	e.sb.SetFaults(sandbox.Faults{Latency: 30 * time.Second})
	d := drive(t, e.model(t, "en"), 80, 24)
	d.typeText("Ann")
	d.press("tab")
	d.typeText("13411111113")
	d.press("ctrl+s")
	d.until(func(msg tea.Msg) bool { _, ok := msg.(enrolledMsg); return ok })
	if !strings.Contains(d.screen(), "sending") {
		t.Errorf("no progress while in flight:\n%s", d.screen())
	}
	d.press("esc")
	if d.m.inFlight() != 3 {
		t.Fatalf("esc touched the sends: %d in flight", d.m.inFlight())
	}
	d.press("ctrl+g")
	if !strings.Contains(d.screen(), "Cancel 3 send(s) in flight?") {
		t.Fatalf("ctrl+g did not ask:\n%s", d.screen())
	}
	d.press("n")
	if d.m.inFlight() != 3 || d.m.question != nil {
		t.Fatalf("n cancelled anyway:\n%s", d.screen())
	}
	start := time.Now()
	d.press("ctrl+g", "y")
	d.settle()
	if time.Since(start) > 5*time.Second {
		t.Errorf("cancel took %s", time.Since(start))
	}
	if len(d.m.subs.list) != 0 || d.m.animating() {
		t.Errorf("%d submits still tracked, animating %v", len(d.m.subs.list), d.m.animating())
	}
	if !strings.Contains(d.screen(), "cancelled 3 send(s)") {
		t.Errorf("no cancel notice:\n%s", d.screen())
	}
	if d.value("name") != "Ann" {
		t.Errorf("cancel cleared the form")
	}
	subs, err := e.st.List(context.Background(), store.Query{})
	if err != nil || len(subs) != 1 {
		t.Fatalf("history: %v, %d", err, len(subs))
	}
	want := map[string]store.State{"alsc": store.StateQueued, "nxlink": store.StateQueued, "youzan": store.StateAttention}
	for p, w := range want {
		if got := subs[0].States[p].State; got != w {
			t.Errorf("%s after cancel: %s, want %s", p, got, w)
		}
	}
	r := d.m.history.selected()
	for _, p := range []string{"alsc", "youzan", "nxlink"} {
		if s := r.states[p]; s == stateInFlight || s == statePending {
			t.Errorf("%s row after cancel: %q", p, s)
		}
	}
}

func TestChineseCursorColumn(t *testing.T) {
	e := newEnv(t)
	d := drive(t, e.model(t, "zh"), 80, 24)
	d.typeText("王小二")
	v := d.m.View()
	if v.Cursor == nil {
		t.Fatal("no real cursor in the focused field")
	}
	x0 := d.m.form.valueX()
	if v.Cursor.X != x0+6 {
		t.Errorf("cursor at column %d, want %d (three wide characters after %d)", v.Cursor.X, x0+6, x0)
	}
	line := strings.Split(d.screen(), "\n")[v.Cursor.Y]
	if !strings.Contains(line, "王小二") {
		t.Errorf("cursor row %d is %q", v.Cursor.Y, line)
	}
	d.press("left")
	if v := d.m.View(); v.Cursor.X != x0+4 {
		t.Errorf("after left, cursor at %d, want %d", v.Cursor.X, x0+4)
	}
	// A long address scrolls by display width and keeps the cursor inside.
	d.focusOn("address")
	addr := strings.Repeat("浙江省杭州市西湖区", 4)
	d.typeText(addr)
	v = d.m.View()
	if v.Cursor.X >= d.m.formW || v.Cursor.X < x0 {
		t.Errorf("cursor at %d outside the field [%d,%d)", v.Cursor.X, x0, d.m.formW)
	}
	row := strings.Split(d.screen(), "\n")[v.Cursor.Y]
	if !strings.Contains(row, "西湖区") {
		t.Errorf("the end of the address is not shown: %q", row)
	}
}

func TestTagsAndChoices(t *testing.T) {
	e := newEnv(t)
	d := drive(t, e.model(t, "en"), 80, 24)
	d.focusOn("tags")
	d.typeText("vip;new")
	d.press("enter")
	d.typeText("x")
	d.press("backspace", "backspace")
	c, _ := d.m.form.customer()
	if !slices.Equal(c.Tags, []string{"vip"}) {
		t.Errorf("tags %q", c.Tags)
	}
	d.send(tea.PasteMsg{Content: "a;b;c"})
	c, _ = d.m.form.customer()
	if !slices.Equal(c.Tags, []string{"vip", "a", "b", "c"}) {
		t.Errorf("tags after paste %q", c.Tags)
	}
	d.focusOn("gender")
	d.press("f")
	if c, _ = d.m.form.customer(); c.Gender != platforms.GenderFemale {
		t.Errorf("gender %q", c.Gender)
	}
	d.press("right")
	if c, _ = d.m.form.customer(); c.Gender != platforms.GenderUnknown {
		t.Errorf("gender after right %q", c.Gender)
	}
	d.focusOn("member")
	d.press("space")
	if c, _ = d.m.form.customer(); c.IsMember() {
		t.Errorf("member still true")
	}
	d.focusOn("custom")
	d.typeText("oops")
	if errs := d.m.form.field("custom").base().errs; len(errs) != 1 {
		t.Errorf("custom errors %q", errs)
	}
	d.press("ctrl+s")
	if got := d.focusKey(); got != "name" && got != "custom" {
		t.Errorf("focus %s", got)
	}
}

func TestCtrlCKeepsDraftForNextStart(t *testing.T) {
	e := newEnv(t)
	d := drive(t, e.model(t, "en"), 80, 24)
	d.typeText("王小二")
	d.press("tab")
	d.typeText("1341111")
	d.focusOn("tags")
	d.typeText("vip")
	d.press("ctrl+c")
	if !d.m.quitting {
		t.Fatal("ctrl+c with a store did not quit")
	}
	draft, ok, err := e.st.LoadDraft(context.Background())
	if err != nil || !ok {
		t.Fatalf("no draft: %v", err)
	}
	if c := draft.Customer; c.Name != "王小二" || c.Mobile != "1341111" || !slices.Equal(c.Tags, []string{"vip"}) || draft.SubmissionID != 0 {
		t.Errorf("draft %+v", draft)
	}
	d2 := drive(t, e.model(t, "en"), 80, 24)
	if d2.value("name") != "王小二" || d2.value("mobile") != "1341111" {
		t.Errorf("draft not restored: %q %q", d2.value("name"), d2.value("mobile"))
	}
	if !strings.Contains(d2.screen(), "restored the draft") {
		t.Errorf("no restore notice")
	}
}

func TestCtrlCWithoutStoreAsks(t *testing.T) {
	m := newModel(Options{Platforms: newEnv(t).ps, Lang: "en", NoColor: true}, nil, nil)
	m.timers = false
	d := drive(t, m, 80, 24)
	d.typeText("Ann")
	d.press("ctrl+c")
	if d.m.quitting || !d.m.confirmQuit {
		t.Fatal("quit without asking")
	}
	d.press("n")
	if d.m.quitting || d.m.confirmQuit || d.value("name") != "Ann" {
		t.Fatal("n did not stay")
	}
	d.press("ctrl+c", "y")
	if !d.m.quitting {
		t.Fatal("y did not quit")
	}
}

func TestClickFocusesField(t *testing.T) {
	e := newEnv(t)
	d := drive(t, e.model(t, "en"), 80, 24)
	f := d.m.form
	email := f.indexOf("email")
	y := f.rowOf[email] - f.offset + d.m.bodyTop
	d.send(tea.MouseClickMsg{X: 20, Y: y, Button: tea.MouseLeft})
	if got := d.focusKey(); got != "email" {
		t.Errorf("click focused %s", got)
	}
	// A click on a toggle switches it.
	line := f.lines[f.rowOf[f.indexOf("platform:youzan")]]
	d.send(tea.MouseClickMsg{X: line.xs[1] + 1, Y: f.rowOf[1] - f.offset + d.m.bodyTop, Button: tea.MouseLeft})
	if slices.Contains(f.selectedNames(), "youzan") {
		t.Errorf("click did not toggle youzan: %v", f.selectedNames())
	}
}

func TestWrapLines(t *testing.T) {
	cases := []struct {
		in   string
		w    int
		want []string
	}{
		{"date must be YYYY-MM-DD", 16, []string{"date must be", "YYYY-MM-DD"}},
		{"王小二 浙江省杭州市西湖区", 10, []string{"王小二", "浙江省杭州", "市西湖区"}},
		{"a\nb c", 3, []string{"a", "b c"}},
		{"", 5, []string{""}},
	}
	for _, c := range cases {
		if got := wrapLines(c.in, c.w); !slices.Equal(got, c.want) {
			t.Errorf("wrapLines(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
	}
}

func TestWrapLinesNarrowerThanACharacter(t *testing.T) {
	if got := wrapLines("王小", 1); !slices.Equal(got, []string{"王", "小"}) {
		t.Errorf("got %q", got)
	}
}
