package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/custdesk/custdesk/platforms"
)

// Codes the NXLink simulator answers with. 1001..1005 and 12148 are the
// platform's documented codes. Per-item parameter faults have no documented
// code, so they carry 1002, the whole-call "parameter error". 500 is the
// transient fault this simulator injects; the client retries it.
const (
	nxCodeOK           = 0
	nxCodeMissing      = 1001
	nxCodeParam        = 1002
	nxCodeSign         = 1003
	nxCodeTimestamp    = 1004
	nxCodePermission   = 1005
	nxCodeUnknownSeat  = 12148
	nxCodeBusy         = 500
	nxMaxCustomers     = 100
	nxTimestampWindow  = 60 * time.Second
	nxMaxBodyBytes     = 4 << 20
	nxContentTypeJSON  = "application/json"
	nxAnswerType       = "application/json;charset=UTF-8"
	nxMsgBatchLimit    = "customers 单次限制100"
	nxMsgSeatUnknownFm = "归属坐席 %s 不存在,请前往 管理->成员 确认"
)

func init() {
	register("NXLink", PathNXLink, func(s *Server) simulator {
		return &nxlinkSim{s: s, byKey: map[nxKey]nxStored{}, seats: nxSeatSet(s.cfg.NXLinkSeatUsers)}
	})
}

// nxlinkSim plays NXLink's batch_create. Customers are kept by their contact key
// so that re-sending one finds it again, as the real CDP deduplicates: that is
// what makes a retry after a lost answer harmless.
type nxlinkSim struct {
	s     *Server
	seats map[string]bool

	mu sync.Mutex
	// byKey holds every customer by a digest of its contact key, packed (see
	// nxstore.go): the in-process sandbox lives as long as an import, and its
	// memory must not grow with the file by more than it must.
	byKey map[nxKey]nxStored
}

func nxSeatSet(users []string) map[string]bool {
	m := make(map[string]bool, len(users))
	for _, u := range users {
		m[u] = true
	}
	return m
}

// nxRequest is the body with pointers where the simulator must tell a missing
// field from a zero one.
type nxRequest struct {
	Type          *int              `json:"type"`
	TenantID      *int64            `json:"tenant_id"`
	AppKey        *string           `json:"app_key"`
	StrictBinding *bool             `json:"strict_binding"`
	Customers     []json.RawMessage `json:"customers"`
}

// nxAnswer is the response envelope. Message is a pointer because the page's
// successful answers carry "message": null.
type nxAnswer struct {
	Code    int       `json:"code"`
	Message *string   `json:"message"`
	TraceID string    `json:"traceId"`
	Data    *nxResult `json:"data"`
}

type nxResult struct {
	TotalCount   int             `json:"totalCount"`
	SuccessCount int             `json:"successCount"`
	FailCount    int             `json:"failCount"`
	FailItems    []nxFailItem    `json:"failItems"`
	SuccessItems []nxSuccessItem `json:"successItems"`
}

type nxFailItem struct {
	Index        int    `json:"index"`
	ErrorCode    int    `json:"errorCode"`
	ErrorMessage string `json:"errorMessage"`
}

type nxSuccessItem struct {
	Index int `json:"index"`
	// CustomerID is written as a bare JSON number, as NXLink does, above 2^53.
	CustomerID    json.Number `json:"customerId"`
	WhatsAppPhone string      `json:"whatsAppPhone"`
}

func (n *nxlinkSim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, nxMaxBodyBytes))
	if err != nil {
		n.fail(w, nxCodeParam, "请求体过大或读取失败")
		return
	}
	if code, msg := n.checkHeaders(r, body); code != nxCodeOK {
		n.fail(w, code, msg)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != nxContentTypeJSON {
		n.fail(w, nxCodeParam, "Content-Type 应为 application/json")
		return
	}
	var req nxRequest
	if err := nxDecode(body, &req); err != nil {
		n.fail(w, nxCodeParam, "请求体不是合法的 JSON: "+err.Error())
		return
	}
	if code, msg := n.checkCall(req); code != nxCodeOK {
		n.fail(w, code, msg)
		return
	}
	strict := req.StrictBinding != nil && *req.StrictBinding

	customers := make([]nxCustomer, len(req.Customers))
	problems := make([]*nxFailItem, len(req.Customers))
	for i, raw := range req.Customers {
		if err := nxDecode(raw, &customers[i]); err != nil {
			problems[i] = &nxFailItem{Index: i, ErrorCode: nxCodeParam, ErrorMessage: "参数类型错误: " + err.Error()}
			continue
		}
		if msg := nxCheckCustomer(customers[i]); msg != "" {
			problems[i] = &nxFailItem{Index: i, ErrorCode: nxCodeParam, ErrorMessage: msg}
			continue
		}
		if seat := customers[i].BelongSeatUser; seat != "" && !n.seats[seat] {
			msg := fmt.Sprintf(nxMsgSeatUnknownFm, seat)
			if !strict {
				// Without strict binding an unknown seat user fails the whole
				// call, before anything is created.
				n.fail(w, nxCodeUnknownSeat, msg)
				return
			}
			problems[i] = &nxFailItem{Index: i, ErrorCode: nxCodeUnknownSeat, ErrorMessage: msg}
		}
	}

	// Keys and encodings are worked out before taking the lock, which then
	// covers only the lookups and the rare merge.
	keys := make([]nxKey, len(customers))
	packed := make([]string, len(customers))
	for i, c := range customers {
		if problems[i] == nil {
			keys[i], packed[i] = nxKeyOf(nxContactKey(c)), nxPack(&c)
		}
	}
	result := nxResult{TotalCount: len(customers), FailItems: []nxFailItem{}, SuccessItems: []nxSuccessItem{}}
	created := 0
	n.mu.Lock()
	for i, c := range customers {
		if problems[i] != nil {
			result.FailItems = append(result.FailItems, *problems[i])
			continue
		}
		id, whatsApp, isNew := n.store(keys[i], c, packed[i], *req.Type)
		if isNew {
			created++
			n.s.countMobile(PathNXLink, c.SMSPhone)
		}
		result.SuccessItems = append(result.SuccessItems, nxSuccessItem{
			Index: i, CustomerID: json.Number(strconv.FormatUint(id, 10)), WhatsAppPhone: whatsApp})
	}
	n.mu.Unlock()
	n.s.countCreated(PathNXLink, created)
	result.SuccessCount, result.FailCount = len(result.SuccessItems), len(result.FailItems)
	n.write(w, nxAnswer{Code: nxCodeOK, TraceID: nxTraceID(), Data: &result})
}

// RetryableError answers the way NXLink reports a passing fault: HTTP 200 with
// a non-zero code and no data.
func (n *nxlinkSim) RetryableError(w http.ResponseWriter, _ *http.Request) {
	n.fail(w, nxCodeBusy, "系统繁忙,请稍后重试")
}

// checkHeaders verifies the common headers: presence (1001), fixed values
// (1002), the access key (1005), the timestamp window (1004) and the signature
// over the exact body bytes (1003).
func (n *nxlinkSim) checkHeaders(r *http.Request, body []byte) (int, string) {
	signed := map[string]string{}
	for _, h := range nxSignedHeaders {
		v := r.Header.Get(h)
		if v == "" {
			return nxCodeMissing, "缺少公共参数 " + h
		}
		signed[h] = v
	}
	sign := r.Header.Get(nxHeaderSign)
	if sign == "" {
		return nxCodeMissing, "缺少公共参数 " + nxHeaderSign
	}
	if signed[nxHeaderBizType] != nxBizType {
		return nxCodeParam, "bizType 应为 " + nxBizType
	}
	if signed[nxHeaderAction] != nxAction {
		return nxCodeParam, "action 应为 " + nxAction
	}
	algorithm := strings.ToLower(r.Header.Get(nxHeaderAlgorithm))
	if algorithm != "" && algorithm != "md5" && algorithm != "sha256" {
		return nxCodeParam, "不支持的签名算法 " + algorithm
	}
	if signed[nxHeaderAccessKey] != n.s.cfg.NXLinkAccessKey {
		return nxCodePermission, "accessKey 无效或无权限"
	}
	ms, err := strconv.ParseInt(signed[nxHeaderTS], 10, 64)
	if err != nil {
		return nxCodeTimestamp, "ts 应为毫秒时间戳"
	}
	if d := n.s.now().Sub(time.UnixMilli(ms)); d > nxTimestampWindow || d < -nxTimestampWindow {
		return nxCodeTimestamp, "请求已过期,时间误差超过60秒"
	}
	want, err := nxSign(signed, body, n.s.cfg.NXLinkSecret, algorithm)
	if err != nil || !strings.EqualFold(sign, want) {
		return nxCodeSign, "签名错误"
	}
	return nxCodeOK, ""
}

// checkCall applies the whole-call body rules.
func (n *nxlinkSim) checkCall(req nxRequest) (int, string) {
	switch {
	case req.Type == nil:
		return nxCodeParam, "type 不能为空"
	case *req.Type < 0 || *req.Type > 2:
		return nxCodeParam, "type 取值应为 0、1 或 2"
	case req.TenantID == nil:
		return nxCodeParam, "tenant_id 不能为空"
	case *req.TenantID != n.s.cfg.NXLinkTenantID:
		return nxCodeParam, "tenant_id 与 accessKey 不匹配"
	case req.AppKey == nil || *req.AppKey == "":
		return nxCodeParam, "app_key 不能为空"
	case *req.AppKey != n.s.cfg.NXLinkAppKey:
		return nxCodeParam, "app_key 无效"
	case len(req.Customers) == 0:
		return nxCodeParam, "customers 不能为空"
	case len(req.Customers) > nxMaxCustomers:
		return nxCodeParam, nxMsgBatchLimit
	}
	return nxCodeOK, ""
}

// nxCheckCustomer applies the page's per-customer rules and says what is wrong
// with the first one broken, or "".
func nxCheckCustomer(c nxCustomer) string {
	if strings.TrimSpace(c.FullName) == "" {
		return "full_name 不能为空"
	}
	limits := []struct {
		name, value string
		max         int
		digits      bool
	}{
		{"full_name", c.FullName, 255, false},
		{"first_name", c.FirstName, 128, false},
		{"last_name", c.LastName, 128, false},
		{"sms_phone", c.SMSPhone, 30, true},
		{"whats_app_phone", c.WhatsAppPhone, 30, true},
		{"viber_phone", c.ViberPhone, 30, true},
		{"messenger", c.Messenger, 32, true},
		{"instagram", c.Instagram, 32, true},
		{"zalo", c.Zalo, 32, true},
		{"line", c.Line, 50, false},
		{"country", c.Country, 50, false},
		{"email", c.Email, 50, false},
		{"address", c.Address, 100, false},
		{"remark", c.Remark, 2000, false},
		{"belong_seat_user", c.BelongSeatUser, 128, false},
	}
	for _, l := range limits {
		if utf8.RuneCountInString(l.value) > l.max {
			return l.name + " 最大长度为" + strconv.Itoa(l.max) + "字符"
		}
		if l.digits && l.value != "" && !platforms.IsDigits(l.value) {
			return l.name + " 必须是纯数字"
		}
	}
	if nxContactKey(c) == "" {
		return "sms_phone、whats_app_phone、email、viber_phone、messenger、instagram、line、zalo不能同时为空"
	}
	if c.Email != "" {
		at := strings.IndexByte(c.Email, '@')
		if at <= 0 || at == len(c.Email)-1 || strings.Count(c.Email, "@") != 1 || strings.ContainsAny(c.Email, " \t\r\n") {
			return "email 格式不正确"
		}
	}
	if c.Birthday != "" {
		if _, err := time.Parse(time.DateOnly, c.Birthday); err != nil || len(c.Birthday) != 10 {
			return "birthday 格式应为 yyyy-MM-dd"
		}
	}
	if c.Gender != nil && *c.Gender != 0 && *c.Gender != 1 {
		return "gender 取值应为 1(男) 或 0(女)"
	}
	if c.Weight != nil && (*c.Weight < 1 || *c.Weight > 5) {
		return "weight 取值范围1-5"
	}
	if c.CustomizeField != "" && !json.Valid([]byte(c.CustomizeField)) {
		return "customize_field 应为 JSON 格式字符串"
	}
	return ""
}

// nxContactKey is what identifies a customer: the SMS phone, else the first
// other contact channel given, tagged with its channel so that equal values on
// different channels stay different people.
func nxContactKey(c nxCustomer) string {
	for _, ch := range []struct{ name, value string }{
		{"sms_phone", c.SMSPhone}, {"whats_app_phone", c.WhatsAppPhone}, {"email", c.Email},
		{"viber_phone", c.ViberPhone}, {"messenger", c.Messenger}, {"instagram", c.Instagram},
		{"line", c.Line}, {"zalo", c.Zalo},
	} {
		if strings.TrimSpace(ch.value) != "" {
			return ch.name + ":" + ch.value
		}
	}
	return ""
}

// store creates c (packed: its stored form) under key, its contact key's
// digest, or applies it to the customer already known there, per the
// request's type: 0 replaces the old data, 1 merges the new onto it, 2 keeps
// the old. It returns the customer's ID and WhatsApp phone as stored, which
// the answer carries. Callers hold n.mu.
func (n *nxlinkSim) store(key nxKey, c nxCustomer, packed string, typ int) (id uint64, whatsApp string, isNew bool) {
	old, ok := n.byKey[key]
	if !ok {
		id = n.s.newCustomerID()
		n.byKey[key] = nxStored{id: id, customer: packed}
		return id, c.WhatsAppPhone, true
	}
	switch typ {
	case 0:
		n.byKey[key] = nxStored{id: old.id, customer: packed}
		return old.id, c.WhatsAppPhone, false
	case 1:
		merged := nxUnpack(old.customer)
		nxOverlay(&merged, &c)
		n.byKey[key] = nxStored{id: old.id, customer: nxPack(&merged)}
		return old.id, merged.WhatsAppPhone, false
	default:
		return old.id, nxUnpack(old.customer).WhatsAppPhone, false
	}
}

// AnswerCreated answers for one customer, whatever the batch: the fault
// cuts it before the count could matter.
func (n *nxlinkSim) AnswerCreated(w http.ResponseWriter, _ *http.Request) {
	id := json.Number(strconv.FormatUint(n.s.newCustomerID(), 10))
	n.write(w, nxAnswer{Code: nxCodeOK, TraceID: nxTraceID(), Data: &nxResult{TotalCount: 1, SuccessCount: 1,
		SuccessItems: []nxSuccessItem{{Index: 0, CustomerID: id}}, FailItems: []nxFailItem{}}})
}

func (n *nxlinkSim) fail(w http.ResponseWriter, code int, msg string) {
	n.write(w, nxAnswer{Code: code, Message: &msg, TraceID: nxTraceID()})
}

func (n *nxlinkSim) write(w http.ResponseWriter, a nxAnswer) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(a); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", nxAnswerType)
	_, _ = w.Write(buf.Bytes())
}

// nxDecode decodes one JSON value, keeping numbers exact and refusing trailing
// data, as a strict JSON backend does.
func nxDecode(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

func nxTraceID() string {
	return fmt.Sprintf("%016x%016x", rand.Uint64(), rand.Uint64())
}
