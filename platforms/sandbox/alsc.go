package sandbox

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/json"
	"encoding/xml"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// TOP gateway and service codes the ALSC simulator answers with: the
// gateway error codes TOP documents.
const (
	alscCodeAppLimited     = 7
	alscCodeRemoteError    = 15
	alscCodeMissingMethod  = 21
	alscCodeInvalidMethod  = 22
	alscCodeInvalidFormat  = 23
	alscCodeMissingSign    = 24
	alscCodeInvalidSign    = 25
	alscCodeMissingAppKey  = 28
	alscCodeInvalidAppKey  = 29
	alscCodeMissingTime    = 30
	alscCodeInvalidTime    = 31
	alscCodeMissingVersion = 32
	alscCodeInvalidVersion = 33
	alscCodeUnsupportedVer = 34
	alscCodeMissingArgs    = 40
	alscCodeInvalidArgs    = 41
	alscCodeBusiness       = 50
)

var alscMsgs = map[int]string{
	alscCodeAppLimited:     "App Call Limited",
	alscCodeRemoteError:    "Remote service error",
	alscCodeMissingMethod:  "Missing Method",
	alscCodeInvalidMethod:  "Invalid Method",
	alscCodeInvalidFormat:  "Invalid Format",
	alscCodeMissingSign:    "Missing Signature",
	alscCodeInvalidSign:    "Invalid signature",
	alscCodeMissingAppKey:  "Missing App Key",
	alscCodeInvalidAppKey:  "Invalid app Key",
	alscCodeMissingTime:    "Missing Timestamp",
	alscCodeInvalidTime:    "Invalid Timestamp",
	alscCodeMissingVersion: "Missing Version",
	alscCodeInvalidVersion: "Invalid Version",
	alscCodeUnsupportedVer: "Unsupported Version",
	alscCodeMissingArgs:    "Missing required arguments",
	alscCodeInvalidArgs:    "Invalid Arguments",
	alscCodeBusiness:       "Remote service error",
}

// Sub-codes of business errors, as on the API page's own error example.
const (
	alscSubMissing = "isv.missing-parameter"
	alscSubInvalid = "isv.invalid-parameter"
)

// alscTimeWindow is how far TOP lets a timestamp stray from its clock.
const alscTimeWindow = 10 * time.Minute

func init() {
	// TOP takes GET as well as POST on /router/rest: system and business
	// parameters alike may travel in the query string.
	register("ALSC", PathALSC, func(s *Server) simulator { return &alscSim{s: s, created: map[alscKey]alscCreated{}} },
		http.MethodPost, http.MethodGet)
}

// alscSim plays the TOP gateway in front of alibaba.alsc.crm.customer.create.
type alscSim struct {
	s *Server
	// mu guards created and makes check-create-remember one step, so two
	// concurrent sends of one request_id create one customer.
	mu sync.Mutex
	// created remembers each created customer by app key and request_id, so
	// that a replay gets the first answer back byte for byte. It keeps what
	// the answer was made of rather than its bytes (about 32 bytes a customer
	// instead of some 350): the in-process sandbox lives as long as an import,
	// and its memory must not grow with the file. Refusals are not kept: they
	// created nothing, so a corrected retry is judged afresh.
	created map[alscKey]alscCreated
}

// alscKey is a digest of app key and request_id: a fixed 16 bytes however long
// the request_id. Two different requests would share one only by a collision
// of truncated SHA-256, about n²/2¹²⁹ for n customers (some 10⁻²⁷ for a
// million), so it stands in for the pair.
type alscKey [16]byte

func alscKeyOf(appKey, requestID string) alscKey {
	h := sha256.New()
	h.Write([]byte(appKey))
	// app_key has passed checkGateway, so it is the configured key and the
	// pair cannot be read two ways even if request_id holds a NUL.
	h.Write([]byte{0})
	h.Write([]byte(requestID))
	var k alscKey
	copy(k[:], h.Sum(nil))
	return k
}

// alscCreated is what a created customer's answer is made of. The encoders
// are deterministic, so encoding it again gives the first answer's bytes.
type alscCreated struct {
	customerID uint64
	// gateway is TOP's request ID for the first call (alscGatewayRequestID
	// draws 63 bits) with the answer's format in the spare top bit.
	gateway uint64
}

const alscXMLBit = 1 << 63

func (c alscCreated) answer() alscAnswer {
	format := "json"
	if c.gateway&alscXMLBit != 0 {
		format = "xml"
	}
	return alscEncode(format, alscSuccess{
		Result: alscResult{Result: strconv.FormatUint(c.customerID, 10), ResultCode: "0",
			ResultDesc: "处理成功", ResultView: "处理成功", BizSuccess: true},
		RequestID: strconv.FormatUint(c.gateway&^alscXMLBit, 36),
	})
}

type alscAnswer struct {
	contentType string
	body        []byte
}

// alscRefusal is one TOP error answer. msg, when set, replaces the code's
// usual wording (TOP names the missing argument in it).
type alscRefusal struct {
	code            int
	subCode, subMsg string
	msg             string
}

// alscMissingArgument is TOP's own answer for a missing API argument: code
// 40 naming it, with no sub-code.
func alscMissingArgument(name string) alscRefusal {
	return alscRefusal{code: alscCodeMissingArgs, msg: alscMsgs[alscCodeMissingArgs] + ":" + name}
}

func (a *alscSim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 2<<20)
	if err := r.ParseForm(); err != nil {
		a.refuse(w, r, alscRefusal{code: alscCodeInvalidArgs, subMsg: "表单无法解析: " + err.Error()})
		return
	}
	if ref, ok := a.checkGateway(r); !ok {
		a.refuse(w, r, ref)
		return
	}
	param := r.Form.Get(topBusinessParam)
	if param == "" {
		a.refuse(w, r, alscMissingArgument(topBusinessParam))
		return
	}
	var fields map[string]json.RawMessage
	if err := platforms.DecodeJSON([]byte(param), &fields); err != nil || fields == nil {
		a.refuse(w, r, alscRefusal{code: alscCodeInvalidArgs, subCode: alscSubInvalid, subMsg: topBusinessParam + " 不是 JSON 对象"})
		return
	}
	requestID, ok := alscString(fields["request_id"])
	if !ok {
		a.refuse(w, r, alscInvalid("request_id", "request_id 应为字符串"))
		return
	}
	if requestID == "" {
		a.refuse(w, r, alscMissing("request_id"))
		return
	}

	key := alscKeyOf(r.Form.Get("app_key"), requestID)
	a.mu.Lock()
	defer a.mu.Unlock()
	if first, ok := a.created[key]; ok {
		a.write(w, first.answer())
		return
	}
	if ref, ok := alscCheckCustomer(fields, param); !ok {
		a.refuse(w, r, ref)
		return
	}
	c := alscCreated{customerID: a.s.newCustomerID(), gateway: alscGatewayID()}
	if alscFormat(r.Form.Get("format")) == "xml" {
		c.gateway |= alscXMLBit
	}
	a.s.countCreated(PathALSC, 1)
	if mobile, ok := alscString(fields["mobile"]); ok {
		a.s.countMobile(PathALSC, mobile)
	}
	a.created[key] = c
	a.write(w, c.answer())
}

// checkGateway applies TOP's checks of the system parameters, in the order the
// gateway reports them.
func (a *alscSim) checkGateway(r *http.Request) (alscRefusal, bool) {
	cfg := a.s.cfg
	form := r.Form
	switch appKey := form.Get("app_key"); {
	case appKey == "":
		return alscRefusal{code: alscCodeMissingAppKey}, false
	case appKey != cfg.ALSCAppKey:
		return alscRefusal{code: alscCodeInvalidAppKey, subCode: "isv.appkey-not-exists", subMsg: "app_key 不存在: " + appKey}, false
	}
	switch method := form.Get("method"); {
	case method == "":
		return alscRefusal{code: alscCodeMissingMethod}, false
	case method != topMethod:
		return alscRefusal{code: alscCodeInvalidMethod, subMsg: "不支持的 API: " + method}, false
	}
	switch v := form.Get("v"); {
	case v == "":
		return alscRefusal{code: alscCodeMissingVersion}, false
	case v == topVersion:
	default:
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return alscRefusal{code: alscCodeInvalidVersion, subMsg: "v 应为 " + topVersion}, false
		}
		return alscRefusal{code: alscCodeUnsupportedVer, subMsg: "不支持的版本 " + v + "，应为 " + topVersion}, false
	}
	switch f := form.Get("format"); f {
	case "", "json", "xml":
	default:
		return alscRefusal{code: alscCodeInvalidFormat, subMsg: "format 应为 json 或 xml"}, false
	}
	ts := form.Get("timestamp")
	if ts == "" {
		return alscRefusal{code: alscCodeMissingTime}, false
	}
	t, ok := alscTimestamp(ts)
	if !ok {
		return alscRefusal{code: alscCodeInvalidTime, subMsg: "timestamp 格式应为 yyyy-MM-dd HH:mm:ss (GMT+8) 或毫秒时间戳: " + ts}, false
	}
	if d := t.Sub(a.s.now()); d > alscTimeWindow || d < -alscTimeWindow {
		return alscRefusal{code: alscCodeInvalidTime, subMsg: "timestamp 与服务器时间相差超过 10 分钟: " + ts}, false
	}
	method := form.Get("sign_method")
	if method == "" {
		method = topDefaultSign // TOP's default when sign_method is left out
	}
	given := form.Get("sign")
	if given == "" {
		return alscRefusal{code: alscCodeMissingSign}, false
	}
	params := make(map[string]string, len(form))
	for k, vs := range form {
		if len(vs) > 0 {
			params[k] = vs[0]
		}
	}
	want, err := topSign(params, cfg.ALSCAppSecret, method)
	if err != nil {
		return alscRefusal{code: alscCodeInvalidSign, subMsg: "不支持的 sign_method: " + method}, false
	}
	if !strings.EqualFold(given, want) {
		return alscRefusal{code: alscCodeInvalidSign}, false
	}
	return alscRefusal{}, true
}

// alscTimestamp reads TOP's timestamp: "yyyy-MM-dd HH:mm:ss" in GMT+8, or
// milliseconds since the epoch, which the official Python SDK sends
// (str(long(time.time()*1000))).
func alscTimestamp(ts string) (time.Time, bool) {
	if platforms.IsDigits(ts) {
		ms, err := strconv.ParseInt(ts, 10, 64)
		return time.UnixMilli(ms), err == nil
	}
	t, err := time.ParseInLocation(topTimeLayout, ts, topZone)
	return t, err == nil
}

// alscCheckCustomer applies the API page's rules to the business object: the
// required fields present and every field of its documented type and form.
func alscCheckCustomer(fields map[string]json.RawMessage, param string) (alscRefusal, bool) {
	for _, name := range []string{"channel", "outer_id", "outer_type"} {
		s, ok := alscString(fields[name])
		if !ok {
			return alscInvalid(name, name+" 应为字符串"), false
		}
		if s == "" {
			return alscMissing(name), false
		}
	}
	if len(fields["customer_type"]) == 0 || string(fields["customer_type"]) == "null" {
		return alscMissing("customer_type"), false
	}
	var req topCustomer
	if err := json.Unmarshal([]byte(param), &req); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return alscInvalid(te.Field, te.Field+" 类型错误，应为 "+te.Type.String()), false
		}
		return alscInvalid(topBusinessParam, err.Error()), false
	}
	switch {
	case req.CustomerType != 0 && req.CustomerType != 1:
		return alscInvalid("customer_type", "customer_type 应为 1（会员）或 0（顾客）"), false
	case req.OuterType == topOuterMobile && !alscMobileOK(req.OuterID):
		return alscInvalid("outer_id", "outer_type 为 mobile 时 outer_id 应为手机号: "+req.OuterID), false
	case req.Mobile != "" && !alscMobileOK(req.Mobile):
		return alscInvalid("mobile", "手机号格式不正确: "+req.Mobile), false
	case req.Gender != "" && req.Gender != "0" && req.Gender != "1":
		return alscInvalid("gender", "gender 应为 0（女）或 1（男）"), false
	case req.Birthday != "" && !alscIsLayout(req.Birthday, topTimeLayout):
		return alscInvalid("birthday", "birthday 格式应为 yyyy-MM-dd HH:mm:ss"), false
	case req.Email != "" && !alscEmailOK(req.Email):
		return alscInvalid("email", "邮箱格式不正确: "+req.Email), false
	}
	for _, t := range req.TagIDList {
		if strings.TrimSpace(t) == "" {
			return alscInvalid("tag_id_list", "tag_id_list 不能含空标签"), false
		}
	}
	return alscRefusal{}, true
}

// alscMobileOK accepts 11 mainland digits, or "+" and a country code with its
// number (7 to 15 digits in all, as E.164 allows).
func alscMobileOK(s string) bool {
	if len(s) == 11 && s[0] == '1' && platforms.IsDigits(s) {
		return true
	}
	if !strings.HasPrefix(s, "+") || !platforms.IsDigits(s[1:]) || len(s) < 8 || len(s) > 16 {
		return false
	}
	// A mainland number written with +86 must still be 11 digits starting with 1.
	if n, ok := strings.CutPrefix(s, "+86"); ok {
		return len(n) == 11 && n[0] == '1'
	}
	return true
}

func alscEmailOK(s string) bool {
	addr, err := mail.ParseAddress(s)
	return err == nil && addr.Address == s
}

func alscIsLayout(s, layout string) bool {
	t, err := time.Parse(layout, s)
	return err == nil && t.Format(layout) == s
}

// alscString reads an optional JSON string: absent or null is "", another type
// is not ok.
func alscString(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

func alscMissing(field string) alscRefusal {
	return alscRefusal{code: alscCodeBusiness, subCode: alscSubMissing, subMsg: "缺少必填参数 " + field}
}

func alscInvalid(field, detail string) alscRefusal {
	if field == "" {
		field = topBusinessParam
	}
	return alscRefusal{code: alscCodeBusiness, subCode: alscSubInvalid, subMsg: "非法参数 " + field + ": " + detail}
}

// RetryableError answers with one of TOP's retryable errors: the app's call
// limit (a rate limit) or a remote service timeout (an isp fault).
func (a *alscSim) RetryableError(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	if rand.IntN(2) == 0 {
		a.refuse(w, r, alscRefusal{code: alscCodeAppLimited, subCode: "accesscontrol.limited-by-app-access-count", subMsg: "This ban will last for 1 more seconds"})
		return
	}
	a.refuse(w, r, alscRefusal{code: alscCodeRemoteError, subCode: "isp.remote-service-timeout", subMsg: "远程服务调用超时"})
}

func (a *alscSim) AnswerCreated(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	c := alscCreated{customerID: a.s.newCustomerID(), gateway: alscGatewayID()}
	if alscFormat(r.Form.Get("format")) == "xml" {
		c.gateway |= alscXMLBit
	}
	a.write(w, c.answer())
}

func (a *alscSim) refuse(w http.ResponseWriter, r *http.Request, ref alscRefusal) {
	a.write(w, alscEncode(r.Form.Get("format"), alscError{
		Code: ref.code, Msg: cmp.Or(ref.msg, alscMsgs[ref.code]), SubCode: ref.subCode, SubMsg: ref.subMsg,
		RequestID: alscGatewayRequestID(),
	}))
}

// TOP answers errors with HTTP 200 too: the envelope carries the verdict.
func (a *alscSim) write(w http.ResponseWriter, ans alscAnswer) {
	w.Header().Set("Content-Type", ans.contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(ans.body)))
	_, _ = w.Write(ans.body)
}

type alscResult struct {
	Result     string `json:"result" xml:"result"`
	ResultCode string `json:"result_code" xml:"result_code"`
	ResultDesc string `json:"result_desc" xml:"result_desc"`
	ResultView string `json:"result_view" xml:"result_view"`
	BizSuccess bool   `json:"biz_success" xml:"biz_success"`
}

type alscSuccess struct {
	XMLName   xml.Name   `json:"-" xml:"alibaba_alsc_crm_customer_create_response"`
	Result    alscResult `json:"result" xml:"result"`
	RequestID string     `json:"request_id" xml:"request_id"`
}

type alscError struct {
	XMLName   xml.Name `json:"-" xml:"error_response"`
	Code      int      `json:"code" xml:"code"`
	Msg       string   `json:"msg" xml:"msg"`
	SubCode   string   `json:"sub_code,omitempty" xml:"sub_code,omitempty"`
	SubMsg    string   `json:"sub_msg,omitempty" xml:"sub_msg,omitempty"`
	RequestID string   `json:"request_id" xml:"request_id"`
}

// alscFormat is the format an answer is written in; TOP's default is XML.
func alscFormat(requested string) string {
	if requested == "json" {
		return "json"
	}
	return "xml"
}

// alscEncode writes v in the requested format.
func alscEncode(format string, v any) alscAnswer {
	if alscFormat(format) == "json" {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		key := topResponseKey
		if _, ok := v.(alscError); ok {
			key = topErrorKey
		}
		_ = enc.Encode(map[string]any{key: v}) // plain structs of strings and numbers: cannot fail
		return alscAnswer{"application/json;charset=UTF-8", bytes.TrimSuffix(b.Bytes(), []byte("\n"))}
	}
	b, _ := xml.Marshal(v) // as above
	return alscAnswer{"text/xml;charset=UTF-8", append([]byte(xml.Header), b...)}
}

// alscGatewayRequestID is TOP's own per-call trace ID (not the business
// request_id), a short base-36 token.
func alscGatewayRequestID() string {
	return strconv.FormatUint(alscGatewayID(), 36)
}

// alscGatewayID draws a gateway request ID; 63 bits, so alscCreated has its
// top bit to spare.
func alscGatewayID() uint64 { return rand.Uint64() >> 1 }
