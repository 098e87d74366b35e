package alsc

import "github.com/custdesk/custdesk/platforms"

// Validate applies the API page's rules to the fields ALSC receives. The page
// gives no lengths, so none are enforced here; what it does fix is checked:
// outer_id is required (it is the mobile, as outer_type is "mobile"), and the
// typed fields must be of their type (mobile, landline, email, Date
// birthday, gender enumeration). A customer that passes allocates nothing beyond the cached
// mobile parse, so forms can call this on every keystroke.
func (c *Client) Validate(cu platforms.Customer) []platforms.FieldError {
	r := platforms.Rules{Platform: Name, Title: Title, TitleZH: TitleZH}
	if cu.Mobile == "" {
		if c.cfg.OuterType == OuterTypeMobile {
			r.Fail("mobile", platforms.RuleRequired,
				"必填：外部ID类型为 mobile，手机号即 outer_id",
				"required: outer_type is mobile, so the mobile is the outer_id")
		}
	} else {
		r.Mobile("mobile", cu.Mobile)
	}
	r.Landline("phone", cu.Phone)
	r.Email("email", cu.Email)
	r.Date("birthday", cu.Birthday)
	r.Gender("gender", cu.Gender)
	return r.Errs
}
