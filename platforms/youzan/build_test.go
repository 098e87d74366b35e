package youzan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var fixedTime = time.Date(2026, 5, 18, 14, 30, 0, 0, time.FixedZone("CST", 8*3600))

// fullCustomer fills every field, including ones Youzan does not take (email,
// phone, tags, remark, whatsapp, …), so the golden body shows they are left out.
func fullCustomer() platforms.Customer {
	return platforms.Customer{
		Name: "王小二", FirstName: "小二", LastName: "王",
		Mobile: "+86 134 1111 1111", Phone: "0571-87658765", Email: "wang@example.com",
		Gender: platforms.GenderFemale, Birthday: "1990-05-17",
		Country: "中国", Province: "浙江省", City: "杭州市", District: "西湖区", AreaCode: "330106",
		Address: "文三路 90 号 A&B 座 <3F>",
		Tags:    []string{"vip", "new"}, Remark: "walk-in", Level: "VIP1", Member: platforms.Bool(false),
		Nickname: "小二", Wechat: "wx_wang2", WhatsApp: "8613411111111",
		TimeZone: "Asia/Shanghai", Agent: "agent@example.com", Invoice: "INV-1",
		Custom: map[string]string{"偏好": "茶", "b": "2", "a": "1"},
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, bytes.TrimSuffix(want, []byte("\n"))) {
		t.Errorf("body differs from %s\n got: %s\nwant: %s", path, got, want)
	}
}

func mustClient(t testing.TB, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBuildGoldenFull(t *testing.T) {
	c := mustClient(t, validConfig())
	sub := platforms.Submission{RequestID: "req-1", Customers: []platforms.Customer{fullCustomer()}, Time: fixedTime}
	req, trace, err := c.Build(sub)
	if err != nil {
		t.Fatal(err)
	}
	sent, err := io.ReadAll(req.Body)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "build_full.golden.json", sent)

	if req.Method != http.MethodPost || req.URL.String() != "https://connector.example.com/youzan/MemberCreateExtension" {
		t.Errorf("request line %s %s", req.Method, req.URL)
	}
	if got := req.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type %q", got)
	}
	if got := req.Header.Get("Authorization"); got != "Bearer s3cret-token" {
		t.Errorf("Authorization sent as %q, want the configured value", got)
	}
	if req.GetBody == nil {
		t.Error("request has no GetBody: redirects and retries of the transport cannot resend it")
	}

	wantTrace := platforms.Trace{
		Method: http.MethodPost, URL: "https://connector.example.com/youzan/MemberCreateExtension",
		Headers: map[string]string{"Content-Type": "application/json", "Authorization": "Bearer ******"},
		Body:    sent, Signed: "",
		Redactions: []platforms.Redaction{{Part: platforms.PartHeader("Authorization"), Offset: len("Bearer "), Var: "CUSTDESK_YOUZAN_TOKEN"}},
	}
	if !reflect.DeepEqual(trace, wantTrace) {
		t.Errorf("trace =\n %+v\nwant\n %+v", trace, wantTrace)
	}
	if strings.Contains(string(trace.Body)+trace.URL+trace.Signed+strings.Join(mapValues(trace.Headers), " "), "s3cret") {
		t.Error("the token appears in the trace")
	}
}

func TestBuildGoldenMinimal(t *testing.T) {
	cfg := validConfig()
	cfg.RootKdtID, cfg.OutStoreID, cfg.Headers = 0, "", nil
	c := mustClient(t, cfg)
	req, trace, err := c.Build(platforms.Submission{Customers: []platforms.Customer{{Mobile: "+852 1234 4567"}}, Time: fixedTime})
	if err != nil {
		t.Fatal(err)
	}
	sent, _ := io.ReadAll(req.Body)
	golden(t, "build_minimal.golden.json", sent)
	if !bytes.Equal(trace.Body, sent) {
		t.Errorf("trace body %s differs from the bytes sent %s", trace.Body, sent)
	}
	if len(trace.Headers) != 1 {
		t.Errorf("trace headers %v, want only Content-Type", trace.Headers)
	}
}

// TestBuildMatchesSeedExample checks every key the client sends against the seed
// page's request example: the name must exist there, at the same place, with the
// same JSON kind.
func TestBuildMatchesSeedExample(t *testing.T) {
	example := readJSON(t, filepath.Join("testdata", "seed_request_example.json"))
	c := mustClient(t, validConfig())
	req, _, err := c.Build(platforms.Single("r", fullCustomer()))
	if err != nil {
		t.Fatal(err)
	}
	sent, _ := io.ReadAll(req.Body)
	var body any
	if err := json.Unmarshal(sent, &body); err != nil {
		t.Fatal(err)
	}
	conforms(t, "", body, example)

	// The page's required keys are always there, extendMap as an object.
	m := body.(map[string]any)
	for _, k := range []string{"appId", "extendMap", "mobile"} {
		if _, ok := m[k]; !ok {
			t.Errorf("required key %s missing", k)
		}
	}
	if _, ok := m["extendMap"].(map[string]any); !ok {
		t.Errorf("extendMap is %T, want an object", m["extendMap"])
	}
}

func conforms(t *testing.T, path string, got, example any) {
	t.Helper()
	switch g := got.(type) {
	case map[string]any:
		e, ok := example.(map[string]any)
		if !ok {
			t.Errorf("%s: object where the page has %T", path, example)
			return
		}
		for k, v := range g {
			ev, ok := e[k]
			if !ok {
				t.Errorf("%s.%s: key not in the seed page's example", path, k)
				continue
			}
			if path == "" && k == "extendMap" {
				continue // a free-form map: the example's "key" is a placeholder
			}
			conforms(t, path+"."+k, v, ev)
		}
	case []any:
		e, ok := example.([]any)
		if !ok || len(e) == 0 {
			t.Errorf("%s: array where the page has %T", path, example)
			return
		}
		for _, v := range g {
			conforms(t, path+"[]", v, e[0])
		}
	default:
		if reflect.TypeOf(got) != reflect.TypeOf(example) {
			t.Errorf("%s: %T where the page has %T", path, got, example)
		}
	}
}

func readJSON(t *testing.T, path string) any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func mapValues(m map[string]string) []string {
	var vs []string
	for _, v := range m {
		vs = append(vs, v)
	}
	return vs
}

func TestBuildBytesAreDeterministic(t *testing.T) {
	c := mustClient(t, validConfig())
	var first []byte
	for i := 0; i < 20; i++ {
		_, trace, err := c.Build(platforms.Single("r", fullCustomer()))
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = trace.Body
		} else if !bytes.Equal(first, trace.Body) {
			t.Fatalf("body changed between builds:\n%s\n%s", first, trace.Body)
		}
	}
}

func TestBuildMapping(t *testing.T) {
	c := mustClient(t, validConfig())
	cases := []struct {
		name string
		cu   platforms.Customer
		want map[string]any // keys that must hold these values; nil value: key absent
	}{
		{"male", platforms.Customer{Mobile: "13411111111", Gender: "male"}, map[string]any{"gender": "1"}},
		{"female", platforms.Customer{Mobile: "13411111111", Gender: "female"}, map[string]any{"gender": "2"}},
		{"unknown gender", platforms.Customer{Mobile: "13411111111", Gender: "unknown"}, map[string]any{"gender": "0"}},
		{"no gender", platforms.Customer{Mobile: "13411111111"}, map[string]any{"gender": nil, "address": nil, "weixin": nil,
			"freeLevel": nil, "customerAttrInfos": nil, "name": nil, "birthday": nil}},
		{"mainland digits", platforms.Customer{Mobile: "13411111111"}, map[string]any{"mobile": "13411111111"}},
		{"mainland e164", platforms.Customer{Mobile: "+8613411111111"}, map[string]any{"mobile": "13411111111"}},
		{"hong kong", platforms.Customer{Mobile: "+85212344567"}, map[string]any{"mobile": "+852-12344567"}},
		{"hong kong dashed", platforms.Customer{Mobile: "+852-12344567"}, map[string]any{"mobile": "+852-12344567"}},
		{"uk", platforms.Customer{Mobile: "+44 7911 123456"}, map[string]any{"mobile": "+44-7911123456"}},
		{"no mobile", platforms.Customer{Name: "x"}, map[string]any{"mobile": nil}},
		{"area code alone", platforms.Customer{Mobile: "13411111111", AreaCode: "330106"},
			map[string]any{"address": map[string]any{"areaCode": "330106"}}},
		{"config constants", platforms.Customer{Mobile: "13411111111"},
			map[string]any{"appId": "app-1", "rootKdtId": json.Number("10001"), "outStoreId": "store-1", "extendMap": map[string]any{}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, trace, err := c.Build(platforms.Single("r", tc.cu))
			if err != nil {
				t.Fatal(err)
			}
			var body map[string]any
			if err := platforms.DecodeJSON(trace.Body, &body); err != nil {
				t.Fatal(err)
			}
			for k, want := range tc.want {
				got, ok := body[k]
				if want == nil {
					if ok {
						t.Errorf("%s = %v, want it omitted", k, got)
					}
					continue
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %#v, want %#v", k, got, want)
				}
			}
		})
	}
}

func TestBuildRefusals(t *testing.T) {
	c := mustClient(t, validConfig())
	cases := []struct {
		name string
		sub  platforms.Submission
		want string
	}{
		{"no customer", platforms.Submission{}, "holds 0 customers"},
		{"two customers", platforms.Submission{Customers: []platforms.Customer{{Mobile: "13411111111"}, {Mobile: "13511111111"}}}, "holds 2 customers"},
		{"unwritable mobile", platforms.Single("r", platforms.Customer{Mobile: "12345"}), `mobile "12345" cannot be written`},
		{"unknown gender", platforms.Single("r", platforms.Customer{Mobile: "13411111111", Gender: "m"}), `gender "m" has no Youzan value`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, trace, err := c.Build(tc.sub)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Build error %v, want one containing %q", err, tc.want)
			}
			if req != nil {
				t.Error("Build returned a request with its error")
			}
			if trace.URL == "" || trace.Method != http.MethodPost {
				t.Errorf("trace %+v: a failed build still says where it would have gone", trace)
			}

			// Send turns the refusal into a Rejected exchange and sends nothing.
			c.Caller.Client = &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
				t.Error("Send reached the network after Build failed")
				return nil, errors.New("unreachable")
			})}
			ex := c.Send(context.Background(), tc.sub)
			if ex.Result.Outcome != platforms.Rejected || ex.Result.Code != "BUILD" || !strings.Contains(ex.Result.Message, tc.want) {
				t.Errorf("Send result %+v", ex.Result)
			}
			if ex.Platform != Name || ex.Started.IsZero() {
				t.Errorf("exchange %+v lacks platform or start time", ex)
			}
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTraceMasksSecrets(t *testing.T) {
	cfg := validConfig()
	cfg.BaseURL = "https://user:pa55word@connector.example.com"
	cfg.Headers = map[string]string{"Authorization": "Bearer tok-123", "X-Api-Key": "key-456", "X-Shared": "Secret With Spaces"}
	c := mustClient(t, cfg)
	req, trace, err := c.Build(platforms.Single("r", platforms.Customer{Mobile: "13411111111"}))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Content-Type":  "application/json",
		"Authorization": "Bearer ******",
		"X-Api-Key":     "******",
		"X-Shared":      "Secret ******",
	}
	if !reflect.DeepEqual(trace.Headers, want) {
		t.Errorf("trace headers %v, want %v", trace.Headers, want)
	}
	if trace.URL != "https://user:******@connector.example.com/MemberCreateExtension" {
		t.Errorf("trace URL %q", trace.URL)
	}
	if req.URL.User.String() != "user:pa55word" || req.Header.Get("X-Api-Key") != "key-456" {
		t.Error("the request itself must carry the real credentials")
	}
	all, _ := json.Marshal(trace)
	for _, secret := range []string{"pa55word", "tok-123", "key-456", "With Spaces"} {
		if strings.Contains(string(all), secret) {
			t.Errorf("secret %q appears in the trace %s", secret, all)
		}
	}
}

func TestFormatMobile(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"13411111111", "13411111111", true},
		{" 13411111111 ", "13411111111", true},
		{"+8613411111111", "13411111111", true},
		{"+86-134-1111-1111", "13411111111", true},
		{"+852 1234 4567", "+852-12344567", true},
		{"+853 6612 3456", "+853-66123456", true},
		{"+1 415 555 2671", "+1-4155552671", true},
		{"12345", "", false},
		{"23411111111", "", false},
		{"+86 2411111111", "", false},
		{"", "", false},
		{"+852-abc", "", false},
	}
	for _, tc := range cases {
		got, ok := FormatMobile(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("FormatMobile(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestClientIdentity(t *testing.T) {
	c := mustClient(t, validConfig())
	if c.Name() != "youzan" || c.Title() != "Youzan" || c.MaxBatch() != 1 {
		t.Errorf("Name %q Title %q MaxBatch %d", c.Name(), c.Title(), c.MaxBatch())
	}
}
