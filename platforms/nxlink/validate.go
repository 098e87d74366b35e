package nxlink

import (
	"strconv"
	"strings"

	"github.com/custdesk/custdesk/platforms"
)

// Length limits from the API page, in characters.
const (
	maxFullName = 255
	maxNamePart = 128
	maxPhone    = 30 // sms_phone, whats_app_phone, viber_phone
	maxSocialID = 32 // messenger, instagram, zalo
	maxLine     = 50
	maxCountry  = 50
	maxEmail    = 50
	maxAddress  = 100
	maxRemark   = 2000
	maxSeatUser = 128
	minWeight   = 1
	maxWeight   = 5
)

// Validate checks c against the API page's rules for the fields the customer
// model maps to NXLink. It runs on every keystroke: a passing customer costs a
// few microseconds and allocates only inside net/mail when an e-mail is given.
func (c *Client) Validate(cu platforms.Customer) []platforms.FieldError {
	return validate(cu, c.mapping)
}

// Validate is Client.Validate without a level or custom-field mapping.
func Validate(cu platforms.Customer) []platforms.FieldError {
	return validate(cu, platforms.Mapping{})
}

func validate(cu platforms.Customer, m platforms.Mapping) []platforms.FieldError {
	r := platforms.Rules{Platform: Name, Title: Title}

	if r.Required("name", strings.TrimSpace(cu.Name)) {
		r.MaxLen("name", cu.Name, maxFullName)
	}
	r.MaxLen("first_name", cu.FirstName, maxNamePart)
	r.MaxLen("last_name", cu.LastName, maxNamePart)

	// sms_phone is the mobile as digits. A number ParseMobile accepts has at most
	// 15 digits (E.164), so the page's 30-character limit cannot be reached.
	r.Mobile("mobile", cu.Mobile)
	phone(&r, "whatsapp", cu.WhatsApp, maxPhone)
	phone(&r, "viber", cu.Viber, maxPhone)
	phone(&r, "messenger", cu.Messenger, maxSocialID)
	phone(&r, "instagram", cu.Instagram, maxSocialID)
	phone(&r, "zalo", cu.Zalo, maxSocialID)
	r.MaxLen("line", cu.Line, maxLine)
	r.MaxLen("country", cu.Country, maxCountry)
	if r.MaxLen("email", cu.Email, maxEmail) {
		r.Email("email", cu.Email)
	}
	// The limit is on what is sent: the region folded in with the street.
	r.MaxLen("address", Address(cu), maxAddress)
	r.Date("birthday", cu.Birthday)
	r.MaxLen("remark", cu.Remark, maxRemark)
	r.MaxLen("agent", cu.Agent, maxSeatUser)
	r.Gender("gender", cu.Gender)

	if lv := m.Level(cu.Level); lv != "" {
		if n, err := strconv.Atoi(lv); err != nil {
			weightFail(&r, platforms.RuleFormat, m)
		} else if n < minWeight || n > maxWeight {
			weightFail(&r, platforms.RuleRange, m)
		}
	}
	m.CheckFields(&r, cu)
	for _, t := range cu.Tags {
		// tagStr is comma-joined: a comma inside a tag would split it in two.
		if strings.IndexByte(t, ',') >= 0 {
			r.Fail("tags", platforms.RuleFormat, "标签不能包含逗号", "a tag must not contain a comma")
			break
		}
	}

	if blank(cu.Mobile) && blank(cu.WhatsApp) && blank(cu.Email) && blank(cu.Viber) &&
		blank(cu.Messenger) && blank(cu.Instagram) && blank(cu.Line) && blank(cu.Zalo) {
		r.Fail("mobile", platforms.RuleContact,
			"手机、WhatsApp、邮箱、Viber、Messenger、Instagram、Line、Zalo 至少填一项",
			"give at least one contact: mobile, WhatsApp, email, Viber, Messenger, Instagram, Line or Zalo")
	}
	return r.Errs
}

// weightFail reports a level that is no weight, naming the mapped levels.
func weightFail(r *platforms.Rules, rule string, m platforms.Mapping) {
	zh, en := "等级应为 1 到 5 的整数", "level must be a whole number from 1 to 5"
	if names := m.LevelNames(); names != "" {
		zh, en = zh+"，或 "+names+" 之一", en+", or one of "+names
	}
	r.Fail("level", rule, zh, en)
}

// phone applies the page's rule for phone-like fields: digits only, bounded.
func phone(r *platforms.Rules, field, value string, max int) {
	if r.Digits(field, value) {
		r.MaxLen(field, value, max)
	}
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
