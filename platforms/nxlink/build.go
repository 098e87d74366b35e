package nxlink

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/custdesk/custdesk/platforms"
)

// Body is the batch_create request body.
type Body struct {
	Type     int   `json:"type"`
	TenantID int64 `json:"tenant_id"`
	// AppKey is omitted only when empty, which New never allows; the page's own
	// example body has none.
	AppKey        string         `json:"app_key,omitempty"`
	StrictBinding bool           `json:"strict_binding"`
	Customers     []WireCustomer `json:"customers"`
}

// WireCustomer is one entry of Body.Customers, fields in the page's order.
type WireCustomer struct {
	// FullName has no omitempty: it is required, and an empty one must reach
	// the platform as such rather than vanish.
	FullName      string `json:"full_name"`
	FirstName     string `json:"first_name,omitempty"`
	LastName      string `json:"last_name,omitempty"`
	SMSPhone      string `json:"sms_phone,omitempty"`
	WhatsAppPhone string `json:"whats_app_phone,omitempty"`
	ViberPhone    string `json:"viber_phone,omitempty"`
	Messenger     string `json:"messenger,omitempty"`
	Instagram     string `json:"instagram,omitempty"`
	Zalo          string `json:"zalo,omitempty"`
	Line          string `json:"line,omitempty"`
	Country       string `json:"country,omitempty"`
	Email         string `json:"email,omitempty"`
	Address       string `json:"address,omitempty"`
	Birthday      string `json:"birthday,omitempty"`
	TagStr        string `json:"tagStr,omitempty"`
	Remark        string `json:"remark,omitempty"`
	TimeZone      string `json:"time_zone,omitempty"`
	// Gender is 1 male, 0 female; nil (omitted) when unknown.
	Gender         *int   `json:"gender,omitempty"`
	CustomizeField string `json:"customize_field,omitempty"`
	BelongSeatUser string `json:"belong_seat_user,omitempty"`
	// Weight is the customer level, 1..5; nil when not given.
	Weight *int `json:"weight,omitempty"`
}

// Wire maps one customer to the API's shape. It fails only for values the
// wire types cannot carry (a mobile that is not a number, a level that is not
// an integer, an unknown gender); range and length rules are Validate's and the
// platform's business, so such a customer is still sent and refused by NXLink.
//
// Wire maps level and custom fields unchanged; a client maps them through its
// configured Levels and CustomFields first.
func Wire(c platforms.Customer) (WireCustomer, error) { return wire(c, platforms.Mapping{}) }

func wire(c platforms.Customer, m platforms.Mapping) (WireCustomer, error) {
	w := WireCustomer{
		FullName:       strings.TrimSpace(c.Name),
		FirstName:      c.FirstName,
		LastName:       c.LastName,
		WhatsAppPhone:  c.WhatsApp,
		ViberPhone:     c.Viber,
		Messenger:      c.Messenger,
		Instagram:      c.Instagram,
		Zalo:           c.Zalo,
		Line:           c.Line,
		Country:        c.Country,
		Email:          c.Email,
		Address:        Address(c),
		Birthday:       c.Birthday,
		TagStr:         joinTags(c.Tags),
		Remark:         c.Remark,
		TimeZone:       c.TimeZone,
		BelongSeatUser: c.Agent,
	}
	if c.Mobile != "" {
		m, ok := platforms.ParseMobile(c.Mobile)
		if !ok {
			return w, fmt.Errorf("mobile %q is not a phone number", c.Mobile)
		}
		w.SMSPhone = m.Digits()
	}
	switch c.Gender {
	case platforms.GenderMale:
		w.Gender = intPtr(1)
	case platforms.GenderFemale:
		w.Gender = intPtr(0)
	case "", platforms.GenderUnknown:
	default:
		return w, fmt.Errorf("gender %q is not male, female or unknown", c.Gender)
	}
	if lv := m.Level(c.Level); lv != "" {
		n, err := strconv.Atoi(lv)
		if err != nil {
			return w, fmt.Errorf("level %q is not an integer (NXLink weight is 1..5)", c.Level)
		}
		w.Weight = intPtr(n)
	}
	if len(c.Custom) > 0 {
		s, err := marshal(m.MapFields(c.Custom))
		if err != nil {
			return w, fmt.Errorf("custom: %v", err)
		}
		w.CustomizeField = string(s)
	}
	return w, nil
}

// Address is the customer's address as NXLink's single address field takes
// it: province, city, district and street together, as NXLink's own examples
// write it ("贵州省威海市东坡区"). The street alone would lose the region, which
// NXLink has no other field for.
func Address(c platforms.Customer) string {
	return platforms.FoldAddress([]string{c.Province, c.City, c.District}, c.Address)
}

func intPtr(n int) *int { return &n }

// joinTags makes tagStr; blanks are dropped since ",," would name an empty tag.
func joinTags(tags []string) string {
	var b strings.Builder
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(t)
	}
	return b.String()
}

// marshal is json.Marshal without HTML escaping ("<" stays "<", as people typed
// it) and without the encoder's trailing newline. Map keys come out sorted,
// which keeps customize_field and therefore the signature deterministic.
func marshal(v any) ([]byte, error) { return platforms.MarshalJSON(v) }

// Body returns the request body for customers under the client's config.
func (c *Client) Body(customers []platforms.Customer) (Body, error) {
	if len(customers) == 0 {
		return Body{}, fmt.Errorf("no customers to send (NXLink takes 1 to %d per request)", MaxCustomers)
	}
	if len(customers) > MaxCustomers {
		return Body{}, fmt.Errorf("%d customers in one request: NXLink takes at most %d", len(customers), MaxCustomers)
	}
	b := Body{Type: c.cfg.Type, TenantID: c.cfg.TenantID, AppKey: c.cfg.AppKey, StrictBinding: c.cfg.StrictBinding,
		Customers: make([]WireCustomer, len(customers))}
	for i, cu := range customers {
		w, err := wire(cu, c.mapping)
		if err != nil {
			if len(customers) == 1 {
				return Body{}, err
			}
			return Body{}, fmt.Errorf("customer %d: %w", i, err)
		}
		b.Customers[i] = w
	}
	return b, nil
}

// Build returns the signed request for sub. The trace holds exactly what is sent;
// only the secret, which travels nowhere but inside the digest, is masked at
// the end of the signed string, and a password in the base URL in the URL.
func (c *Client) Build(sub platforms.Submission) (*http.Request, platforms.Trace, error) {
	trace := platforms.Trace{Method: http.MethodPost, URL: c.traceURL, Redactions: slices.Clone(c.urlMasks)}
	body, err := c.Body(sub.Customers)
	if err != nil {
		return nil, trace, err
	}
	raw, err := marshal(body)
	if err != nil {
		return nil, trace, err
	}
	// In the order of SignedHeaders, which is the order Sign sorts them to.
	signedHeaders := []header{{HeaderAccessKey, c.cfg.AccessKey}, {HeaderAction, Action}, {HeaderBizType, BizType},
		{HeaderTS, strconv.FormatInt(sub.Now().UnixMilli(), 10)}}
	sign, signed := signPairs(signedHeaders, raw, c.cfg.AccessSecret, c.cfg.SignAlgorithm)

	req, err := http.NewRequest(http.MethodPost, c.endpoint, bytes.NewReader(raw))
	if err != nil {
		return nil, trace, err
	}
	trace.Headers = make(map[string]string, len(signedHeaders)+3)
	// One backing array for the values: a header has exactly one.
	values := make([]string, 0, len(signedHeaders)+3)
	set := func(k, v string) {
		// Assigned directly, not via Header.Set, to keep the page's spelling
		// ("accessKey", not "Accesskey") on the wire.
		values = append(values, v)
		req.Header[k] = values[len(values)-1 : len(values) : len(values)]
		trace.Headers[k] = v
	}
	set("Content-Type", "application/json")
	for _, h := range signedHeaders {
		set(h.name, h.value)
	}
	if c.cfg.SignAlgorithm == AlgorithmSHA256 {
		set(HeaderAlgorithm, AlgorithmSHA256)
	}
	set(HeaderSign, sign)
	trace.Body = raw
	trace.Signed = signed
	trace.Redactions = append(trace.Redactions, signedRedactions(signed, c.cfg.AccessSecret)...)
	return req, trace, nil
}
