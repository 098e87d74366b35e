package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/nxlink"
)

var nxTestNow = time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)

func nxTestServer() *Server {
	cfg := Demo()
	cfg.Now = func() time.Time { return nxTestNow }
	return New(cfg)
}

// nxCall is one raw request to the simulator; fields left zero get valid values.
type nxCall struct {
	body        string
	headers     map[string]string // overrides; "" deletes
	algorithm   string
	secret      string
	ts          time.Time
	contentType string
	signBody    string // sign these bytes instead of body
}

type nxReply struct {
	raw    []byte
	answer struct {
		Code    int     `json:"code"`
		Message *string `json:"message"`
		TraceID string  `json:"traceId"`
		Data    *struct {
			TotalCount, SuccessCount, FailCount int
			FailItems                           []struct {
				Index        int    `json:"index"`
				ErrorCode    int    `json:"errorCode"`
				ErrorMessage string `json:"errorMessage"`
			} `json:"failItems"`
			SuccessItems []struct {
				Index         int         `json:"index"`
				CustomerID    json.Number `json:"customerId"`
				WhatsAppPhone string      `json:"whatsAppPhone"`
			} `json:"successItems"`
		} `json:"data"`
	}
}

func (r nxReply) message() string {
	if r.answer.Message == nil {
		return ""
	}
	return *r.answer.Message
}

func nxDo(t *testing.T, s *Server, c nxCall) nxReply {
	t.Helper()
	if c.secret == "" {
		c.secret = DemoNXLinkSecret
	}
	if c.ts.IsZero() {
		c.ts = nxTestNow
	}
	headers := map[string]string{
		"accessKey": DemoNXLinkAccessKey,
		"ts":        strconv.FormatInt(c.ts.UnixMilli(), 10),
		"bizType":   "2",
		"action":    "mt",
	}
	for k, v := range c.headers {
		if k != "sign" {
			headers[k] = v
		}
	}
	signBody := c.body
	if c.signBody != "" {
		signBody = c.signBody
	}
	sign, _ := nxlink.Sign(headers, []byte(signBody), c.secret, c.algorithm)
	headers["sign"] = sign
	if v, ok := c.headers["sign"]; ok {
		headers["sign"] = v
	}
	if c.algorithm != "" {
		headers["algorithm"] = c.algorithm
	}
	if c.contentType == "" {
		c.contentType = "application/json"
	}
	headers["Content-Type"] = c.contentType

	req := httptest.NewRequest(http.MethodPost, PathNXLink, strings.NewReader(c.body))
	for k, v := range headers {
		if v != "" {
			req.Header.Set(k, v) // as net/http's server stores what arrives on the wire
		}
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("HTTP %d: %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q", ct)
	}
	var r nxReply
	r.raw = rec.Body.Bytes()
	if err := json.Unmarshal(r.raw, &r.answer); err != nil {
		t.Fatalf("answer %s: %v", r.raw, err)
	}
	if len(r.answer.TraceID) != 32 {
		t.Errorf("traceId %q", r.answer.TraceID)
	}
	return r
}

// nxBody is a request body with the demo tenant and the given customers (JSON objects).
func nxBody(typ int, strict bool, customers ...string) string {
	return `{"type":` + strconv.Itoa(typ) + `,"tenant_id":123,"app_key":"sandbox-app","strict_binding":` +
		strconv.FormatBool(strict) + `,"customers":[` + strings.Join(customers, ",") + `]}`
}

const nxWang = `{"full_name":"王小二","sms_phone":"13411111111"}`

func nxWantCode(t *testing.T, r nxReply, code int, msgPart string) {
	t.Helper()
	if r.answer.Code != code || !strings.Contains(r.message(), msgPart) {
		t.Errorf("answer = %s, want code %d mentioning %q", r.raw, code, msgPart)
	}
	if code != 0 && r.answer.Data != nil {
		t.Errorf("a whole-call failure has data: %s", r.raw)
	}
}

func TestNXLinkSimAcceptsSignedRequest(t *testing.T) {
	s := nxTestServer()
	r := nxDo(t, s, nxCall{body: nxBody(1, false, nxWang, `{"full_name":"li si","whats_app_phone":"85212344567"}`)})
	if r.answer.Code != 0 || r.answer.Message != nil || !bytes.Contains(r.raw, []byte(`"message":null`)) {
		t.Fatalf("answer = %s", r.raw)
	}
	d := r.answer.Data
	if d.TotalCount != 2 || d.SuccessCount != 2 || d.FailCount != 0 || len(d.SuccessItems) != 2 || d.FailItems == nil {
		t.Fatalf("data = %s", r.raw)
	}
	if !bytes.Contains(r.raw, []byte(`"failItems":[]`)) {
		t.Errorf("failItems should be an empty list as on the page: %s", r.raw)
	}
	for i, it := range d.SuccessItems {
		if it.Index != i {
			t.Errorf("item %d has index %d", i, it.Index)
		}
		if n, err := strconv.ParseUint(it.CustomerID.String(), 10, 64); err != nil || n <= 1<<53 {
			t.Errorf("customerId %s should be an integer above 2^53", it.CustomerID)
		}
	}
	if d.SuccessItems[1].WhatsAppPhone != "85212344567" {
		t.Errorf("whatsAppPhone = %q", d.SuccessItems[1].WhatsAppPhone)
	}
	if s.Created(PathNXLink) != 2 {
		t.Errorf("created = %d", s.Created(PathNXLink))
	}
	if got := nxlink.Parse(r.raw); got.Outcome != platforms.OK || len(got.CustomerIDs) != 2 {
		t.Errorf("client reads the answer as %+v", got)
	}
}

func TestNXLinkSimHeaderChecks(t *testing.T) {
	s := nxTestServer()
	body := nxBody(1, false, nxWang)
	for _, h := range []string{"accessKey", "ts", "bizType", "action", "sign"} {
		nxWantCode(t, nxDo(t, s, nxCall{body: body, headers: map[string]string{h: ""}}), 1001, h)
	}
	nxWantCode(t, nxDo(t, s, nxCall{body: body, headers: map[string]string{"bizType": "1"}}), 1002, "bizType")
	nxWantCode(t, nxDo(t, s, nxCall{body: body, headers: map[string]string{"action": "send"}}), 1002, "action")
	nxWantCode(t, nxDo(t, s, nxCall{body: body, algorithm: "sha1", headers: map[string]string{"sign": "0123"}}), 1002, "sha1")
	nxWantCode(t, nxDo(t, s, nxCall{body: body, headers: map[string]string{"accessKey": "nobody"}}), 1005, "accessKey")

	nxWantCode(t, nxDo(t, s, nxCall{body: body, headers: map[string]string{"ts": "yesterday"}}), 1004, "ts")
	nxWantCode(t, nxDo(t, s, nxCall{body: body, ts: nxTestNow.Add(-61 * time.Second)}), 1004, "60秒")
	nxWantCode(t, nxDo(t, s, nxCall{body: body, ts: nxTestNow.Add(61 * time.Second)}), 1004, "60秒")
	nxWantCode(t, nxDo(t, s, nxCall{body: body, ts: nxTestNow.Add(-59 * time.Second)}), 0, "")

	nxWantCode(t, nxDo(t, s, nxCall{body: body, secret: "wrong"}), 1003, "签名错误")
	nxWantCode(t, nxDo(t, s, nxCall{body: body, headers: map[string]string{"sign": "0123"}}), 1003, "签名错误")
	// The signature covers the exact bytes: the same JSON spaced differently fails.
	spaced := strings.ReplaceAll(body, `":`, `": `)
	nxWantCode(t, nxDo(t, s, nxCall{body: spaced, signBody: body}), 1003, "签名错误")
	nxWantCode(t, nxDo(t, s, nxCall{body: spaced}), 0, "")

	nxWantCode(t, nxDo(t, s, nxCall{body: body, contentType: "text/plain"}), 1002, "Content-Type")
	nxWantCode(t, nxDo(t, s, nxCall{body: body, contentType: "application/json; charset=utf-8"}), 0, "")
}

func TestNXLinkSimSHA256(t *testing.T) {
	s := nxTestServer()
	body := nxBody(1, false, nxWang)
	nxWantCode(t, nxDo(t, s, nxCall{body: body, algorithm: "sha256"}), 0, "")
	nxWantCode(t, nxDo(t, s, nxCall{body: body, algorithm: "SHA256"}), 0, "")
	// A SHA-256 signature without the algorithm header is checked as MD5.
	sha, _ := nxlink.Sign(map[string]string{"accessKey": DemoNXLinkAccessKey, "ts": strconv.FormatInt(nxTestNow.UnixMilli(), 10),
		"bizType": "2", "action": "mt"}, []byte(body), DemoNXLinkSecret, "sha256")
	nxWantCode(t, nxDo(t, s, nxCall{body: body, headers: map[string]string{"sign": sha}}), 1003, "签名错误")
}

func TestNXLinkSimBodyChecks(t *testing.T) {
	s := nxTestServer()
	many := func(n int) string {
		cs := make([]string, n)
		for i := range cs {
			cs[i] = `{"full_name":"c","zalo":"` + strconv.Itoa(1000+i) + `"}`
		}
		return nxBody(1, false, cs...)
	}
	cases := []struct {
		body string
		msg  string
	}{
		{`{"type":1,`, "JSON"},
		{`not json`, "JSON"},
		{nxBody(1, false, nxWang) + `{}`, "JSON"},
		{`{"tenant_id":123,"app_key":"sandbox-app","customers":[` + nxWang + `]}`, "type"},
		{nxBody(3, false, nxWang), "type"},
		{`{"type":"1","tenant_id":123,"app_key":"sandbox-app","customers":[]}`, "JSON"},
		{`{"type":1,"app_key":"sandbox-app","customers":[` + nxWang + `]}`, "tenant_id"},
		{`{"type":1,"tenant_id":124,"app_key":"sandbox-app","customers":[` + nxWang + `]}`, "tenant_id"},
		{`{"type":1,"tenant_id":123,"customers":[` + nxWang + `]}`, "app_key"},
		{`{"type":1,"tenant_id":123,"app_key":"other","customers":[` + nxWang + `]}`, "app_key"},
		{nxBody(1, false), "customers 不能为空"},
		{`{"type":1,"tenant_id":123,"app_key":"sandbox-app"}`, "customers 不能为空"},
		{many(101), "单次限制100"},
	}
	for _, c := range cases {
		nxWantCode(t, nxDo(t, s, nxCall{body: c.body}), 1002, c.msg)
	}
	if s.Created(PathNXLink) != 0 {
		t.Errorf("refused calls created %d customers", s.Created(PathNXLink))
	}
	r := nxDo(t, s, nxCall{body: many(100)})
	if r.answer.Code != 0 || r.answer.Data.SuccessCount != 100 || s.Created(PathNXLink) != 100 {
		t.Errorf("100 customers: code %d, created %d", r.answer.Code, s.Created(PathNXLink))
	}
}

func TestNXLinkSimItemRules(t *testing.T) {
	long := func(n int) string { return strings.Repeat("字", n) }
	digits := func(n int) string { return strings.Repeat("1", n) }
	cases := []struct {
		item, msg string
	}{
		{`{"sms_phone":"13411111111"}`, "full_name 不能为空"},
		{`{"full_name":"  ","sms_phone":"13411111111"}`, "full_name 不能为空"},
		{`{"full_name":"` + long(256) + `","zalo":"1"}`, "full_name 最大长度为255"},
		{`{"full_name":"a","first_name":"` + long(129) + `","zalo":"1"}`, "first_name 最大长度为128"},
		{`{"full_name":"a","last_name":"` + long(129) + `","zalo":"1"}`, "last_name 最大长度为128"},
		{`{"full_name":"a","sms_phone":"+8613411111111"}`, "sms_phone 必须是纯数字"},
		{`{"full_name":"a","sms_phone":"` + digits(31) + `"}`, "sms_phone 最大长度为30"},
		{`{"full_name":"a","whats_app_phone":"86 134"}`, "whats_app_phone 必须是纯数字"},
		{`{"full_name":"a","viber_phone":"` + digits(31) + `"}`, "viber_phone 最大长度为30"},
		{`{"full_name":"a","messenger":"` + digits(33) + `"}`, "messenger 最大长度为32"},
		{`{"full_name":"a","instagram":"@me"}`, "instagram 必须是纯数字"},
		{`{"full_name":"a","zalo":"z1"}`, "zalo 必须是纯数字"},
		{`{"full_name":"a","line":"` + long(51) + `"}`, "line 最大长度为50"},
		{`{"full_name":"a","zalo":"1","country":"` + long(51) + `"}`, "country 最大长度为50"},
		{`{"full_name":"a","email":"` + strings.Repeat("a", 40) + `@example.com"}`, "email 最大长度为50"},
		{`{"full_name":"a","email":"nobody"}`, "email 格式不正确"},
		{`{"full_name":"a","zalo":"1","address":"` + long(101) + `"}`, "address 最大长度为100"},
		{`{"full_name":"a","zalo":"1","remark":"` + long(2001) + `"}`, "remark 最大长度为2000"},
		{`{"full_name":"a","zalo":"1","belong_seat_user":"` + long(129) + `"}`, "belong_seat_user 最大长度为128"},
		{`{"full_name":"a","country":"China"}`, "不能同时为空"},
		{`{"full_name":"a","zalo":"1","birthday":"1976/04/12"}`, "birthday"},
		{`{"full_name":"a","zalo":"1","birthday":"1976-02-30"}`, "birthday"},
		{`{"full_name":"a","zalo":"1","gender":2}`, "gender"},
		{`{"full_name":"a","zalo":"1","gender":"1"}`, "参数类型错误"},
		{`{"full_name":"a","zalo":"1","weight":0}`, "weight 取值范围1-5"},
		{`{"full_name":"a","zalo":"1","weight":6}`, "weight 取值范围1-5"},
		{`{"full_name":"a","zalo":"1","weight":2.5}`, "参数类型错误"},
		{`{"full_name":"a","zalo":"1","customize_field":"{not json"}`, "customize_field"},
		{`{"full_name":"a","zalo":"1","customize_field":{"a":"b"}}`, "参数类型错误"},
		{`"just a string"`, "参数类型错误"},
	}
	for _, c := range cases {
		s := nxTestServer()
		// Each bad item travels with a good one, which must still be created.
		r := nxDo(t, s, nxCall{body: nxBody(1, false, nxWang, c.item)})
		d := r.answer.Data
		if r.answer.Code != 0 || d == nil || d.SuccessCount != 1 || d.FailCount != 1 || len(d.FailItems) != 1 {
			t.Errorf("%s: answer %s", c.item[:min(len(c.item), 60)], r.raw)
			continue
		}
		if f := d.FailItems[0]; f.Index != 1 || f.ErrorCode != 1002 || !strings.Contains(f.ErrorMessage, c.msg) {
			t.Errorf("%s: fail item %+v, want %q", c.item[:min(len(c.item), 60)], f, c.msg)
		}
		if s.Created(PathNXLink) != 1 {
			t.Errorf("created = %d", s.Created(PathNXLink))
		}
	}
	// The page's limits are inclusive.
	s := nxTestServer()
	ok := `{"full_name":"` + long(255) + `","sms_phone":"` + digits(30) + `","messenger":"` + digits(32) +
		`","email":"` + strings.Repeat("a", 38) + `@example.com","remark":"` + long(2000) + `","gender":0,"weight":5,"birthday":"2000-02-29","customize_field":"{\"a\":\"b\"}"}`
	if r := nxDo(t, s, nxCall{body: nxBody(1, false, ok)}); r.answer.Code != 0 || r.answer.Data.SuccessCount != 1 {
		t.Errorf("values at the limits refused: %s", r.raw)
	}
}

func TestNXLinkSimSeatBinding(t *testing.T) {
	known := `{"full_name":"zhang san","sms_phone":"18163725558","belong_seat_user":"` + DemoNXLinkSeatUser + `"}`
	unknown := `{"full_name":"li si","sms_phone":"18135539411","belong_seat_user":"agent1"}`
	const msg = "归属坐席 agent1 不存在,请前往 管理->成员 确认"

	s := nxTestServer()
	r := nxDo(t, s, nxCall{body: nxBody(1, true, known, unknown)})
	d := r.answer.Data
	if r.answer.Code != 0 || d.SuccessCount != 1 || d.FailCount != 1 || d.FailItems[0].Index != 1 ||
		d.FailItems[0].ErrorCode != 12148 || d.FailItems[0].ErrorMessage != msg {
		t.Errorf("strict: %s", r.raw)
	}
	if got := nxlink.Parse(r.raw); got.Outcome != platforms.Partial {
		t.Errorf("strict answer parsed as %s", got.Outcome)
	}

	s = nxTestServer()
	r = nxDo(t, s, nxCall{body: nxBody(1, false, known, unknown)})
	nxWantCode(t, r, 12148, msg)
	if !bytes.Contains(r.raw, []byte(`"data":null`)) || s.Created(PathNXLink) != 0 {
		t.Errorf("not strict: %s, created %d", r.raw, s.Created(PathNXLink))
	}
	// strict_binding absent means false.
	r = nxDo(t, s, nxCall{body: `{"type":1,"tenant_id":123,"app_key":"sandbox-app","customers":[` + unknown + `]}`})
	nxWantCode(t, r, 12148, msg)
}

func nxStoredBy(t *testing.T, s *Server, key string) nxCustomer {
	t.Helper()
	sim := s.sims[PathNXLink].(*nxlinkSim)
	sim.mu.Lock()
	defer sim.mu.Unlock()
	st, ok := sim.byKey[nxKeyOf(key)]
	if !ok {
		t.Fatalf("no customer under %s", key)
	}
	return nxUnpack(st.customer)
}

func TestNXLinkSimTypes(t *testing.T) {
	first := `{"full_name":"王小二","sms_phone":"13411111111","email":"old@example.com","remark":"old"}`
	second := `{"full_name":"王小二","sms_phone":"13411111111","remark":"new","country":"China"}`
	cases := []struct {
		typ                  int
		email, remark, count string
	}{
		{0, "", "new", "China"},                // replace: old data dropped
		{1, "old@example.com", "new", "China"}, // merge: new items onto old
		{2, "old@example.com", "old", ""},      // keep: new data dropped
	}
	for _, c := range cases {
		s := nxTestServer()
		a := nxDo(t, s, nxCall{body: nxBody(c.typ, false, first)})
		b := nxDo(t, s, nxCall{body: nxBody(c.typ, false, second)})
		if a.answer.Code != 0 || b.answer.Code != 0 {
			t.Fatalf("type %d: %s / %s", c.typ, a.raw, b.raw)
		}
		if a.answer.Data.SuccessItems[0].CustomerID != b.answer.Data.SuccessItems[0].CustomerID {
			t.Errorf("type %d: a second send got a new ID", c.typ)
		}
		if s.Created(PathNXLink) != 1 {
			t.Errorf("type %d: created = %d", c.typ, s.Created(PathNXLink))
		}
		got := nxStoredBy(t, s, "sms_phone:13411111111")
		if got.Email != c.email || got.Remark != c.remark || got.Country != c.count {
			t.Errorf("type %d: stored %+v", c.typ, got)
		}
	}
}

func TestNXLinkSimKeys(t *testing.T) {
	s := nxTestServer()
	// Same phone twice in one batch is one customer; same digits on another
	// channel is another.
	r := nxDo(t, s, nxCall{body: nxBody(1, false,
		`{"full_name":"a","sms_phone":"13411111111"}`,
		`{"full_name":"a","sms_phone":"13411111111"}`,
		`{"full_name":"b","whats_app_phone":"13411111111"}`,
		`{"full_name":"c","email":"c@example.com"}`)})
	if r.answer.Data == nil {
		t.Fatalf("answer = %s", r.raw)
	}
	items := r.answer.Data.SuccessItems
	if len(items) != 4 || items[0].CustomerID != items[1].CustomerID || items[0].CustomerID == items[2].CustomerID ||
		items[2].CustomerID == items[3].CustomerID {
		t.Errorf("answer = %s", r.raw)
	}
	if s.Created(PathNXLink) != 3 {
		t.Errorf("created = %d", s.Created(PathNXLink))
	}
}

func TestNXLinkSimRetryableError(t *testing.T) {
	s := nxTestServer()
	s.SetFaults(Faults{Rate: 1, Kinds: []string{FaultError}})
	r := nxDo(t, s, nxCall{body: nxBody(1, false, nxWang)})
	nxWantCode(t, r, 500, "系统繁忙")
	if got := nxlink.Parse(r.raw); got.Outcome != platforms.Failed || !got.Retryable {
		t.Errorf("client reads the injected error as %+v", got)
	}
	if s.Created(PathNXLink) != 0 {
		t.Error("an injected error created a customer")
	}
}

func TestNXLinkSimConcurrent(t *testing.T) {
	s := nxTestServer()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			// Half the requests share a phone: they must all map to one customer.
			phone := "1340000" + strconv.Itoa(1000+i%8)
			r := nxDo(t, s, nxCall{body: nxBody(i%3, true, `{"full_name":"c","sms_phone":"`+phone+`"}`)})
			if r.answer.Code != 0 || r.answer.Data.SuccessCount != 1 {
				t.Errorf("answer = %s", r.raw)
			}
		})
	}
	wg.Wait()
	if s.Created(PathNXLink) != 8 {
		t.Errorf("created = %d, want 8", s.Created(PathNXLink))
	}
}

// The answer's whatsAppPhone is the stored customer's, after the type's
// replace, merge or keep, so it shows what each type did to a known customer.
func TestNXLinkSimAnswerShowsTheStoredCustomer(t *testing.T) {
	first := `{"full_name":"王小二","sms_phone":"13411111111","whats_app_phone":"8613411111111"}`
	withOther := `{"full_name":"王小二","sms_phone":"13411111111","whats_app_phone":"85212344567"}`
	without := `{"full_name":"王小二","sms_phone":"13411111111"}`
	cases := []struct {
		typ                 int
		second              string
		wantFirst, wantThen string
	}{
		{0, withOther, "8613411111111", "85212344567"},
		{0, without, "8613411111111", ""},
		{1, withOther, "8613411111111", "85212344567"},
		{1, without, "8613411111111", "8613411111111"},
		{2, withOther, "8613411111111", "8613411111111"},
		{2, without, "8613411111111", "8613411111111"},
	}
	for _, c := range cases {
		s := nxTestServer()
		a := nxDo(t, s, nxCall{body: nxBody(c.typ, false, first)})
		b := nxDo(t, s, nxCall{body: nxBody(c.typ, false, c.second)})
		if a.answer.Data == nil || b.answer.Data == nil {
			t.Fatalf("type %d: %s / %s", c.typ, a.raw, b.raw)
		}
		x, y := a.answer.Data.SuccessItems[0], b.answer.Data.SuccessItems[0]
		if x.WhatsAppPhone != c.wantFirst || y.WhatsAppPhone != c.wantThen || x.CustomerID != y.CustomerID {
			t.Errorf("type %d then %s: answered %s, then %s", c.typ, c.second, a.raw, b.raw)
		}
	}
}

// Merges keep every field, of every type, through the stored form.
func TestNXLinkSimMergeKeepsEveryField(t *testing.T) {
	full := `{"full_name":"王 \"小二\" <b>&","first_name":"小二","last_name":"王","sms_phone":"13411111111",` +
		`"whats_app_phone":"8613411111111","viber_phone":"1","messenger":"2","instagram":"3","zalo":"4","line":"l",` +
		`"country":"中国","email":"a@example.com","address":"上海\n浦东","birthday":"2000-02-29","tagStr":"a,b",` +
		`"remark":"🙂","time_zone":"Asia/Shanghai","gender":0,"customize_field":"{\"k\":\"v\"}","weight":5}`
	s := nxTestServer()
	nxDo(t, s, nxCall{body: nxBody(1, false, full)})
	nxDo(t, s, nxCall{body: nxBody(1, false, `{"full_name":"王 \"小二\" <b>&","sms_phone":"13411111111"}`)})
	var want nxCustomer
	if err := json.Unmarshal([]byte(full), &want); err != nil {
		t.Fatal(err)
	}
	got := nxStoredBy(t, s, "sms_phone:13411111111")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stored after a merge:\n%+v\nwant\n%+v", got, want)
	}
}
