package ui

import "github.com/custdesk/custdesk/platforms"

type fieldKind int

const (
	kindText fieldKind = iota
	kindChoice
	kindTags
	kindPlatform
)

// fieldSpec places one customer field in the form.
type fieldSpec struct {
	key     string
	group   string
	kind    fieldKind
	choices []string // for kindChoice: the values Customer.Set accepts
}

// formLayout is the form's order, which is also its tab order. Mobile sits
// with the name because it is the customer's key on every platform (ALSC's
// outer_id, NXLink's merge key), so a POS entry is name, tab, mobile, ctrl+s.
var formLayout = []fieldSpec{
	{key: "name", group: "identity"},
	{key: "mobile", group: "identity"},
	{key: "gender", group: "identity", kind: kindChoice, choices: []string{"", platforms.GenderMale, platforms.GenderFemale, platforms.GenderUnknown}},
	{key: "birthday", group: "identity"},
	{key: "first_name", group: "identity"},
	{key: "last_name", group: "identity"},

	{key: "phone", group: "contact"},
	{key: "email", group: "contact"},

	{key: "country", group: "address"},
	{key: "province", group: "address"},
	{key: "city", group: "address"},
	{key: "district", group: "address"},
	{key: "area_code", group: "address"},
	{key: "address", group: "address"},

	{key: "member", group: "membership", kind: kindChoice, choices: []string{"true", "false"}},
	{key: "level", group: "membership"},
	{key: "tags", group: "membership", kind: kindTags},

	{key: "nickname", group: "social"},
	{key: "wechat", group: "social"},
	{key: "whatsapp", group: "social"},
	{key: "viber", group: "social"},
	{key: "messenger", group: "social"},
	{key: "instagram", group: "social"},
	{key: "zalo", group: "social"},
	{key: "line", group: "social"},

	{key: "remark", group: "other"},
	{key: "invoice", group: "other"},
	{key: "time_zone", group: "other"},
	{key: "agent", group: "other"},
	{key: "custom", group: "other"},
}
