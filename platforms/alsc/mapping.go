package alsc

import (
	"strings"

	"github.com/custdesk/custdesk/platforms"
)

// CustomerCreateOpenReq is the business object of alibaba.alsc.crm.customer.create,
// sent as one JSON string in param_customer_create_open_req. Field order follows
// the API page; optional fields are left out when empty so the signed string
// carries only what the customer has.
type CustomerCreateOpenReq struct {
	Address      string   `json:"address,omitempty"`
	Birthday     string   `json:"birthday,omitempty"` // "2010-01-01 00:00:00"
	BrandID      string   `json:"brand_id,omitempty"`
	Channel      string   `json:"channel"`
	CustomerType int      `json:"customer_type"` // 1 member, 0 customer: always sent
	Email        string   `json:"email,omitempty"`
	Gender       string   `json:"gender,omitempty"` // "1" male, "0" female
	Invoice      string   `json:"invoice,omitempty"`
	LevelID      string   `json:"level_id,omitempty"`
	Mobile       string   `json:"mobile,omitempty"`
	Name         string   `json:"name,omitempty"`
	OperatorID   string   `json:"operator_id,omitempty"`
	OuterID      string   `json:"outer_id,omitempty"`
	OuterType    string   `json:"outer_type"`
	Phone        string   `json:"phone,omitempty"`
	Remark       string   `json:"remark,omitempty"`
	RequestID    string   `json:"request_id"`
	ShopID       string   `json:"shop_id,omitempty"`
	TagIDList    []string `json:"tag_id_list,omitempty"`
	OutBrandID   string   `json:"out_brand_id,omitempty"`
	OutShopID    string   `json:"out_shop_id,omitempty"`
}

// BirthdaySuffix turns the model's YYYY-MM-DD into the Date form the page shows.
const BirthdaySuffix = " 00:00:00"

// Request maps one customer to the wire object, with the configured constants
// and the submission's request ID. It does not validate: Validate does, and the
// sandbox must be able to see what an unvalidated customer would send.
func (c *Client) Request(requestID string, cu platforms.Customer) CustomerCreateOpenReq {
	req := CustomerCreateOpenReq{
		Address:    FoldAddress(cu),
		BrandID:    c.cfg.BrandID,
		Channel:    c.cfg.Channel,
		Email:      strings.TrimSpace(cu.Email),
		Gender:     wireGender(cu.Gender),
		Invoice:    strings.TrimSpace(cu.Invoice),
		LevelID:    platforms.Mapping{Levels: c.cfg.Levels}.Level(cu.Level),
		Mobile:     WireMobile(cu.Mobile),
		Name:       strings.TrimSpace(cu.Name),
		OperatorID: c.cfg.OperatorID,
		OuterType:  c.cfg.OuterType,
		Phone:      strings.TrimSpace(cu.Phone),
		Remark:     strings.TrimSpace(cu.Remark),
		RequestID:  requestID,
		ShopID:     c.cfg.ShopID,
		OutBrandID: c.cfg.OutBrandID,
		OutShopID:  c.cfg.OutShopID,
	}
	if cu.IsMember() {
		req.CustomerType = 1
	}
	if b := strings.TrimSpace(cu.Birthday); b != "" {
		req.Birthday = b + BirthdaySuffix
	}
	if c.cfg.OuterType == OuterTypeMobile {
		req.OuterID = req.Mobile
	}
	for _, t := range cu.Tags {
		if t = strings.TrimSpace(t); t != "" {
			req.TagIDList = append(req.TagIDList, t)
		}
	}
	return req
}

func wireGender(g string) string {
	switch g {
	case platforms.GenderMale:
		return "1"
	case platforms.GenderFemale:
		return "0"
	}
	return "" // unknown and empty are left out: the API has no value for them
}

// WireMobile is the mobile as ALSC receives it: 11 digits for mainland numbers,
// E.164 ("+85212344567") for others. A value that does not parse is sent as
// typed (trimmed), so the platform's own refusal is what the user sees when
// validation was bypassed.
func WireMobile(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	m, ok := platforms.ParseMobile(s)
	if !ok {
		return s
	}
	if m.Mainland() {
		return m.National
	}
	return m.E164()
}

// FoldAddress folds the structured address into ALSC's single address string:
//
//	[country ]province city district[ street][ (area_code)]
//
// The country is left out when it is China (ALSC is a mainland platform).
// Region parts are joined with no separator between Chinese text, as Chinese
// addresses are written ("浙江省杭州市西湖区"), and with a space otherwise
// ("Kowloon Hong Kong"). The street follows after a space; when the street
// already starts with the region (staff typed the full address there), the
// region is not repeated. The area code, when given, ends the string in
// parentheses so it stays recognisable:
//
//	浙江省杭州市西湖区 文三路 100 号 (330106)
func FoldAddress(c platforms.Customer) string {
	out := platforms.FoldAddress([]string{countryPart(c.Country), c.Province, c.City, c.District}, c.Address)
	if code := strings.TrimSpace(c.AreaCode); code != "" {
		if out == "" {
			out = "(" + code + ")"
		} else {
			out += " (" + code + ")"
		}
	}
	return out
}

func countryPart(country string) string {
	switch strings.ToLower(strings.TrimSpace(country)) {
	case "", "中国", "中国大陆", "中华人民共和国", "china", "cn", "chn", "prc":
		return ""
	}
	return country
}
