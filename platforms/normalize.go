package platforms

import (
	"strconv"
	"strings"
	"time"
)

// RuleAmbiguous is a value the normaliser will not guess at (gender 0/1, a
// date whose day and month could be swapped, a bare year).
const RuleAmbiguous = "ambiguous"

// Change is one value the normaliser rewrote: what was typed and what is sent.
type Change struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// TrimOnly reports a change that only removed surrounding whitespace, which
// is not worth showing anyone.
func (c Change) TrimOnly() bool { return strings.TrimSpace(c.From) == c.To }

// widthFields hold identifiers and addresses whose full-width ASCII (typed with
// a Chinese input method left in full-width mode) means the same characters.
var widthFields = map[string]bool{
	"email": true, "phone": true, "area_code": true, "agent": true,
	"wechat": true, "whatsapp": true, "viber": true, "messenger": true,
	"instagram": true, "zalo": true, "line": true,
}

// Normalize is the one place where customer values as people write them
// become the model's canonical form: it trims every field, folds full-width
// ASCII in mobiles, e-mail and IDs, and rewrites mobiles, genders and
// birthdays. The form, `submit` and the importer all call it, so a value is
// accepted or refused the same way everywhere. A value it cannot read without
// guessing is left as typed (trimmed) and refused with a FieldError whose
// Platform is "": the problem is the value, not any platform's rule.
func Normalize(c Customer) (Customer, []Change, []FieldError) {
	return normalizeAt(c, time.Now())
}

func normalizeAt(c Customer, now time.Time) (Customer, []Change, []FieldError) {
	var changes []Change
	var errs []FieldError
	for _, key := range Fields {
		p := c.stringField(key)
		if p == nil || *p == "" {
			continue
		}
		to, fe := NormalizeField(key, *p, now)
		if fe != nil {
			errs = append(errs, *fe)
		}
		if to != *p {
			changes = append(changes, Change{Field: key, From: *p, To: to})
			*p = to
		}
	}
	if len(c.Tags) > 0 {
		tags := SplitTags(strings.Join(c.Tags, ";"))
		if strings.Join(tags, ";") != strings.Join(c.Tags, ";") {
			changes = append(changes, Change{Field: "tags", From: strings.Join(c.Tags, ";"), To: strings.Join(tags, ";")})
			c.Tags = tags
		}
	}
	return c, changes, errs
}

// NormalizeField returns one field's canonical value, or the trimmed value
// and why it is refused. now decides what "in the future" means.
func NormalizeField(key, value string, now time.Time) (string, *FieldError) {
	v := strings.TrimSpace(value)
	formed := widthFields[key] || key == "mobile" || key == "birthday" // a value with a form of its own
	if formed || key == "gender" {
		v = strings.TrimSpace(HalfWidth(v))
	}
	if v == "" || (formed && isPlaceholder(v)) {
		return "", nil
	}
	var zh, en, rule string
	var out string
	switch key {
	case "mobile":
		out, rule, zh, en = normMobile(v)
	case "gender":
		out, rule, zh, en = normGender(v)
	case "birthday":
		out, rule, zh, en = normBirthday(v, now)
	default:
		return v, nil
	}
	if rule != "" {
		return v, &FieldError{Field: key, Rule: rule, Zh: zh, En: en}
	}
	return out, nil
}

// isPlaceholder: what spreadsheets and old systems write in a cell that has
// no value (暂无, -, N/A). In a field with a form of its own (a number, an
// address, a date, an ID) it cannot be the value, so it is sent as nothing
// rather than refused; free text (names, remarks, tags) keeps what was
// written, and a gender's 未知 is a value.
func isPlaceholder(v string) bool {
	switch strings.ToLower(v) {
	case "无", "暂无", "没有", "空", "未填", "不详", "未提供", "-", "--", "—", "——", "/", "n/a", "na", "none", "null", "nil":
		return true
	}
	return false
}

// HalfWidth maps full-width ASCII (U+FF01–U+FF5E) and the ideographic space
// to their ASCII forms.
func HalfWidth(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return (r >= 0xFF01 && r <= 0xFF5E) || r == 0x3000 })
	if i < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}

// normGender reads the ways staff and old systems write a gender. 0 and 1
// are refused: NXLink's wire has 1 male and 0 female, while other systems
// (and many POS exports) use 1 male, 2 female or 0 unknown.
func normGender(v string) (out, rule, zh, en string) {
	switch strings.ToLower(strings.ReplaceAll(v, " ", "")) {
	case "男", "男性", "男士", "先生", "m", "male", "man":
		return GenderMale, "", "", ""
	case "女", "女性", "女士", "f", "female", "woman":
		return GenderFemale, "", "", ""
	case "未知", "保密", "unknown":
		return GenderUnknown, "", "", ""
	case "0", "1", "2":
		return "", RuleAmbiguous, "性别 " + v + " 有歧义（各平台对 0/1 的含义不同），请写 男、女 或 未知",
			"gender " + v + " is ambiguous (the platforms disagree on what 0 and 1 mean); write male, female or unknown (男/女/未知)"
	}
	return "", RuleOneOf, "性别应为 男、女、未知（或 male、female、unknown）", "gender must be male, female or unknown (男/女/未知, M/F)"
}

// normBirthday reads the date forms of Chinese spreadsheets and cashiers:
// 1990-1-2, 1990/1/2, 1990.1.2, 1990年1月2日, 19900102 and Excel serial
// numbers, with or without a time of day. Day-first or two-digit-year forms
// are refused rather than guessed.
func normBirthday(v string, now time.Time) (out, rule, zh, en string) {
	v = dropTimeOfDay(v)
	y, m, d, rule, zh, en := parseDate(v)
	if rule != "" {
		return "", rule, zh, en
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return "", RuleFormat, "没有这一天", "no such date"
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	switch {
	case y < 1900:
		return "", RuleRange, "生日不能早于 1900 年", "a birthday cannot be before 1900"
	case t.After(today):
		return "", RuleRange, "生日不能在将来", "a birthday cannot be in the future"
	}
	return t.Format(time.DateOnly), "", "", ""
}

// dropTimeOfDay removes " 00:00:00" or "T00:00" after a date: exports of
// date-time columns carry one.
func dropTimeOfDay(v string) string {
	i := strings.IndexAny(v, " T")
	if i <= 0 {
		return v
	}
	rest := strings.TrimSpace(v[i+1:])
	if rest == "" || !strings.Contains(rest, ":") || strings.Trim(rest, "0123456789:.Z") != "" {
		return v
	}
	return strings.TrimSpace(v[:i])
}

const (
	dateZh = "日期应为 1990-01-02、1990/1/2、1990年1月2日 或 19900102"
	dateEn = "date must be like 1990-01-02, 1990/1/2, 1990.1.2, 1990年1月2日 or 19900102"
)

func parseDate(v string) (y, m, d int, rule, zh, en string) {
	if IsDigits(v) || isSerial(v) {
		return parseDigitsDate(v)
	}
	if strings.ContainsAny(v, "年月日") {
		v = strings.TrimSuffix(v, "日")
		v = strings.NewReplacer("年", "-", "月", "-").Replace(v)
	}
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
	if len(parts) != 3 || !IsDigits(parts[0]) || !IsDigits(parts[1]) || !IsDigits(parts[2]) {
		return 0, 0, 0, RuleFormat, dateZh, dateEn
	}
	switch {
	case len(parts[0]) == 4 && len(parts[1]) <= 2 && len(parts[2]) <= 2:
		y, _ = strconv.Atoi(parts[0])
		m, _ = strconv.Atoi(parts[1])
		d, _ = strconv.Atoi(parts[2])
		return y, m, d, "", "", ""
	case len(parts[2]) == 4:
		return 0, 0, 0, RuleAmbiguous, "日月顺序有歧义（" + v + "），请写成 年-月-日，如 1990-01-02",
			"the order of day and month is ambiguous in " + v + "; write the year first, e.g. 1990-01-02"
	case len(parts[0]) <= 2 && len(parts[1]) <= 2 && len(parts[2]) <= 2:
		return 0, 0, 0, RuleAmbiguous, "两位数的年份有歧义（" + v + "），请写四位年份",
			"a two-digit year is ambiguous in " + v + "; write all four digits of the year"
	}
	return 0, 0, 0, RuleFormat, dateZh, dateEn
}

// isSerial matches an Excel serial with a fraction (a date-time): 32875.5.
func isSerial(v string) bool {
	whole, frac, ok := strings.Cut(v, ".")
	return ok && len(whole) == 5 && IsDigits(whole) && IsDigits(frac)
}

// excelEpoch is day 0 of Excel's 1900 date system for serials after
// 1900-02-28 (Excel counts a 29 February 1900 that never was).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// parseDigitsDate reads 19900102 and Excel serials. Only five-digit serials
// are read: they cover 1927 to 2173, and a four-digit number is more likely a
// year than a birthday in the 1900s, so it is refused as ambiguous.
func parseDigitsDate(v string) (y, m, d int, rule, zh, en string) {
	whole, _, _ := strings.Cut(v, ".")
	switch len(whole) {
	case 8:
		y, _ = strconv.Atoi(whole[:4])
		m, _ = strconv.Atoi(whole[4:6])
		d, _ = strconv.Atoi(whole[6:])
		return y, m, d, "", "", ""
	case 5:
		n, _ := strconv.Atoi(whole)
		t := excelEpoch.AddDate(0, 0, n)
		return t.Year(), int(t.Month()), t.Day(), "", "", ""
	case 4:
		return 0, 0, 0, RuleAmbiguous, v + " 是年份还是 Excel 日期序号？请写完整日期",
			v + " could be a year or an Excel date serial; write the whole date"
	}
	return 0, 0, 0, RuleFormat, dateZh, dateEn
}

// ExcelSerialDate is the date of an Excel serial number (1900 date system, or
// 1904 for workbooks that say so), as YYYY-MM-DD; the time of day is dropped.
func ExcelSerialDate(serial float64, date1904 bool) string {
	days := int(serial)
	if date1904 {
		return time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days).Format(time.DateOnly)
	}
	if days < 60 {
		// Before Excel's phantom 1900-02-29, day 1 is 1900-01-01.
		return time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days).Format(time.DateOnly)
	}
	return excelEpoch.AddDate(0, 0, days).Format(time.DateOnly)
}
