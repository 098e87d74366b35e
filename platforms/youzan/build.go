package youzan

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/custdesk/custdesk/platforms"
)

// memberCreate is the MemberCreateExtension body. Field order is the seed page's,
// so the bytes read like its example.
type memberCreate struct {
	RootKdtID         int64          `json:"rootKdtId,omitempty"`
	AppID             string         `json:"appId"`
	ExtendMap         struct{}       `json:"extendMap"` // required by the page; always {}
	OutStoreID        string         `json:"outStoreId,omitempty"`
	Name              string         `json:"name,omitempty"`
	Gender            string         `json:"gender,omitempty"`
	Mobile            string         `json:"mobile,omitempty"`
	Nickname          string         `json:"nickname,omitempty"`
	Birthday          string         `json:"birthday,omitempty"`
	Address           *address       `json:"address,omitempty"`
	Weixin            *weixin        `json:"weixin,omitempty"`
	CustomerAttrInfos []customerAttr `json:"customerAttrInfos,omitempty"`
	FreeLevel         *level         `json:"freeLevel,omitempty"`
}

type address struct {
	ProvinceName  string `json:"provinceName,omitempty"`
	CityName      string `json:"cityName,omitempty"`
	CountyName    string `json:"countyName,omitempty"`
	AreaCode      string `json:"areaCode,omitempty"`
	AddressDetail string `json:"addressDetail,omitempty"`
}

type weixin struct {
	Account string `json:"account"`
}

type customerAttr struct {
	Name     string `json:"name"`
	Value    string `json:"value"`
	DataType int    `json:"dataType"` // 0: text, the only kind the model holds
}

type level struct {
	YzLevelAlias string `json:"yzLevelAlias"`
}

// Build returns the request for a one-customer submission without sending it.
// It does not re-run Validate: callers validate first, and a field the page
// requires (mobile) is simply left out when empty so the far side's verdict is
// seen. It refuses only values it cannot express in Youzan's wire format.
func (c *Client) Build(sub platforms.Submission) (*http.Request, platforms.Trace, error) {
	trace := platforms.Trace{Method: http.MethodPost, URL: c.traceURL, Headers: maps.Clone(c.traceHeaders),
		Redactions: slices.Clone(c.traceMasks)}
	if n := len(sub.Customers); n != 1 {
		return nil, trace, fmt.Errorf("youzan creates one member per request; this submission holds %d customers", n)
	}
	m, err := c.member(sub.Customers[0])
	if err != nil {
		return nil, trace, err
	}
	body, err := encode(m)
	if err != nil {
		return nil, trace, err
	}
	req, err := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, trace, fmt.Errorf("youzan: building the request: %v", err)
	}
	// The names are canonical already (New made them so), and each has one
	// value: the values share one array.
	values := make([]string, 0, len(c.headers)+1)
	set := func(k, v string) {
		values = append(values, v)
		req.Header[k] = values[len(values)-1 : len(values) : len(values)]
	}
	set("Content-Type", "application/json")
	for _, h := range c.headers {
		set(h.name, h.value)
	}
	// No secret travels in the body: the configured header values are the only
	// secrets, and they are masked in Headers.
	trace.Body = body
	return req, trace, nil
}

// traceHeaders are the request's headers as a trace shows them, and where
// their values are masked: the same for every request, so New makes them.
func traceHeaders(headers []header) (map[string]string, []platforms.Redaction) {
	hs := make(map[string]string, len(headers)+1)
	hs["Content-Type"] = "application/json"
	var masks []platforms.Redaction
	for _, h := range headers {
		shown, at := maskHeaderValue(h.value)
		hs[h.name] = shown
		masks = append(masks, platforms.Redaction{Part: platforms.PartHeader(h.name), Offset: at, Var: HeaderEnv(h.name)})
	}
	return hs, masks
}

// HeaderEnv is the variable a copied request uses for a configured header's
// value: CUSTDESK_YOUZAN_TOKEN for Authorization (after its scheme),
// CUSTDESK_YOUZAN_X_API_KEY for X-Api-Key.
func HeaderEnv(name string) string {
	if strings.EqualFold(name, "Authorization") {
		return "CUSTDESK_YOUZAN_TOKEN"
	}
	b := []byte(strings.ToUpper(name))
	for i, c := range b {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			b[i] = '_'
		}
	}
	return "CUSTDESK_YOUZAN_" + string(b)
}

// maskHeaderValue hides a configured header's value but keeps an authorisation
// scheme ("Bearer ******"): which scheme was sent is what one debugs a 401
// with. at is where the mask starts.
func maskHeaderValue(v string) (shown string, at int) {
	scheme, rest, ok := strings.Cut(strings.TrimSpace(v), " ")
	if ok && strings.TrimSpace(rest) != "" && isSchemeWord(scheme) {
		return scheme + " " + platforms.MaskString, len(scheme) + 1
	}
	return platforms.MaskString, 0
}

func isSchemeWord(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
			return false
		}
	}
	return true
}

func (c *Client) member(cu platforms.Customer) (memberCreate, error) {
	m := memberCreate{
		RootKdtID:  c.rootKdtID,
		AppID:      c.appID,
		OutStoreID: c.outStoreID,
		Name:       cu.Name,
		Nickname:   cu.Nickname,
		Birthday:   cu.Birthday,
	}
	if cu.Mobile != "" {
		mobile, ok := FormatMobile(cu.Mobile)
		if !ok {
			return m, fmt.Errorf("mobile %q cannot be written in Youzan's format (11 mainland digits or +<country code>-<number>)", cu.Mobile)
		}
		m.Mobile = mobile
	}
	gender, ok := genderCode(cu.Gender)
	if !ok {
		return m, fmt.Errorf("gender %q has no Youzan value (male, female or unknown)", cu.Gender)
	}
	m.Gender = gender
	if a := (address{cu.Province, cu.City, cu.District, cu.AreaCode, cu.Address}); a != (address{}) {
		m.Address = &a
	}
	if cu.Wechat != "" {
		m.Weixin = &weixin{Account: cu.Wechat}
	}
	if cu.Level != "" {
		m.FreeLevel = &level{YzLevelAlias: c.mapping.Level(cu.Level)}
	}
	if custom := c.mapping.MapFields(cu.Custom); len(custom) > 0 {
		keys := make([]string, 0, len(custom))
		for k := range custom {
			keys = append(keys, k)
		}
		sort.Strings(keys) // map order is random; the bytes sent must not be
		m.CustomerAttrInfos = make([]customerAttr, len(keys))
		for i, k := range keys {
			m.CustomerAttrInfos[i] = customerAttr{Name: k, Value: custom[k]}
		}
	}
	return m, nil
}

// encode writes m as compact JSON without HTML escaping, so Chinese text and
// "&" in an address read as typed in traces.
func encode(m memberCreate) ([]byte, error) {
	b, err := platforms.MarshalJSON(m)
	if err != nil {
		return nil, fmt.Errorf("youzan: encoding the body: %v", err)
	}
	return b, nil
}

// FormatMobile writes a mobile number as Youzan wants it: 11 digits for the
// mainland, "+<country code>-<national number>" elsewhere (+852-12344567).
func FormatMobile(s string) (string, bool) {
	m, ok := platforms.ParseMobile(s)
	if !ok {
		return "", false
	}
	if m.Mainland() {
		return m.National, true
	}
	return "+" + strconv.Itoa(m.CountryCode) + "-" + m.National, true
}

// genderCode maps the model's gender to Youzan's "0" unknown, "1" male,
// "2" female; empty stays empty so the field is omitted.
func genderCode(g string) (string, bool) {
	switch g {
	case "":
		return "", true
	case platforms.GenderMale:
		return "1", true
	case platforms.GenderFemale:
		return "2", true
	case platforms.GenderUnknown:
		return "0", true
	}
	return "", false
}
