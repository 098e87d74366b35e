package sandbox

import "time"

// Protocol facts the simulators check, restated from the platforms'
// documents rather than taken from the client packages: the sandbox stands in
// for the platform, so a client that got one of these wrong must be refused
// by it. No platform package imports another.

// TOP (ALSC).
const (
	topMethod        = "alibaba.alsc.crm.customer.create"
	topBusinessParam = "param_customer_create_open_req"
	topVersion       = "2.0"
	topTimeLayout    = "2006-01-02 15:04:05"
	topDefaultSign   = "md5" // TOP's default when sign_method is left out
	topOuterMobile   = "mobile"
	topResponseKey   = "alibaba_alsc_crm_customer_create_response"
	topErrorKey      = "error_response"
)

// topZone is where TOP reads its text timestamps, whatever the caller's zone.
var topZone = time.FixedZone("GMT+8", 8*60*60)

// topCustomer is the API page's CustomerCreateOpenReq with its documented
// types: decoding into it refuses a field of the wrong type.
type topCustomer struct {
	Address      string   `json:"address"`
	Birthday     string   `json:"birthday"`
	BrandID      string   `json:"brand_id"`
	Channel      string   `json:"channel"`
	CustomerType int      `json:"customer_type"`
	Email        string   `json:"email"`
	Gender       string   `json:"gender"`
	Invoice      string   `json:"invoice"`
	LevelID      string   `json:"level_id"`
	Mobile       string   `json:"mobile"`
	Name         string   `json:"name"`
	OperatorID   string   `json:"operator_id"`
	OuterID      string   `json:"outer_id"`
	OuterType    string   `json:"outer_type"`
	Phone        string   `json:"phone"`
	Remark       string   `json:"remark"`
	RequestID    string   `json:"request_id"`
	ShopID       string   `json:"shop_id"`
	TagIDList    []string `json:"tag_id_list"`
	OutBrandID   string   `json:"out_brand_id"`
	OutShopID    string   `json:"out_shop_id"`
}

// NXLink.
const (
	nxHeaderAccessKey = "accessKey"
	nxHeaderTS        = "ts"
	nxHeaderBizType   = "bizType"
	nxHeaderAction    = "action"
	nxHeaderSign      = "sign"
	nxHeaderAlgorithm = "algorithm" // sha256 when present; not itself signed
	nxBizType         = "2"
	nxAction          = "mt"
)

// nxSignedHeaders go into the signed string.
var nxSignedHeaders = [...]string{nxHeaderAccessKey, nxHeaderAction, nxHeaderBizType, nxHeaderTS}

// nxCustomer is one customer of batch_create with the page's types, decoded
// on its own so that one badly typed item fails alone, as items do on the real
// API. A merge (type 1) overlays only what was given because the empty fields
// are omitted when it is encoded; full_name, the one field always encoded, is
// required before a customer is stored.
type nxCustomer struct {
	FullName       string `json:"full_name"`
	FirstName      string `json:"first_name,omitempty"`
	LastName       string `json:"last_name,omitempty"`
	SMSPhone       string `json:"sms_phone,omitempty"`
	WhatsAppPhone  string `json:"whats_app_phone,omitempty"`
	ViberPhone     string `json:"viber_phone,omitempty"`
	Messenger      string `json:"messenger,omitempty"`
	Instagram      string `json:"instagram,omitempty"`
	Zalo           string `json:"zalo,omitempty"`
	Line           string `json:"line,omitempty"`
	Country        string `json:"country,omitempty"`
	Email          string `json:"email,omitempty"`
	Address        string `json:"address,omitempty"`
	Birthday       string `json:"birthday,omitempty"`
	TagStr         string `json:"tagStr,omitempty"`
	Remark         string `json:"remark,omitempty"`
	TimeZone       string `json:"time_zone,omitempty"`
	Gender         *int   `json:"gender,omitempty"`
	CustomizeField string `json:"customize_field,omitempty"`
	BelongSeatUser string `json:"belong_seat_user,omitempty"`
	Weight         *int   `json:"weight,omitempty"`
}
