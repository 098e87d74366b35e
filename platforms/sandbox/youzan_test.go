package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// The seed page's request example with the demo appId: every field of the page,
// each with the page's type.
const youzanSeedExample = `{
"rootKdtId": 0, "appId": "sandbox-youzan-app", "globalProps": {"key": {}}, "extendMap": {"key": {}},
"yzOpenId": "string", "outStoreId": "string", "yzAscriptionKdtId": 0, "outAscriptionStoreId": "string",
"yzMemberSourceKdtId": 0, "outMemberSourceStoreId": "string", "name": "string", "gender": "1",
"mobile": "13411111111", "nickname": "string", "avatarUrl": "string", "birthday": "1990-01-01",
"customerCreatedTime": "2024-01-01 10:00:00", "memberCreatedTime": "2024-01-01 10:00:00",
"memberSourceChannel": 0, "memberSrcWay": "0", "customerSourceChannel": 0,
"address": {"countyName": "string", "cityName": "string", "provinceName": "string", "areaCode": "string", "addressDetail": "string"},
"weixin": {"nickname": "string", "avatar": "string", "account": "string"},
"customerAttrInfos": [{"name": "string", "value": "string", "dataType": 0}],
"freeLevel": {"levelType": 1, "yzLevelName": "string", "yzLevelAlias": "string", "outLevelName": "string", "outLevelAlias": "string"},
"paymentLevel": {"levelType": 2, "yzLevelName": "string", "yzLevelAlias": "string", "outLevelName": "string", "outLevelAlias": "string"}
}`

type youzanAnswer struct {
	Status int
	Body   string
	Env    struct {
		Success   *bool             `json:"success"`
		Code      *int              `json:"code"`
		Message   string            `json:"message"`
		RequestID string            `json:"requestId"`
		ErrorData map[string]string `json:"errorData"`
		Data      *struct {
			OutOpenID json.RawMessage `json:"outOpenId"`
		} `json:"data"`
	}
}

func postYouzan(t *testing.T, s *Server, body string, headers map[string]string) youzanAnswer {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, PathYouzan, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	a := youzanAnswer{Status: w.Code, Body: w.Body.String()}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	if err := json.Unmarshal(w.Body.Bytes(), &a.Env); err != nil {
		t.Fatalf("answer is not JSON: %v: %s", err, w.Body)
	}
	if a.Env.Success == nil || a.Env.Code == nil || a.Env.RequestID == "" {
		t.Fatalf("answer lacks success, code or requestId: %s", a.Body)
	}
	return a
}

var youzanAuth = map[string]string{"Authorization": DemoYouzanToken}

func youzanBody(t *testing.T, edit func(m map[string]any)) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(youzanSeedExample), &m); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestYouzanAcceptsTheSeedExample(t *testing.T) {
	s := New(Demo())
	a := postYouzan(t, s, youzanSeedExample, youzanAuth)
	if a.Status != 200 || !*a.Env.Success || *a.Env.Code != 200 || a.Env.Data == nil {
		t.Fatalf("answer %d %s", a.Status, a.Body)
	}
	var id string
	if err := json.Unmarshal(a.Env.Data.OutOpenID, &id); err != nil || id == "" {
		t.Errorf("outOpenId %s is not a non-empty string", a.Env.Data.OutOpenID)
	}
	if s.Created(PathYouzan) != 1 || s.Requests(PathYouzan) != 1 {
		t.Errorf("created %d requests %d, want 1 and 1", s.Created(PathYouzan), s.Requests(PathYouzan))
	}
	again := postYouzan(t, s, youzanSeedExample, youzanAuth)
	if string(again.Env.Data.OutOpenID) == string(a.Env.Data.OutOpenID) || again.Env.RequestID == a.Env.RequestID {
		t.Error("a second creation reused the outOpenId or requestId")
	}
}

func TestYouzanMinimalBody(t *testing.T) {
	for _, body := range []string{
		`{"appId":"sandbox-youzan-app","extendMap":{},"mobile":"13411111111"}`,
		`{"appId":"sandbox-youzan-app","extendMap":{},"mobile":"+852-12344567"}`,
		`{"appId":"sandbox-youzan-app","extendMap":{},"mobile":"+44-7911123456","gender":"","birthday":""}`,
	} {
		if a := postYouzan(t, New(Demo()), body, youzanAuth); !*a.Env.Success {
			t.Errorf("%s refused: %s", body, a.Body)
		}
	}
}

func TestYouzanRefusals(t *testing.T) {
	cases := []struct {
		name    string
		body    string
		headers map[string]string
		status  int
		code    int
		msgHas  string
		field   string
	}{
		{name: "no authorization", headers: map[string]string{"Authorization": ""}, status: 401, code: 401, msgHas: "缺少请求头 Authorization"},
		{name: "wrong authorization", headers: map[string]string{"Authorization": "Bearer guess"}, status: 401, code: 401, msgHas: "Authorization 的值不正确"},
		{name: "form content type", headers: map[string]string{"Authorization": DemoYouzanToken, "Content-Type": "application/x-www-form-urlencoded"},
			status: 415, code: 415, msgHas: "application/json"},
		{name: "not json", body: "appId=x", status: 200, code: 400, msgHas: "JSON 对象"},
		{name: "json array", body: "[]", status: 200, code: 400, msgHas: "JSON 对象"},
		{name: "truncated json", body: `{"appId":"sandbox-youzan-app"`, status: 200, code: 400, msgHas: "不是合法的 JSON"},
		{name: "mistyped field", body: `{"appId":"sandbox-youzan-app","extendMap":{},"mobile":13411111111}`, status: 200, code: 400, msgHas: "参数类型错误", field: "mobile"},
		{name: "mistyped nested field", body: `{"appId":"sandbox-youzan-app","extendMap":{},"mobile":"13411111111","address":{"cityName":1}}`,
			status: 200, code: 400, msgHas: "参数类型错误", field: "address.cityName"},
		{name: "no appId", body: `{"extendMap":{},"mobile":"13411111111"}`, status: 200, code: 400, msgHas: "appId 不能为空", field: "appId"},
		{name: "wrong appId", body: youzanBody(t, func(m map[string]any) { m["appId"] = "other" }), status: 200, code: 403, msgHas: "appId 无效", field: "appId"},
		{name: "no extendMap", body: youzanBody(t, func(m map[string]any) { delete(m, "extendMap") }), status: 200, code: 400, msgHas: "extendMap 不能为空", field: "extendMap"},
		{name: "null extendMap", body: youzanBody(t, func(m map[string]any) { m["extendMap"] = nil }), status: 200, code: 400, msgHas: "extendMap", field: "extendMap"},
		{name: "extendMap array", body: youzanBody(t, func(m map[string]any) { m["extendMap"] = []any{} }), status: 200, code: 400, msgHas: "必须为对象", field: "extendMap"},
		{name: "globalProps string", body: youzanBody(t, func(m map[string]any) { m["globalProps"] = "x" }), status: 200, code: 400, msgHas: "globalProps", field: "globalProps"},
		{name: "no mobile", body: youzanBody(t, func(m map[string]any) { delete(m, "mobile") }), status: 200, code: 400, msgHas: "mobile 不能为空", field: "mobile"},
		{name: "mobile short", body: youzanBody(t, func(m map[string]any) { m["mobile"] = "1341111111" }), status: 200, code: 400, msgHas: "+852-12344567", field: "mobile"},
		{name: "mobile e164 mainland", body: youzanBody(t, func(m map[string]any) { m["mobile"] = "+8613411111111" }), status: 200, code: 400, msgHas: "mobile 格式错误", field: "mobile"},
		{name: "mobile +86 dashed", body: youzanBody(t, func(m map[string]any) { m["mobile"] = "+86-13411111111" }), status: 200, code: 400, msgHas: "mobile 格式错误", field: "mobile"},
		{name: "mobile hk undashed", body: youzanBody(t, func(m map[string]any) { m["mobile"] = "+85212344567" }), status: 200, code: 400, msgHas: "mobile 格式错误", field: "mobile"},
		{name: "mobile hk spaced", body: youzanBody(t, func(m map[string]any) { m["mobile"] = "+852-1234 4567" }), status: 200, code: 400, msgHas: "mobile 格式错误", field: "mobile"},
		{name: "mobile hk too long", body: youzanBody(t, func(m map[string]any) { m["mobile"] = "+852-123445678901" }), status: 200, code: 400, msgHas: "mobile 格式错误", field: "mobile"},
		{name: "gender word", body: youzanBody(t, func(m map[string]any) { m["gender"] = "male" }), status: 200, code: 400, msgHas: "gender 取值", field: "gender"},
		{name: "gender number", body: youzanBody(t, func(m map[string]any) { m["gender"] = 1 }), status: 200, code: 400, msgHas: "参数类型错误", field: "gender"},
		{name: "birthday with time", body: youzanBody(t, func(m map[string]any) { m["birthday"] = "1990-01-01 00:00:00" }), status: 200, code: 400, msgHas: "yyyy-MM-dd", field: "birthday"},
		{name: "birthday impossible", body: youzanBody(t, func(m map[string]any) { m["birthday"] = "1990-02-30" }), status: 200, code: 400, msgHas: "birthday", field: "birthday"},
		{name: "created time as date", body: youzanBody(t, func(m map[string]any) { m["memberCreatedTime"] = "2024-01-01" }), status: 200, code: 400, msgHas: "HH:mm:ss", field: "memberCreatedTime"},
		{name: "attr without name", body: youzanBody(t, func(m map[string]any) {
			m["customerAttrInfos"] = []any{map[string]any{"name": "a", "value": "1"}, map[string]any{"name": " ", "value": "2"}}
		}), status: 200, code: 400, msgHas: "customerAttrInfos[1].name 不能为空", field: "customerAttrInfos[1].name"},
		{name: "free level without alias", body: youzanBody(t, func(m map[string]any) { m["freeLevel"] = map[string]any{"levelType": 1} }),
			status: 200, code: 400, msgHas: "freeLevel.yzLevelAlias 不能为空", field: "freeLevel.yzLevelAlias"},
		{name: "payment level bad type", body: youzanBody(t, func(m map[string]any) { m["paymentLevel"] = map[string]any{"levelType": 3, "yzLevelAlias": "x"} }),
			status: 200, code: 400, msgHas: "paymentLevel.levelType", field: "paymentLevel.levelType"},
		{name: "fractional kdt id", body: youzanBody(t, func(m map[string]any) { m["rootKdtId"] = 1.5 }), status: 200, code: 400, msgHas: "参数类型错误", field: "rootKdtId"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Demo())
			headers := tc.headers
			if headers == nil {
				headers = youzanAuth
			}
			body := tc.body
			if body == "" {
				body = youzanSeedExample
			}
			a := postYouzan(t, s, body, headers)
			if a.Status != tc.status || *a.Env.Success || *a.Env.Code != tc.code || !strings.Contains(a.Env.Message, tc.msgHas) {
				t.Errorf("answer %d %s; want HTTP %d, success=false, code %d, message containing %q", a.Status, a.Body, tc.status, tc.code, tc.msgHas)
			}
			if tc.field != "" && a.Env.ErrorData["field"] != tc.field {
				t.Errorf("errorData %v, want field %q", a.Env.ErrorData, tc.field)
			}
			if a.Env.Data != nil {
				t.Errorf("a refusal carries data: %s", a.Body)
			}
			if strings.Contains(a.Body, DemoYouzanToken) {
				t.Error("the answer echoes the expected token")
			}
			if n := s.Created(PathYouzan); n != 0 {
				t.Errorf("created %d on a refusal", n)
			}
		})
	}
}

func TestYouzanChecksEveryConfiguredHeader(t *testing.T) {
	cfg := Demo()
	cfg.YouzanHeaders = map[string]string{"Authorization": DemoYouzanToken, "x-shared-key": "k1"}
	s := New(cfg)
	a := postYouzan(t, s, youzanSeedExample, youzanAuth)
	if a.Status != 401 || a.Env.ErrorData["header"] != "X-Shared-Key" {
		t.Errorf("answer %d %s, want 401 naming X-Shared-Key", a.Status, a.Body)
	}
	a = postYouzan(t, s, youzanSeedExample, map[string]string{"Authorization": DemoYouzanToken, "X-Shared-Key": "k1"})
	if !*a.Env.Success {
		t.Errorf("answer %s with every header right", a.Body)
	}

	// No headers configured: nothing to check.
	cfg.YouzanHeaders = nil
	if a := postYouzan(t, New(cfg), youzanSeedExample, nil); !*a.Env.Success {
		t.Errorf("answer %s with no headers configured", a.Body)
	}
}

func TestYouzanRetryableError(t *testing.T) {
	s := New(Demo())
	s.SetFaults(Faults{Rate: 1, Kinds: []string{FaultError}})
	a := postYouzan(t, s, youzanSeedExample, youzanAuth)
	if a.Status != 200 || *a.Env.Success || *a.Env.Code != 500 || a.Env.Message != "系统繁忙,请稍后重试" {
		t.Errorf("answer %d %s", a.Status, a.Body)
	}
	if s.Created(PathYouzan) != 0 {
		t.Error("a faulted request created a member")
	}
}

func TestYouzanConcurrentCreations(t *testing.T) {
	s := New(Demo())
	const n = 32
	var wg sync.WaitGroup
	ids := make([]string, n)
	for i := range n {
		wg.Go(func() {
			req := httptest.NewRequest(http.MethodPost, PathYouzan, strings.NewReader(youzanSeedExample))
			req.Header.Set("Content-Type", "application/json; charset=utf-8")
			req.Header.Set("Authorization", DemoYouzanToken)
			w := httptest.NewRecorder()
			s.ServeHTTP(w, req)
			var env struct {
				Data struct{ OutOpenID string } `json:"data"`
			}
			_ = json.Unmarshal(w.Body.Bytes(), &env)
			ids[i] = env.Data.OutOpenID
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, id := range ids {
		if id == "" || seen[id] {
			t.Errorf("missing or repeated outOpenId %q", id)
		}
		seen[id] = true
	}
	if s.Created(PathYouzan) != n {
		t.Errorf("created %d, want %d", s.Created(PathYouzan), n)
	}
}

func TestYouzanRefusesOversizedBody(t *testing.T) {
	body := `{"appId":"sandbox-youzan-app","extendMap":{},"mobile":"13411111111","name":"` + strings.Repeat("x", youzanMaxBody) + `"}`
	a := postYouzan(t, New(Demo()), body, youzanAuth)
	if *a.Env.Success || *a.Env.Code != 400 || !strings.Contains(a.Env.Message, "1 MiB") {
		t.Errorf("answer %d %s", a.Status, a.Body)
	}
}
