package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/platforms"
)

func fieldCommon(t *testing.T) *common {
	t.Helper()
	return &common{lang: "en", st: newStyles(true), keys: newKeyMaps("en"), now: func() time.Time { return fixedNow }}
}

func press(f field, keys ...string) (changed bool) {
	for _, k := range keys {
		changed = f.update(keyMsg(k)).changed || changed
	}
	return changed
}

func typeInto(f field, s string) {
	for _, r := range s {
		f.update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// A long Chinese value scrolls by display width: the window holds the
// cursor, never more columns than given, and the cursor column counts two
// per character.
func TestTextFieldScrollsByWidth(t *testing.T) {
	c := fieldCommon(t)
	f := newField(c, fieldSpec{key: "address", group: "address"})
	f.focus()
	typeInto(f, strings.Repeat("文三路", 10)) // 30 characters, 60 columns
	view := ansi.Strip(f.value(20, true))
	if w := ansi.StringWidth(view); w > 20 || !strings.HasSuffix(view, "三路") {
		t.Errorf("window %q (%d columns)", view, w)
	}
	if x, ok := f.cursor(20); !ok || x != 19 && x != 18 {
		t.Errorf("cursor at %d", x)
	}
	press(f, "home")
	if x, _ := f.cursor(20); x != 0 || !strings.HasPrefix(ansi.Strip(f.value(20, true)), "文三路") {
		t.Errorf("home: cursor %d, window %q", x, ansi.Strip(f.value(20, true)))
	}
	f.click(6, 20) // the fourth character
	press(f, "backspace")
	if got := f.(*textField).in.value(); !strings.HasPrefix(got, "文三文") {
		t.Errorf("click then backspace: %q", got)
	}
	// Unfocused, the start shows, cut with an ellipsis.
	if v := ansi.Strip(f.value(10, false)); !strings.HasSuffix(v, "…") || ansi.StringWidth(v) > 10 {
		t.Errorf("unfocused %q", v)
	}
}

// A pasted bidi override is kept in the value (the form names it) but shows
// as its escape, and the cursor counts the escape's width.
func TestTextFieldShowsUnsafeAsEscape(t *testing.T) {
	c := fieldCommon(t)
	f := newField(c, fieldSpec{key: "name", group: "identity"})
	f.focus()
	f.update(tea.PasteMsg{Content: " 王\u202Eexe\n"})
	if v := f.(*textField).in.value(); v != "王\u202Eexe" {
		t.Errorf("value %q", v)
	}
	view := ansi.Strip(f.value(40, true))
	if strings.ContainsRune(view, '\u202E') || !strings.Contains(view, "⟨U+202E⟩") {
		t.Errorf("view %q", view)
	}
	if x, _ := f.cursor(40); x != ansi.StringWidth(view) {
		t.Errorf("cursor %d, view %d columns", x, ansi.StringWidth(view))
	}
}

func TestChoiceField(t *testing.T) {
	c := fieldCommon(t)
	f := newField(c, formLayout[2]) // gender
	if !press(f, "f") || ansi.Strip(f.value(60, true)) != " —   male  [female]  unknown " {
		t.Errorf("f: %q", ansi.Strip(f.value(60, true)))
	}
	if press(f, "z") {
		t.Error("a letter no choice starts changed it")
	}
	press(f, "right")
	if !strings.Contains(ansi.Strip(f.value(60, true)), "[unknown]") {
		t.Errorf("right: %q", ansi.Strip(f.value(60, true)))
	}
	press(f, "backspace")
	if !f.empty() {
		t.Error("backspace did not clear the choice")
	}
	if v := ansi.Strip(f.value(10, true)); v != "‹ — ›" {
		t.Errorf("narrow: %q", v)
	}
	if r := f.update(keyMsg("tab")); r.handled {
		t.Error("tab was taken by the choice")
	}
}

func TestTagsField(t *testing.T) {
	c := fieldCommon(t)
	f := newField(c, formLayout[16]) // tags
	f.focus()
	typeInto(f, "vip;新客，")
	if v := ansi.Strip(f.value(40, true)); !strings.HasPrefix(v, "[vip] [新客]") {
		t.Errorf("chips %q", v)
	}
	if r := f.update(keyMsg("enter")); r.handled {
		t.Error("enter with nothing pending did not go to the next field")
	}
	typeInto(f, "x")
	if r := f.update(keyMsg("enter")); !r.handled || !strings.Contains(ansi.Strip(f.value(40, true)), "[x]") {
		t.Errorf("enter did not add the tag: %q", ansi.Strip(f.value(40, true)))
	}
	press(f, "backspace", "backspace")
	if v := ansi.Strip(f.value(40, true)); strings.Contains(v, "新客") || !strings.Contains(v, "[vip]") {
		t.Errorf("backspace on nothing pending: %q", v)
	}
}

func TestToggleField(t *testing.T) {
	e := newEnv(t)
	c := fieldCommon(t)
	f := newToggleField(c, e.ps[0])
	if !press(f, "space") || f.value(0, false) != "[ ] "+e.ps[0].Title() {
		t.Errorf("space: %q", f.value(0, false))
	}
	if !press(f, "x") || f.value(0, false) != "[x] "+e.ps[0].Title() {
		t.Errorf("x: %q", f.value(0, false))
	}
	if r := f.update(keyMsg("right")); r.focus != 1 {
		t.Error("right does not move to the next toggle")
	}
	if r := f.update(keyMsg("enter")); r.handled {
		t.Error("enter toggles (it moves to the next field)")
	}
}

// An answer recorded by an English console reads in Chinese in a Chinese
// one; a platform's own words stay as they are.
func TestOwnMessagesInChinese(t *testing.T) {
	c := fieldCommon(t)
	c.lang = "zh"
	for _, tc := range []struct{ code, en, zh string }{
		{"CONN_LOST", "connection lost after sending (EOF); the platform may have applied it", "发送后连接中断（EOF）；平台可能已处理"},
		{"BAD_BODY", "truncated JSON", "JSON 不完整（被截断）"},
		{"TIMEOUT", "could not send within 10s", "10s 内未能发出"},
		{"isv.mobile-invalid", "truncated JSON", "truncated JSON"},
	} {
		if got := c.resultMessage(platforms.Result{Code: tc.code, Message: tc.en}); got != tc.zh {
			t.Errorf("%s %q: %q", tc.code, tc.en, got)
		}
	}
	c.lang = "en"
	if got := c.resultMessage(platforms.Result{Code: "BAD_BODY", Message: "truncated JSON"}); got != "truncated JSON" {
		t.Errorf("en: %q", got)
	}
}

// A body wraps after a comma, a colon or a space when one is near the edge,
// and cuts a long token only when it must.
func TestHardWrapAtTokens(t *testing.T) {
	got := hardWrap(nil, `"result": "1796135052531354978", "code": "0"`, 24)
	want := []string{`"result": `, `"1796135052531354978", `, `"code": "0"`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("%q", got)
	}
	if got := hardWrap(nil, strings.Repeat("x", 25), 10); len(got) != 3 || got[0] != strings.Repeat("x", 10) {
		t.Errorf("a long token: %q", got)
	}
	for _, l := range hardWrap(nil, strings.Repeat("文三路, ", 9), 11) {
		if ansi.StringWidth(l) > 11 {
			t.Errorf("%q is wider than 11", l)
		}
	}
}
