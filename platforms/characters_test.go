package platforms

import (
	"strings"
	"testing"
)

func TestCheckCharacters(t *testing.T) {
	ok := Customer{Name: "王小二", Mobile: "13411111111", Remark: "VIP — 喜欢 ☕", Tags: []string{"新客"}, Custom: map[string]string{"k": "v"}}
	if errs := CheckCharacters(ok); len(errs) != 0 {
		t.Fatalf("clean customer: %v", errs)
	}
	bad := Customer{
		Name:    "王\x1b]0;x\x07",
		Mobile:  "1341111111\u200B1",
		Remark:  "a\u202Eb",
		Address: "NUL\x00",
		City:    "\u009b31m",
		Email:   "x\xffy@example.com",
		Tags:    []string{"ok", "zw\u2060"},
		Custom:  map[string]string{"note\u2066": "v"},
	}
	errs := CheckCharacters(bad)
	got := map[string]FieldError{}
	for _, e := range errs {
		if e.Rule != RuleCharacters || e.Platform != "" {
			t.Errorf("%+v", e)
		}
		got[e.Field] = e
	}
	for field, want := range map[string]string{
		"name": "character 2, U+001B", "mobile": "character 11, U+200B", "remark": "character 2, U+202E",
		"address": "character 4, U+0000", "city": "character 1, U+009B", "email": "character 2 is not valid UTF-8",
		"tags": "U+2060", "custom": "character 5, U+2066",
	} {
		e, ok := got[field]
		if !ok {
			t.Errorf("%s: no error", field)
			continue
		}
		if !strings.Contains(e.Message("en"), want) {
			t.Errorf("%s: %q, want %q", field, e.Message("en"), want)
		}
		if zh := e.Message("zh"); !strings.Contains(zh, "第") || strings.Contains(zh, ": ") {
			t.Errorf("%s: zh message %q", field, zh)
		}
	}
	if len(errs) != 8 {
		t.Errorf("%d errors, want one per field: %v", len(errs), errs)
	}
	// Every platform's validation includes them, once, even with no platform chosen.
	if n := len(ValidateAll(Customer{Name: "a\u202E"}, nil)); n != 1 {
		t.Errorf("ValidateAll: %d errors", n)
	}
}

func BenchmarkCheckCharacters(b *testing.B) {
	c := Customer{Name: "王小二", Mobile: "13411111111", Email: "wang@example.com", Province: "浙江省", City: "杭州市",
		District: "西湖区", Address: "文三路 100 号", Tags: []string{"vip", "新客"}, Remark: "常客"}
	b.ReportAllocs()
	for b.Loop() {
		_ = CheckCharacters(c)
	}
}
