package platforms

import (
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Rule names a kind of check, stable for tests and exports.
const (
	RuleRequired = "required"
	RuleMaxLen   = "max_length"
	RuleDigits   = "digits_only"
	RuleFormat   = "format"
	RuleRange    = "range"
	RuleOneOf    = "one_of"  // a value outside an enumeration
	RuleContact  = "contact" // NXLink: at least one contact channel
)

// FieldError is one failed rule of one platform on one customer field.
type FieldError struct {
	Platform string // platform name, e.g. "nxlink"
	Title    string // platform title as people read it, e.g. "NXLink"
	TitleZH  string // its Chinese name where it has one (Traits.TitleZH)
	Field    string // customer field JSON key
	Rule     string
	Zh, En   string // the message, without the platform's name
}

// Message is the error in the given language ("zh" or anything else for
// English), prefixed with the platform's title: "NXLink: digits only". An
// error every platform shares (RuleCharacters) and the normaliser's refusals
// have no title and no prefix.
func (e FieldError) Message(lang string) string {
	title := e.TitleIn(lang)
	switch {
	case lang != "zh" && title == "":
		return e.En
	case lang != "zh":
		return title + ": " + e.En
	case title == "":
		return e.Zh
	}
	return title + "：" + e.Zh
}

// TitleIn is the platform's name as people call it in lang ("" for an error
// of no platform's).
func (e FieldError) TitleIn(lang string) string {
	if lang == "zh" && e.TitleZH != "" {
		return e.TitleZH
	}
	return e.Title
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message("en") }

// Rules builds the field errors of one platform. A platform's Validate creates
// one, applies its checks and returns Errs; the zero cost of a passing check keeps
// validation cheap enough for every keystroke.
type Rules struct {
	Platform, Title, TitleZH string
	Errs                     []FieldError
}

// Fail records a failed rule.
func (r *Rules) Fail(field, rule, zh, en string) {
	r.Errs = append(r.Errs, FieldError{Platform: r.Platform, Title: r.Title, TitleZH: r.TitleZH, Field: field, Rule: rule, Zh: zh, En: en})
}

// Required fails when value is empty.
func (r *Rules) Required(field, value string) bool {
	if value == "" {
		r.Fail(field, RuleRequired, "必填", "required")
		return false
	}
	return true
}

// MaxLen fails when value has more than max characters (runes, as the pages count).
func (r *Rules) MaxLen(field, value string, max int) bool {
	if len(value) > max && utf8.RuneCountInString(value) > max {
		n := strconv.Itoa(max)
		r.Fail(field, RuleMaxLen, "最多 "+n+" 个字符", "at most "+n+" characters")
		return false
	}
	return true
}

// Digits fails when value is non-empty and holds anything but ASCII digits.
func (r *Rules) Digits(field, value string) bool {
	if value != "" && !IsDigits(value) {
		r.Fail(field, RuleDigits, "只能是数字", "digits only")
		return false
	}
	return true
}

// Date fails when value is non-empty and not a real YYYY-MM-DD date.
func (r *Rules) Date(field, value string) bool {
	if value == "" {
		return true
	}
	if len(value) != 10 || value[4] != '-' || value[7] != '-' || !IsDigits(value[:4]+value[5:7]+value[8:]) {
		r.Fail(field, RuleFormat, "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD")
		return false
	}
	if _, err := time.Parse(time.DateOnly, value); err != nil {
		r.Fail(field, RuleFormat, "没有这一天", "no such date")
		return false
	}
	return true
}

// Email fails when value is non-empty and not a bare address.
func (r *Rules) Email(field, value string) bool {
	if value == "" {
		return true
	}
	a, err := mail.ParseAddress(value)
	if err != nil || a.Address != value || a.Name != "" {
		r.Fail(field, RuleFormat, "邮箱格式不正确", "not a valid email address")
		return false
	}
	return true
}

// Landline fails when value is non-empty and not written as a telephone
// number: 5 to 20 digits, an optional leading +, the separators people put
// between them (space, -, a dot, parentheses), and an optional extension of
// up to 6 digits after 转, ext, x or #. The pages give no format for their
// landline fields beyond an example (0571-87658765); this keeps an e-mail or
// a note typed into the wrong field from being sent as a telephone number.
func (r *Rules) Landline(field, value string) bool {
	if value == "" || isLandline(value) {
		return true
	}
	r.Fail(field, RuleFormat, "座机号码格式不正确", "not a telephone number")
	return false
}

// extensionMarks are what people write before a telephone extension,
// lower-cased; "ext" comes before the "x" it contains.
var extensionMarks = []string{"转", "ext.", "ext", "x", "#"}

func isLandline(s string) bool {
	number := strings.ToLower(s)
	for _, mark := range extensionMarks {
		if i := strings.Index(number, mark); i > 0 {
			ext := strings.TrimSpace(number[i+len(mark):])
			if ext == "" || len(ext) > 6 || !IsDigits(ext) {
				return false
			}
			number = strings.TrimSpace(number[:i])
			break
		}
	}
	digits := 0
	for _, c := range strings.TrimPrefix(number, "+") {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return false
		}
	}
	return digits >= 5 && digits <= 20
}

// AreaCode fails when value is non-empty and not a mainland administrative
// division code: 6 digits (GB/T 2260, down to the county, e.g. 330106), or
// the 9 or 12 of the statistical codes that extend it to the township and
// the village.
func (r *Rules) AreaCode(field, value string) bool {
	if value == "" || (IsDigits(value) && (len(value) == 6 || len(value) == 9 || len(value) == 12)) {
		return true
	}
	r.Fail(field, RuleFormat, "区划代码应为 6 位数字", "area code must be 6 digits")
	return false
}

// Gender fails when value is not one of the model's gender values.
func (r *Rules) Gender(field, value string) bool {
	switch value {
	case "", GenderMale, GenderFemale, GenderUnknown:
		return true
	}
	r.Fail(field, RuleOneOf, "性别应为 male、female 或 unknown", "gender must be male, female or unknown")
	return false
}

// Mobile fails when value is non-empty and not a mobile number ParseMobile accepts.
func (r *Rules) Mobile(field, value string) (Mobile, bool) {
	if value == "" {
		return Mobile{}, true
	}
	m, ok := ParseMobile(value)
	if !ok {
		r.Fail(field, RuleFormat, "手机号应为 11 位大陆号码或 +区号-号码", "mobile must be 11 mainland digits or +<country code>-<number>")
	}
	return m, ok
}
