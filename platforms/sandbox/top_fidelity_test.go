package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms/alsc"
)

// signed returns params with their sign, as the sandbox's own TOP verifier
// expects it (topSign, not the client's signer).
func signedParams(t *testing.T, params map[string]string) url.Values {
	t.Helper()
	sign, err := topSign(params, DemoALSCAppSecret, params["sign_method"])
	if err != nil {
		t.Fatal(err)
	}
	v := url.Values{}
	for k, x := range params {
		v.Set(k, x)
	}
	v.Set("sign", sign)
	return v
}

func serve(s *Server, req *http.Request) map[string]any {
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	var env map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &env)
	return env
}

func createdOK(env map[string]any) bool {
	_, ok := env[alsc.ResponseKey]
	return ok
}

// The SDKs' layouts: everything in a GET query; system parameters in the query
// with business parameters in the body (Java, PHP, Python); everything in the
// body (this client).
func TestTOPParameterLayouts(t *testing.T) {
	s := alscServer()
	all := signedParams(t, alscParams(alscBiz()))

	get := httptest.NewRequest(http.MethodGet, PathALSC+"?"+all.Encode(), nil)
	if env := serve(s, get); !createdOK(env) {
		t.Errorf("GET with every parameter in the query: %v", env)
	}

	biz := alscBiz()
	biz["request_id"] = "req-split"
	split := signedParams(t, alscParams(biz))
	body := url.Values{alsc.BusinessParam: {split.Get(alsc.BusinessParam)}}
	split.Del(alsc.BusinessParam)
	post := httptest.NewRequest(http.MethodPost, PathALSC+"?"+split.Encode(), strings.NewReader(body.Encode()))
	post.Header.Set("Content-Type", alsc.ContentType)
	if env := serve(s, post); !createdOK(env) {
		t.Errorf("system parameters in the query, business in the body: %v", env)
	}
	if got := s.Created(PathALSC); got != 2 {
		t.Errorf("created %d, want 2", got)
	}
}

// The official Python SDK sends the timestamp as milliseconds since the epoch.
func TestTOPMillisecondTimestamp(t *testing.T) {
	for d, wantOK := range map[time.Duration]bool{0: true, 9 * time.Minute: true, -11 * time.Minute: false} {
		p := alscParams(alscBiz())
		p["timestamp"] = strconv.FormatInt(alscClock.Add(d).UnixMilli(), 10)
		env := serve(alscServer(), httptest.NewRequest(http.MethodGet, PathALSC+"?"+signedParams(t, p).Encode(), nil))
		if createdOK(env) != wantOK {
			t.Errorf("millisecond timestamp %s off: %v", d, env)
		}
	}
}

// TOP's own words, as real error bodies show them.
func TestTOPWording(t *testing.T) {
	for name, tc := range map[string]struct {
		mod     func(url.Values)
		code    float64
		msg     string
		subCode bool
	}{
		"signature": {func(v url.Values) { v.Set("sign", strings.Repeat("A", 64)) }, 25, "Invalid signature", false},
		"app key":   {func(v url.Values) { v.Set("app_key", "other") }, 29, "Invalid app Key", true},
		"argument":  {func(v url.Values) { v.Del(alsc.BusinessParam) }, 40, "Missing required arguments:" + alsc.BusinessParam, false},
	} {
		t.Run(name, func(t *testing.T) {
			v := signedParams(t, alscParams(alscBiz()))
			tc.mod(v)
			if tc.code == 40 {
				p := map[string]string{}
				for k := range v {
					if k != "sign" {
						p[k] = v.Get(k)
					}
				}
				v = signedParams(t, p)
			}
			env := serve(alscServer(), httptest.NewRequest(http.MethodGet, PathALSC+"?"+v.Encode(), nil))
			e, _ := env[alsc.ErrorKey].(map[string]any)
			_, hasSub := e["sub_code"]
			if e["code"] != tc.code || e["msg"] != tc.msg || hasSub != tc.subCode {
				t.Errorf("answer %v, want code %v msg %q (sub_code: %v)", env, tc.code, tc.msg, tc.subCode)
			}
		})
	}
}
