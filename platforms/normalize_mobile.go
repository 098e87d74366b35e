package platforms

import (
	"slices"
	"strconv"
	"strings"
)

// normMobile turns a mobile as people write it into 11 mainland digits or
// "+<cc>-<national number>". Separators (spaces, dashes, dots, parentheses)
// go; +86, 0086 and 86 before 11 mainland digits go; anything else is refused
// with the reason.
func normMobile(v string) (out, rule, zh, en string) {
	var b strings.Builder
	plus := false
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && b.Len() == 0 && !plus:
			plus = true
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '\u00a0' || r == '\t':
		default:
			return "", RuleFormat, "手机号只能有数字、空格、-、.、括号和开头的 +（含有 " + strconv.QuoteRune(r) + "）",
				"a mobile holds only digits, spaces, -, ., parentheses and a leading + (found " + strconv.QuoteRune(r) + ")"
		}
	}
	d := b.String()
	switch {
	case plus:
		return international(d)
	case strings.HasPrefix(d, "00"):
		return international(d[2:])
	case len(d) == 11 && d[0] == '1':
		return d, "", "", ""
	case len(d) == 13 && strings.HasPrefix(d, "86") && d[2] == '1':
		return d[2:], "", "", ""
	}
	n := strconv.Itoa(len(d))
	return "", RuleFormat, "大陆手机号是以 1 开头的 11 位数字（这个有 " + n + " 位）；其他国家和地区请以 +区号 开头",
		"a mainland mobile has 11 digits starting with 1 (this one has " + n + "); for another country start with +<country code>"
}

// international reads digits that follow + (or 00): a country code, then the
// number, checked against the lengths the country's numbering plan allows
// (libphonenumber's Parse, IsPossibleNumber and GetNumberType, through the
// table generated from its metadata: mobileplans.go).
func international(d string) (out, rule, zh, en string) {
	plan, nsn, fail := parseDigits(d)
	if len(d)+1 > maxParseInput {
		fail = notANumber
	}
	switch fail {
	case badCallingCode:
		return "", RuleFormat, "+ 后不是国家或地区区号", "+" + d + " does not start with a country calling code"
	case notANumber:
		return "", RuleFormat, "不是电话号码：+ 后应为国家区号和号码", "not a phone number: + must be followed by a country code and the number"
	}
	ccs := "+" + strconv.Itoa(plan.code)
	if plan.code == 86 {
		if len(nsn) == 11 && nsn[0] == '1' {
			return nsn, "", "", ""
		}
		n := strconv.Itoa(len(nsn))
		return "", RuleFormat, "+86 后的大陆手机号是以 1 开头的 11 位数字（这个有 " + n + " 位）",
			"a mainland mobile after +86 has 11 digits starting with 1 (this one has " + n + ")"
	}
	lengths := plan.mobileLengths
	if plan.possible(nsn) && (len(lengths) == 0 || slices.Contains(lengths, int8(len(nsn))) || plan.isMobile(nsn)) {
		return ccs + "-" + nsn, "", "", ""
	}
	want := lengthsText(lengths)
	n := strconv.Itoa(len(nsn))
	return "", RuleFormat, ccs + "（" + plan.region + "）的手机号在区号后应为 " + want + " 位数字（这个有 " + n + " 位）",
		ccs + " (" + plan.region + ") numbers have " + want + " digits after the country code (this one has " + n + ")"
}

// lengthsText writes [8] as "8", [9 10] as "9 or 10", a longer run as "5 to 13".
func lengthsText(ls []int8) string {
	switch len(ls) {
	case 0:
		return "?"
	case 1:
		return strconv.Itoa(int(ls[0]))
	case 2:
		return strconv.Itoa(int(ls[0])) + " or " + strconv.Itoa(int(ls[1]))
	}
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = strconv.Itoa(int(l))
	}
	if int(ls[len(ls)-1]-ls[0]) == len(ls)-1 {
		return strconv.Itoa(int(ls[0])) + " to " + strconv.Itoa(int(ls[len(ls)-1]))
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}
