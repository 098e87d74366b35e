// Package platforms is the domain shared by every part of custdesk: the customer
// record, the contract each platform package fulfils, and the normalised verdict of
// an exchange. It knows nothing of the screen or of storage.
package platforms

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Gender values of the customer model. Empty means "not given".
const (
	GenderMale    = "male"
	GenderFemale  = "female"
	GenderUnknown = "unknown"
)

// Customer is one record as staff enter it. Its JSON names are a public contract:
// CLI input, import files and history export all use them.
type Customer struct {
	Name      string `json:"name,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Mobile    string `json:"mobile,omitempty"`
	Phone     string `json:"phone,omitempty"`
	Email     string `json:"email,omitempty"`
	Gender    string `json:"gender,omitempty"`
	Birthday  string `json:"birthday,omitempty"`

	Country  string `json:"country,omitempty"`
	Province string `json:"province,omitempty"`
	City     string `json:"city,omitempty"`
	District string `json:"district,omitempty"`
	AreaCode string `json:"area_code,omitempty"`
	Address  string `json:"address,omitempty"`

	Tags   []string `json:"tags,omitempty"`
	Remark string   `json:"remark,omitempty"`
	Level  string   `json:"level,omitempty"`
	// Member is a pointer because its default is true: absent means member.
	Member *bool `json:"member,omitempty"`

	Nickname  string `json:"nickname,omitempty"`
	Wechat    string `json:"wechat,omitempty"`
	WhatsApp  string `json:"whatsapp,omitempty"`
	Viber     string `json:"viber,omitempty"`
	Messenger string `json:"messenger,omitempty"`
	Instagram string `json:"instagram,omitempty"`
	Zalo      string `json:"zalo,omitempty"`
	Line      string `json:"line,omitempty"`

	TimeZone string            `json:"time_zone,omitempty"`
	Agent    string            `json:"agent,omitempty"`
	Invoice  string            `json:"invoice,omitempty"`
	Custom   map[string]string `json:"custom,omitempty"`
}

// IsMember reports the member flag with its default of true applied.
func (c Customer) IsMember() bool { return c.Member == nil || *c.Member }

// Bool returns a pointer to b, for Customer.Member literals.
func Bool(b bool) *bool { return &b }

// Field names every customer field by its JSON key, in the order forms and
// exports present them. It is the single list of the model's fields.
var Fields = []string{
	"name", "first_name", "last_name",
	"mobile", "phone", "email", "gender", "birthday",
	"country", "province", "city", "district", "area_code", "address",
	"tags", "remark", "level", "member",
	"nickname", "wechat", "whatsapp", "viber", "messenger", "instagram", "zalo", "line",
	"time_zone", "agent", "invoice", "custom",
}

// Get returns the field named by its JSON key as text: tags joined by ";",
// member as "true"/"false", custom as a JSON object. Unknown keys give "".
func (c Customer) Get(key string) string {
	if p := c.stringField(key); p != nil {
		return *p
	}
	switch key {
	case "tags":
		return strings.Join(c.Tags, ";")
	case "member":
		return strconv.FormatBool(c.IsMember())
	case "custom":
		if len(c.Custom) == 0 {
			return ""
		}
		b, _ := json.Marshal(c.Custom)
		return string(b)
	}
	return ""
}

// Set assigns the field named by its JSON key from text, the inverse of Get.
// Tags split on ";" (and ","), member parses a boolean, custom a JSON object or
// "k=v;k=v" pairs.
func (c *Customer) Set(key, value string) error {
	if p := c.stringField(key); p != nil {
		*p = value
		return nil
	}
	switch key {
	case "tags":
		c.Tags = SplitTags(value)
	case "member":
		v := strings.TrimSpace(strings.ToLower(value))
		if v == "" {
			c.Member = nil
			return nil
		}
		switch v {
		case "1", "true", "yes", "y", "是", "会员":
			c.Member = Bool(true)
		case "0", "false", "no", "n", "否", "顾客":
			c.Member = Bool(false)
		default:
			return fmt.Errorf("member: %q is not true or false", value)
		}
	case "custom":
		m, err := ParseCustom(value)
		if err != nil {
			return err
		}
		c.Custom = m
	default:
		return fmt.Errorf("unknown customer field %q", key)
	}
	return nil
}

func (c *Customer) stringField(key string) *string {
	switch key {
	case "name":
		return &c.Name
	case "first_name":
		return &c.FirstName
	case "last_name":
		return &c.LastName
	case "mobile":
		return &c.Mobile
	case "phone":
		return &c.Phone
	case "email":
		return &c.Email
	case "gender":
		return &c.Gender
	case "birthday":
		return &c.Birthday
	case "country":
		return &c.Country
	case "province":
		return &c.Province
	case "city":
		return &c.City
	case "district":
		return &c.District
	case "area_code":
		return &c.AreaCode
	case "address":
		return &c.Address
	case "remark":
		return &c.Remark
	case "level":
		return &c.Level
	case "nickname":
		return &c.Nickname
	case "wechat":
		return &c.Wechat
	case "whatsapp":
		return &c.WhatsApp
	case "viber":
		return &c.Viber
	case "messenger":
		return &c.Messenger
	case "instagram":
		return &c.Instagram
	case "zalo":
		return &c.Zalo
	case "line":
		return &c.Line
	case "time_zone":
		return &c.TimeZone
	case "agent":
		return &c.Agent
	case "invoice":
		return &c.Invoice
	}
	return nil
}

// SplitTags splits a tag list written as "a;b" (or "a,b"), trimming blanks.
func SplitTags(s string) []string {
	var tags []string
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == '；' || r == '，' }) {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	return tags
}

// ParseCustom reads custom attributes as a JSON object or as "k=v;k=v".
func ParseCustom(s string) (map[string]string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	m := map[string]string{}
	if strings.HasPrefix(s, "{") {
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			return nil, fmt.Errorf("custom: not a JSON object of strings: %v", err)
		}
		return m, nil
	}
	for _, pair := range strings.Split(s, ";") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		k, v, ok := strings.Cut(pair, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("custom: %q is not key=value", pair)
		}
		m[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return m, nil
}

// Mobile is a parsed mobile number.
type Mobile struct {
	CountryCode int    // 86 for mainland China
	National    string // national significant number, digits only
}

// Mainland reports whether the number is a mainland China number.
func (m Mobile) Mainland() bool { return m.CountryCode == 86 }

// E164 is "+<cc><national>".
func (m Mobile) E164() string { return "+" + strconv.Itoa(m.CountryCode) + m.National }

// Digits is the number as digits only: national for mainland, country code and
// national otherwise (the form NXLink's phone fields take).
func (m Mobile) Digits() string {
	if m.Mainland() {
		return m.National
	}
	return strconv.Itoa(m.CountryCode) + m.National
}

// mobileCache keeps ParseMobile cheap on every keystroke: a form re-validates the
// same value once per selected platform.
var mobileCache sync.Map

// mobileEntries bounds the cache: a form needs a handful of entries, while an
// import would otherwise keep one per row for the life of the process (and,
// through the key, the whole line it was cut from).
var mobileEntries atomic.Int64

const mobileCacheMax = 4096

type mobileParse struct {
	m  Mobile
	ok bool
}

// ParseMobile accepts 11 mainland digits ("13411111111") or an international
// number with its country code ("+8613411111111", "+852-12344567",
// "+852 1234 4567"). It checks the length is possible for the country, not that
// the number is allocated: platforms' own examples use unallocated numbers.
func ParseMobile(s string) (Mobile, bool) {
	if v, ok := mobileCache.Load(s); ok {
		p := v.(mobileParse)
		return p.m, p.ok
	}
	m, ok := parseMobile(s)
	if mobileEntries.Add(1) > mobileCacheMax {
		mobileCache.Clear()
		mobileEntries.Store(0)
	}
	mobileCache.Store(strings.Clone(s), mobileParse{m, ok})
	return m, ok
}

func parseMobile(s string) (Mobile, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Mobile{}, false
	}
	if IsDigits(s) && len(s) == 11 && s[0] == '1' {
		return Mobile{CountryCode: 86, National: s}, true
	}
	// Without a region to assume, only a number written with "+" names its
	// country (libphonenumber refuses "0086…" without one, too).
	if !strings.HasPrefix(s, "+") {
		return Mobile{}, false
	}
	for _, r := range s[1:] {
		if !(r >= '0' && r <= '9') && r != '-' && r != ' ' && r != '(' && r != ')' {
			return Mobile{}, false
		}
	}
	m, ok := parseInternational(s)
	if !ok {
		return Mobile{}, false
	}
	if m.Mainland() && (len(m.National) != 11 || m.National[0] != '1') {
		return Mobile{}, false
	}
	return m, true
}

// IsDigits reports whether s is non-empty and only ASCII digits.
func IsDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
