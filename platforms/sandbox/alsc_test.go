package sandbox

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms/alsc"
)

// alscClock is a fixed sandbox clock, so timestamp windows are exact.
var alscClock = time.Date(2026, 3, 1, 12, 0, 0, 0, alsc.GMT8)

func alscServer() *Server {
	cfg := Demo()
	cfg.Now = func() time.Time { return alscClock }
	return New(cfg)
}

// alscBiz is a valid business object; tests change one field at a time.
func alscBiz() map[string]any {
	return map[string]any{
		"channel": "2", "customer_type": 1, "outer_id": "13411111111", "outer_type": "mobile",
		"request_id": "req-1", "mobile": "13411111111", "name": "王小二", "gender": "1",
		"birthday": "2010-01-01 00:00:00", "email": "xxx@gmail.com", "tag_id_list": []string{"爱吃辣"},
		"shop_id": DemoALSCShopID,
	}
}

// alscParams are valid system parameters carrying biz, unsigned.
func alscParams(biz map[string]any) map[string]string {
	b, _ := json.Marshal(biz)
	return map[string]string{
		"method": alsc.Method, "app_key": DemoALSCAppKey, "sign_method": alsc.SignHMACSHA256,
		"timestamp": alscClock.Format(alsc.TimestampLayout), "v": "2.0", "format": "json",
		alsc.BusinessParam: string(b),
	}
}

// alscPost signs params (unless they carry a sign already) and posts them; a
// value of "\x00" leaves the parameter out. The answer's error envelope, JSON or
// XML, comes back as a map.
func alscPost(t *testing.T, s *Server, params map[string]string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	params = maps.Clone(params)
	maps.DeleteFunc(params, func(_, v string) bool { return v == "\x00" })
	if _, ok := params["sign"]; !ok {
		method := params["sign_method"]
		if method == "" {
			method = alsc.SignMD5
		}
		params["sign"], _, _ = alsc.Sign(params, DemoALSCAppSecret, method)
	}
	form := url.Values{}
	for k, v := range params {
		form.Set(k, v)
	}
	req := httptest.NewRequest(http.MethodPost, PathALSC, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", alsc.ContentType)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	var env map[string]any
	switch ct := rec.Header().Get("Content-Type"); {
	case strings.HasPrefix(ct, "application/json"):
		if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
			t.Fatalf("answer is not JSON: %v\n%s", err, rec.Body)
		}
	case strings.HasPrefix(ct, "text/xml"):
		var e alscError
		if err := xml.Unmarshal(rec.Body.Bytes(), &e); err == nil && e.XMLName.Local == alsc.ErrorKey {
			env = map[string]any{alsc.ErrorKey: map[string]any{"code": float64(e.Code), "msg": e.Msg,
				"sub_code": e.SubCode, "sub_msg": e.SubMsg, "request_id": e.RequestID}}
		}
	default:
		t.Fatalf("content type %q", ct)
	}
	return rec, env
}

func alscErrorOf(t *testing.T, env map[string]any) (code float64, subCode, subMsg string) {
	t.Helper()
	e, ok := env[alsc.ErrorKey].(map[string]any)
	if !ok {
		t.Fatalf("no error_response in %v", env)
	}
	if id, _ := e["request_id"].(string); id == "" {
		t.Errorf("error_response without request_id: %v", e)
	}
	code, _ = e["code"].(float64)
	subCode, _ = e["sub_code"].(string)
	subMsg, _ = e["sub_msg"].(string)
	return code, subCode, subMsg
}

func TestALSCCreates(t *testing.T) {
	s := alscServer()
	for _, method := range alsc.SignMethods {
		p := alscParams(alscBiz())
		p["sign_method"] = method
		biz := alscBiz()
		biz["request_id"] = "req-" + method
		b, _ := json.Marshal(biz)
		p[alsc.BusinessParam] = string(b)
		rec, env := alscPost(t, s, p)
		res := alsc.Parse(rec.Body.Bytes())
		if rec.Code != 200 || res.Outcome != "ok" || len(res.CustomerIDs) != 1 {
			t.Fatalf("%s: %d %s", method, rec.Code, rec.Body)
		}
		resp := env[alsc.ResponseKey].(map[string]any)
		if id, _ := resp["request_id"].(string); id == "" {
			t.Errorf("success without the gateway request_id: %s", rec.Body)
		}
	}
	if got := s.Created(PathALSC); got != 3 {
		t.Errorf("created %d, want 3", got)
	}
}

func TestALSCLeftOutSignMethodMeansMD5(t *testing.T) {
	p := alscParams(alscBiz())
	p["sign_method"] = "\x00"
	p["sign"], _, _ = alsc.Sign(map[string]string{
		"method": p["method"], "app_key": p["app_key"], "timestamp": p["timestamp"], "v": p["v"],
		"format": p["format"], alsc.BusinessParam: p[alsc.BusinessParam],
	}, DemoALSCAppSecret, alsc.SignMD5)
	rec, _ := alscPost(t, alscServer(), p)
	if r := alsc.Parse(rec.Body.Bytes()); r.Outcome != "ok" {
		t.Errorf("md5 by default: %s", rec.Body)
	}
}

func TestALSCGatewayChecks(t *testing.T) {
	tests := []struct {
		name    string
		mod     func(p map[string]string)
		code    float64
		subCode string
	}{
		{"missing app_key", func(p map[string]string) { p["app_key"] = "\x00" }, 28, ""},
		{"unknown app_key", func(p map[string]string) { p["app_key"] = "other" }, 29, "isv.appkey-not-exists"},
		{"missing method", func(p map[string]string) { p["method"] = "\x00" }, 21, ""},
		{"other method", func(p map[string]string) { p["method"] = "taobao.user.seller.get" }, 22, ""},
		{"missing v", func(p map[string]string) { p["v"] = "\x00" }, 32, ""},
		{"v not a version", func(p map[string]string) { p["v"] = "two" }, 33, ""},
		{"v unsupported", func(p map[string]string) { p["v"] = "1.0" }, 34, ""},
		{"format unknown", func(p map[string]string) { p["format"] = "yaml" }, 23, ""},
		{"missing timestamp", func(p map[string]string) { p["timestamp"] = "\x00" }, 30, ""},
		{"timestamp not GMT+8 text", func(p map[string]string) { p["timestamp"] = "2026-03-01T12:00:00Z" }, 31, ""},
		{"timestamp 11 minutes late", func(p map[string]string) {
			p["timestamp"] = alscClock.Add(-11 * time.Minute).Format(alsc.TimestampLayout)
		}, 31, ""},
		{"timestamp 11 minutes early", func(p map[string]string) {
			p["timestamp"] = alscClock.Add(11 * time.Minute).Format(alsc.TimestampLayout)
		}, 31, ""},
		{"timestamp read as UTC would be 8 h off", func(p map[string]string) {
			p["timestamp"] = alscClock.UTC().Format(alsc.TimestampLayout)
		}, 31, ""},
		{"missing sign", func(p map[string]string) { p["sign"] = "" }, 24, ""},
		{"wrong sign", func(p map[string]string) { p["sign"] = strings.Repeat("A", 64) }, 25, ""},
		{"unknown sign_method", func(p map[string]string) { p["sign_method"] = "sha1"; p["sign"] = "AB" }, 25, ""},
		{"missing business parameter", func(p map[string]string) { delete(p, alsc.BusinessParam) }, 40, ""},
		{"business parameter not JSON", func(p map[string]string) { p[alsc.BusinessParam] = "{channel:2" }, 41, "isv.invalid-parameter"},
		{"business parameter an array", func(p map[string]string) { p[alsc.BusinessParam] = "[]" }, 41, "isv.invalid-parameter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := alscServer()
			p := alscParams(alscBiz())
			tt.mod(p)
			rec, env := alscPost(t, s, p)
			code, sub, _ := alscErrorOf(t, env)
			if rec.Code != 200 || code != tt.code || sub != tt.subCode {
				t.Errorf("answer %d %s, want code %v sub_code %q", rec.Code, rec.Body, tt.code, tt.subCode)
			}
			if s.Created(PathALSC) != 0 {
				t.Error("created a customer")
			}
		})
	}
}

func TestALSCTimestampWithinWindow(t *testing.T) {
	for _, d := range []time.Duration{-9 * time.Minute, 9 * time.Minute} {
		p := alscParams(alscBiz())
		p["timestamp"] = alscClock.Add(d).Format(alsc.TimestampLayout)
		rec, _ := alscPost(t, alscServer(), p)
		if r := alsc.Parse(rec.Body.Bytes()); r.Outcome != "ok" {
			t.Errorf("%s off: %s", d, rec.Body)
		}
	}
}

func TestALSCBusinessChecks(t *testing.T) {
	tests := []struct {
		name    string
		mod     func(b map[string]any)
		subCode string
		field   string
	}{
		{"missing request_id", func(b map[string]any) { delete(b, "request_id") }, "isv.missing-parameter", "request_id"},
		{"request_id a number", func(b map[string]any) { b["request_id"] = 12 }, "isv.invalid-parameter", "request_id"},
		{"missing channel", func(b map[string]any) { delete(b, "channel") }, "isv.missing-parameter", "channel"},
		{"empty channel", func(b map[string]any) { b["channel"] = "" }, "isv.missing-parameter", "channel"},
		{"missing customer_type", func(b map[string]any) { delete(b, "customer_type") }, "isv.missing-parameter", "customer_type"},
		{"customer_type 2", func(b map[string]any) { b["customer_type"] = 2 }, "isv.invalid-parameter", "customer_type"},
		{"customer_type a string", func(b map[string]any) { b["customer_type"] = "1" }, "isv.invalid-parameter", "customer_type"},
		{"missing outer_id", func(b map[string]any) { delete(b, "outer_id") }, "isv.missing-parameter", "outer_id"},
		{"missing outer_type", func(b map[string]any) { b["outer_type"] = nil }, "isv.missing-parameter", "outer_type"},
		{"outer_id not a mobile", func(b map[string]any) { b["outer_id"] = "1341111111" }, "isv.invalid-parameter", "outer_id"},
		{"mobile 10 digits", func(b map[string]any) { b["mobile"] = "1341111111" }, "isv.invalid-parameter", "mobile"},
		{"mobile +86 too long", func(b map[string]any) { b["mobile"] = "+86134111111112" }, "isv.invalid-parameter", "mobile"},
		{"gender 2", func(b map[string]any) { b["gender"] = "2" }, "isv.invalid-parameter", "gender"},
		{"gender a number", func(b map[string]any) { b["gender"] = 1 }, "isv.invalid-parameter", "gender"},
		{"birthday date only", func(b map[string]any) { b["birthday"] = "2010-01-01" }, "isv.invalid-parameter", "birthday"},
		{"email", func(b map[string]any) { b["email"] = "xxx@" }, "isv.invalid-parameter", "email"},
		{"tag_id_list a string", func(b map[string]any) { b["tag_id_list"] = "爱吃辣" }, "isv.invalid-parameter", "tag_id_list"},
		{"tag_id_list with a blank", func(b map[string]any) { b["tag_id_list"] = []string{"a", " "} }, "isv.invalid-parameter", "tag_id_list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := alscServer()
			biz := alscBiz()
			tt.mod(biz)
			_, env := alscPost(t, s, alscParams(biz))
			code, sub, msg := alscErrorOf(t, env)
			if code != 50 || sub != tt.subCode || !strings.Contains(msg, tt.field) {
				t.Errorf("answer %v, want code 50, %s, sub_msg naming %s", env, tt.subCode, tt.field)
			}
			if s.Created(PathALSC) != 0 {
				t.Error("created a customer")
			}
		})
	}
}

func TestALSCAcceptsInternationalMobile(t *testing.T) {
	biz := alscBiz()
	biz["mobile"], biz["outer_id"] = "+85212344567", "+85212344567"
	rec, _ := alscPost(t, alscServer(), alscParams(biz))
	if r := alsc.Parse(rec.Body.Bytes()); r.Outcome != "ok" {
		t.Errorf("international mobile refused: %s", rec.Body)
	}
}

func TestALSCReplayReturnsTheFirstAnswer(t *testing.T) {
	s := alscServer()
	first, _ := alscPost(t, s, alscParams(alscBiz()))
	biz := alscBiz()
	biz["name"] = "someone else"
	p := alscParams(biz)
	p["timestamp"] = alscClock.Add(time.Minute).Format(alsc.TimestampLayout)
	again, _ := alscPost(t, s, p)
	if !bytes.Equal(first.Body.Bytes(), again.Body.Bytes()) || first.Header().Get("Content-Type") != again.Header().Get("Content-Type") {
		t.Errorf("replay differs:\n%s\n%s", first.Body, again.Body)
	}
	if got := s.Created(PathALSC); got != 1 {
		t.Errorf("created %d, want 1", got)
	}
	// The replay is still authenticated: a wrong sign is refused, not replayed.
	p["sign"] = "00"
	_, env := alscPost(t, s, p)
	if code, _, _ := alscErrorOf(t, env); code != 25 {
		t.Errorf("unsigned replay answered %v", env)
	}
}

// A replay is answered in the first answer's format, whatever it asks for,
// because it gets the first answer back.
func TestALSCReplayKeepsTheFirstFormat(t *testing.T) {
	for _, formats := range [][2]string{{"json", "xml"}, {"xml", "json"}, {"\x00", "json"}} {
		s := alscServer()
		p := alscParams(alscBiz())
		p["format"] = formats[0]
		first, _ := alscPost(t, s, p)
		want := "text/xml"
		if formats[0] == "json" {
			want = "application/json"
		}
		if ct := first.Header().Get("Content-Type"); !strings.HasPrefix(ct, want) {
			t.Errorf("format %q answered as %q", formats[0], ct)
		}
		p["format"] = formats[1]
		again, _ := alscPost(t, s, p)
		if !bytes.Equal(first.Body.Bytes(), again.Body.Bytes()) || first.Header().Get("Content-Type") != again.Header().Get("Content-Type") {
			t.Errorf("%q then %q: replay differs:\n%s\n%s", formats[0], formats[1], first.Body, again.Body)
		}
		if r := alsc.Parse(again.Body.Bytes()); r.Outcome != "ok" || len(r.CustomerIDs) != 1 || s.Created(PathALSC) != 1 {
			t.Errorf("%q then %q: %+v, created %d", formats[0], formats[1], r, s.Created(PathALSC))
		}
	}
}

// Request IDs are told apart by the whole of app key and request_id.
func TestALSCRequestIDsAreDistinct(t *testing.T) {
	s := alscServer()
	ids := map[string]bool{}
	for _, id := range []string{"req-1", "req-10", "req-1\x00", "REQ-1", strings.Repeat("x", 300), strings.Repeat("x", 301)} {
		biz := alscBiz()
		biz["request_id"] = id
		rec, _ := alscPost(t, s, alscParams(biz))
		r := alsc.Parse(rec.Body.Bytes())
		if r.Outcome != "ok" || len(r.CustomerIDs) != 1 || ids[r.CustomerIDs[0]] {
			t.Errorf("request_id %q: %s", id, rec.Body)
		}
		if len(r.CustomerIDs) == 1 {
			ids[r.CustomerIDs[0]] = true
		}
	}
	if got := s.Created(PathALSC); got != 6 {
		t.Errorf("created %d, want 6", got)
	}
}

func TestALSCConcurrentReplaysCreateOnce(t *testing.T) {
	s := alscServer()
	p := alscParams(alscBiz())
	bodies := make([][]byte, 16)
	var wg sync.WaitGroup
	for i := range bodies {
		wg.Go(func() {
			rec, _ := alscPost(t, s, p)
			bodies[i] = rec.Body.Bytes()
		})
	}
	wg.Wait()
	for _, b := range bodies {
		if !bytes.Equal(b, bodies[0]) {
			t.Errorf("answers differ:\n%s\n%s", b, bodies[0])
		}
	}
	if got := s.Created(PathALSC); got != 1 {
		t.Errorf("created %d, want 1", got)
	}
}

func TestALSCXMLFormat(t *testing.T) {
	for _, format := range []string{"xml", "\x00"} {
		s := alscServer()
		p := alscParams(alscBiz())
		p["format"] = format
		rec, _ := alscPost(t, s, p)
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") {
			t.Errorf("format %q: content type %q", format, ct)
		}
		r := alsc.Parse(rec.Body.Bytes())
		if r.Outcome != "ok" || len(r.CustomerIDs) != 1 || !strings.Contains(rec.Body.String(), "<biz_success>true</biz_success>") {
			t.Errorf("format %q: %+v\n%s", format, r, rec.Body)
		}
		p["app_key"] = "nobody"
		rec, _ = alscPost(t, s, p)
		if r := alsc.Parse(rec.Body.Bytes()); r.Code != "29" || !strings.HasPrefix(rec.Body.String(), "<?xml") {
			t.Errorf("format %q error: %+v\n%s", format, r, rec.Body)
		}
	}
}

func TestALSCRetryableError(t *testing.T) {
	s := alscServer()
	s.SetFaults(Faults{Rate: 1, Kinds: []string{FaultError}})
	seen := map[string]bool{}
	for range 64 {
		rec, env := alscPost(t, s, alscParams(alscBiz()))
		code, sub, _ := alscErrorOf(t, env)
		r := alsc.Parse(rec.Body.Bytes())
		switch {
		case code == 7 && sub == "accesscontrol.limited-by-app-access-count" && r.RateLimited && r.Retryable:
		case code == 15 && sub == "isp.remote-service-timeout" && !r.RateLimited && r.Retryable:
		default:
			t.Fatalf("not a retryable TOP error: %s -> %+v", rec.Body, r)
		}
		seen[sub] = true
	}
	if len(seen) != 2 {
		t.Errorf("drew only %v in 64 tries", seen)
	}
	if s.Created(PathALSC) != 0 {
		t.Error("a faulted request created a customer")
	}
}
