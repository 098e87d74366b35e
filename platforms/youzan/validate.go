package youzan

import (
	"strings"

	"github.com/custdesk/custdesk/platforms"
)

// Validate checks a customer against MemberCreateExtension's rules for the fields
// the model maps to Youzan. Config-side requirements (appId, extendMap) are New's
// and Build's business, not the form's.
func (c *Client) Validate(cu platforms.Customer) []platforms.FieldError {
	r := rules(cu)
	c.mapping.CheckFields(&r, cu)
	return r.Errs
}

// Validate is (*Client).Validate without a custom-field mapping, so forms may
// call it before any client exists.
func Validate(cu platforms.Customer) []platforms.FieldError { return rules(cu).Errs }

func rules(cu platforms.Customer) platforms.Rules {
	r := platforms.Rules{Platform: Name, Title: Title, TitleZH: TitleZH}
	// mobile is the page's only required customer field, in its own format:
	// 11 mainland digits, otherwise +<country code>-<number>.
	if r.Required("mobile", cu.Mobile) {
		r.Mobile("mobile", cu.Mobile)
	}
	r.Gender("gender", cu.Gender)
	r.Date("birthday", cu.Birthday)
	// address.areaCode is the page's 统一地区码, the division code.
	r.AreaCode("area_code", cu.AreaCode)
	// freeLevel is sent only when level is given, and then its yzLevelAlias is
	// required: a blank alias would be sent as present but empty.
	if cu.Level != "" && strings.TrimSpace(cu.Level) == "" {
		r.Fail("level", platforms.RuleRequired, "会员等级别名不能为空白", "level alias must not be blank")
	}
	// Each custom attribute becomes a customerAttrInfos item named by its key.
	for k := range cu.Custom {
		if strings.TrimSpace(k) == "" {
			r.Fail("custom", platforms.RuleRequired, "自定义资料项名称不能为空", "custom attribute names must not be empty")
			break
		}
	}
	return r
}
