package platforms

import (
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

func TestNormalizeField(t *testing.T) {
	for _, tc := range []struct {
		field, in, want string
		rule            string // "" accepted; else the refusal's rule
		msg             string // part of the English message of a refusal
	}{
		// mobiles
		{"mobile", "13411111111", "13411111111", "", ""},
		{"mobile", " 134 1111 1111 ", "13411111111", "", ""},
		{"mobile", "134-1111-1112", "13411111112", "", ""},
		{"mobile", "134.1111.1113", "13411111113", "", ""},
		{"mobile", "(134) 1111 1114", "13411111114", "", ""},
		{"mobile", "１３４１１１１１１１１", "13411111111", "", ""},
		{"mobile", "１３４　１１１１　１１１１", "13411111111", "", ""},
		{"mobile", "+86 134 1111 1111", "13411111111", "", ""},
		{"mobile", "+86-13411111111", "13411111111", "", ""},
		{"mobile", "（+86）13411111111", "13411111111", "", ""},
		{"mobile", "0086 13411111111", "13411111111", "", ""},
		{"mobile", "8613411111111", "13411111111", "", ""},
		{"mobile", "\t134 1111 1111\u3000", "13411111111", "", ""},
		{"mobile", "＋８６ １３４ １１１１ １１１１", "13411111111", "", ""},
		{"mobile", "+86 (134) 1111-1111", "13411111111", "", ""},
		{"mobile", "86 134 1111 1111", "13411111111", "", ""},
		{"mobile", "0086-134-1111-1111", "13411111111", "", ""},
		{"mobile", "008613411111111", "13411111111", "", ""},
		{"mobile", "+852 1234 4567", "+852-12344567", "", ""},
		{"mobile", "+852-12344567", "+852-12344567", "", ""},
		{"mobile", "00852 1234 4567", "+852-12344567", "", ""},
		{"mobile", "+1 (415) 555-2671", "+1-4155552671", "", ""},
		{"mobile", "+44 7911 123456", "+44-7911123456", "", ""},
		{"mobile", "+852 1234 45678", "", RuleFormat, "(HK) numbers have 8 digits after the country code (this one has 9)"},
		{"mobile", "+1 415 555 267", "", RuleFormat, "(US) numbers have 10 digits after the country code (this one has 9)"},
		{"mobile", "+81 90 1234 567", "", RuleFormat, "+81 (JP) numbers have 10 digits after the country code (this one has 9)"},
		{"mobile", "+65 9123 456", "", RuleFormat, "+65 (SG) numbers have 8 digits after the country code (this one has 7)"},
		{"mobile", "00853 6612 345", "", RuleFormat, "+853 (MO) numbers have 8 digits after the country code (this one has 7)"},
		{"mobile", "+86 134 1111 111", "", RuleFormat, "after +86 has 11 digits starting with 1 (this one has 10)"},
		{"mobile", "1341111111", "", RuleFormat, "11 digits starting with 1 (this one has 10)"},
		{"mobile", "134111111111", "", RuleFormat, "(this one has 12)"},
		{"mobile", "23411111111", "", RuleFormat, "11 digits starting with 1"},
		{"mobile", "134x1111111", "", RuleFormat, "found 'x'"},
		{"mobile", "+999 12345678", "", RuleFormat, "+999"},
		// genders
		// a spreadsheet's "no value" in a field with a form of its own
		{"phone", "暂无", "", "", ""},
		{"phone", " - ", "", "", ""},
		{"mobile", "无", "", "", ""},
		{"birthday", "不详", "", "", ""},
		{"email", "N/A", "", "", ""},
		{"email", "ｎｕｌｌ", "", "", ""},
		{"wechat", "/", "", "", ""},
		{"area_code", "——", "", "", ""},
		{"name", "无", "无", "", ""},
		{"remark", "-", "-", "", ""},
		{"gender", "未知", GenderUnknown, "", ""},
		{"gender", "无", "", RuleOneOf, "gender must be"},
		{"phone", "暂无电话", "暂无电话", "", ""},
		{"gender", "男", GenderMale, "", ""},
		{"gender", "男性", GenderMale, "", ""},
		{"gender", "男士", GenderMale, "", ""},
		{"gender", "先生", GenderMale, "", ""},
		{"gender", "M", GenderMale, "", ""},
		{"gender", "ｍ", GenderMale, "", ""},
		{"gender", "Male", GenderMale, "", ""},
		{"gender", "女", GenderFemale, "", ""},
		{"gender", "女性", GenderFemale, "", ""},
		{"gender", "女士", GenderFemale, "", ""},
		{"gender", "F", GenderFemale, "", ""},
		{"gender", " female ", GenderFemale, "", ""},
		{"gender", "未知", GenderUnknown, "", ""},
		{"gender", "保密", GenderUnknown, "", ""},
		{"gender", "unknown", GenderUnknown, "", ""},
		{"gender", "0", "", RuleAmbiguous, "ambiguous (the platforms disagree on what 0 and 1 mean)"},
		{"gender", "1", "", RuleAmbiguous, "ambiguous"},
		{"gender", "2", "", RuleAmbiguous, "ambiguous"},
		{"gender", "１", "", RuleAmbiguous, "ambiguous"},
		{"gender", "男女", "", RuleOneOf, "male, female or unknown"},
		// dates
		{"birthday", "1990-01-02", "1990-01-02", "", ""},
		{"birthday", "1990/1/2", "1990-01-02", "", ""},
		{"birthday", "1990.1.2", "1990-01-02", "", ""},
		{"birthday", "1990-1-2", "1990-01-02", "", ""},
		{"birthday", "1990年1月2日", "1990-01-02", "", ""},
		{"birthday", "1990年01月02日", "1990-01-02", "", ""},
		{"birthday", "19900102", "1990-01-02", "", ""},
		{"birthday", "32875", "1990-01-02", "", ""},
		{"birthday", "32875.5", "1990-01-02", "", ""},
		{"birthday", "１９９０／１／２", "1990-01-02", "", ""},
		{"birthday", "1990-01-02 00:00:00", "1990-01-02", "", ""},
		{"birthday", "1990/1/2 0:00", "1990-01-02", "", ""},
		{"birthday", "１９９０年１月２日", "1990-01-02", "", ""},
		{"birthday", " 1990-1-2T00:00:00Z ", "1990-01-02", "", ""},
		{"birthday", "45992", "2025-12-01", "", ""},
		{"birthday", "1900-01-01", "1900-01-01", "", ""},
		{"birthday", "2026-12-01", "2026-12-01", "", ""},
		{"birthday", "2026-12-02", "", RuleRange, "in the future"},
		{"birthday", "2030-01-01", "", RuleRange, "in the future"},
		{"birthday", "0001-01-01", "", RuleRange, "before 1900"},
		{"birthday", "1899-12-31", "", RuleRange, "before 1900"},
		{"birthday", "1990-02-30", "", RuleFormat, "no such date"},
		{"birthday", "19901302", "", RuleFormat, "no such date"},
		{"birthday", "02/01/1990", "", RuleAmbiguous, "order of day and month"},
		{"birthday", "90-1-2", "", RuleAmbiguous, "two-digit year"},
		{"birthday", "1990", "", RuleAmbiguous, "a year or an Excel date serial"},
		{"birthday", "yesterday", "", RuleFormat, "date must be like"},
		{"birthday", "1990-01", "", RuleFormat, "date must be like"},
		// full-width ASCII and trimming
		{"email", "ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ", "wang@example.com", "", ""},
		{"email", " a@b.co\t", "a@b.co", "", ""},
		{"wechat", "ｗｘｉｄ＿１２３", "wxid_123", "", ""},
		{"phone", "０５７１－８８８８８８８８", "0571-88888888", "", ""},
		{"agent", " ａｇｅｎｔ０１ ", "agent01", "", ""},
		{"whatsapp", "＋８５２１２３４４５６７", "+85212344567", "", ""},
		{"name", "  王小二　", "王小二", "", ""},
		{"name", "ＡＢＣ", "ＡＢＣ", "", ""}, // names keep what was typed
		{"remark", " 老客户 ", "老客户", "", ""},
	} {
		got, fe := NormalizeField(tc.field, tc.in, testNow)
		if tc.rule == "" {
			if fe != nil || got != tc.want {
				t.Errorf("%s %q -> %q, %v; want %q", tc.field, tc.in, got, fe, tc.want)
			}
			continue
		}
		if fe == nil {
			t.Errorf("%s %q -> %q accepted; want refused (%s)", tc.field, tc.in, got, tc.rule)
			continue
		}
		if fe.Rule != tc.rule || fe.Field != tc.field || !strings.Contains(fe.En, tc.msg) || fe.Zh == "" || fe.Platform != "" {
			t.Errorf("%s %q refused as %+v; want rule %s with %q", tc.field, tc.in, *fe, tc.rule, tc.msg)
		}
		if got != strings.TrimSpace(HalfWidth(tc.in)) {
			t.Errorf("%s %q refused but left as %q; want the value as typed, trimmed", tc.field, tc.in, got)
		}
	}
}

func TestNormalizeReportsChanges(t *testing.T) {
	c := Customer{Name: " 王小二 ", Mobile: "134 1111 1111", Gender: "女", Birthday: "1990/1/2", Email: "a@b.co",
		Tags: []string{" vip", "new "}}
	n, changes, errs := normalizeAt(c, testNow)
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	want := Customer{Name: "王小二", Mobile: "13411111111", Gender: GenderFemale, Birthday: "1990-01-02", Email: "a@b.co", Tags: []string{"vip", "new"}}
	if n.Get("tags") != want.Get("tags") || n.Name != want.Name || n.Mobile != want.Mobile || n.Gender != want.Gender || n.Birthday != want.Birthday || n.Email != want.Email {
		t.Fatalf("normalised %+v\nwant %+v", n, want)
	}
	got := map[string]Change{}
	for _, ch := range changes {
		got[ch.Field] = ch
	}
	if len(changes) != 5 || got["mobile"].From != "134 1111 1111" || got["mobile"].To != "13411111111" ||
		got["gender"].To != GenderFemale || got["birthday"].To != "1990-01-02" || !got["name"].TrimOnly() || got["mobile"].TrimOnly() {
		t.Fatalf("changes %+v", changes)
	}
	if c.Mobile != "134 1111 1111" {
		t.Fatal("Normalize changed its argument")
	}
}

// Prepare keeps a refused field to the normaliser's message: the platforms'
// "date must be YYYY-MM-DD" on the same value would only repeat it.
func TestPrepareRefusalsOnce(t *testing.T) {
	p := rulesPlatform{}
	_, _, errs := Prepare(Customer{Mobile: "13411111111", Gender: "1", Birthday: "02/01/1990"}, []Platform{p})
	if len(errs) != 2 {
		t.Fatalf("errors %v; want one each for gender and birthday", errs)
	}
	for _, e := range errs {
		if e.Platform != "" || e.Rule != RuleAmbiguous || e.Message("en") != e.En {
			t.Errorf("%+v", e)
		}
	}
	_, _, errs = Prepare(Customer{Mobile: "134 1111 1111", Birthday: "1990/1/2"}, []Platform{p})
	if len(errs) != 0 {
		t.Fatalf("normalised values refused by the platform rules: %v", errs)
	}
}

// rulesPlatform applies the shared rules the real platforms apply to these
// fields, without importing them (they import this package).
type rulesPlatform struct{ Platform }

func (rulesPlatform) Validate(c Customer) []FieldError {
	r := Rules{Platform: "test", Title: "Test"}
	r.Mobile("mobile", c.Mobile)
	r.Gender("gender", c.Gender)
	r.Date("birthday", c.Birthday)
	return r.Errs
}

func TestExcelSerialDate(t *testing.T) {
	for _, tc := range []struct {
		serial float64
		d1904  bool
		want   string
	}{
		{32875, false, "1990-01-02"}, {1, false, "1900-01-01"}, {59, false, "1900-02-28"}, {61, false, "1900-03-01"},
		{45992.75, false, "2025-12-01"}, {31413, true, "1990-01-02"},
	} {
		if got := ExcelSerialDate(tc.serial, tc.d1904); got != tc.want {
			t.Errorf("ExcelSerialDate(%v, %v) = %s; want %s", tc.serial, tc.d1904, got, tc.want)
		}
	}
}
