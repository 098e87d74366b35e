package nxlink

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
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

const testSecret = "test-secret-0f9e"

func newTestClient(t testing.TB, cfg Config) *Client {
	t.Helper()
	if cfg.AccessKey == "" {
		cfg.AccessKey = "fme2na3kdi3ki"
	}
	if cfg.AccessSecret == "" {
		cfg.AccessSecret = testSecret
	}
	if cfg.TenantID == 0 {
		cfg.TenantID = 123
	}
	if cfg.AppKey == "" {
		cfg.AppKey = "46oKF=os"
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewDefaultsAndErrors(t *testing.T) {
	c := newTestClient(t, Config{Type: TypeKeep, Timeout: 3 * time.Second})
	if c.Endpoint() != "https://chl-api.nxlink.ai/saas/cdp/openapi/customers/batch_create" {
		t.Errorf("endpoint = %s", c.Endpoint())
	}
	if c.Config().SignAlgorithm != AlgorithmMD5 || c.Caller.Timeout != 3*time.Second || c.Config().Type != TypeKeep {
		t.Errorf("config = %+v, caller timeout %s", c.Config(), c.Caller.Timeout)
	}
	if c.Name() != "nxlink" || c.Title() != "NXLink" || c.MaxBatch() != 100 {
		t.Errorf("identity = %s %s %d", c.Name(), c.Title(), c.MaxBatch())
	}
	if d := DefaultConfig(); d.Type != TypeMerge || d.SignAlgorithm != "md5" || d.BaseURL != DefaultBaseURL {
		t.Errorf("DefaultConfig = %+v", d)
	}

	for base, want := range map[string]string{
		"http://127.0.0.1:8080":                             "http://127.0.0.1:8080/saas/cdp/openapi/customers/batch_create",
		"http://127.0.0.1:8080/":                            "http://127.0.0.1:8080/saas/cdp/openapi/customers/batch_create",
		"https://h/saas/cdp/openapi/customers/batch_create": "https://h/saas/cdp/openapi/customers/batch_create",
		"https://h/proxy/nx/":                               "https://h/proxy/nx/saas/cdp/openapi/customers/batch_create",
	} {
		if got := newTestClient(t, Config{BaseURL: base}).Endpoint(); got != want {
			t.Errorf("BaseURL %s -> %s, want %s", base, got, want)
		}
	}
	if c := newTestClient(t, Config{SignAlgorithm: "SHA256"}); c.Config().SignAlgorithm != AlgorithmSHA256 {
		t.Errorf("SHA256 not normalised: %q", c.Config().SignAlgorithm)
	}

	valid := Config{AccessKey: "k", AccessSecret: "s", TenantID: 1, AppKey: "a", Type: 1}
	for _, c := range []struct {
		change func(*Config)
		want   string
	}{
		{func(c *Config) { c.AccessKey = "" }, "access_key is empty"},
		{func(c *Config) { c.AccessSecret = "" }, "access_secret is empty"},
		{func(c *Config) { c.AppKey = "" }, "app_key is empty"},
		{func(c *Config) { c.TenantID = 0 }, "tenant_id 0"},
		{func(c *Config) { c.SignAlgorithm = "sha1" }, `sign_algorithm "sha1"`},
		{func(c *Config) { c.Type = 3 }, "type 3"},
		{func(c *Config) { c.Type = -1 }, "type -1"},
		{func(c *Config) { c.BaseURL = "ftp://x" }, "not an http(s) URL"},
		{func(c *Config) { c.BaseURL = "chl-api.nxlink.ai" }, "not an http(s) URL"},
		{func(c *Config) { c.BaseURL = "https://h/?a=1" }, "query"},
		{func(c *Config) { c.Timeout = -time.Second }, "negative"},
	} {
		cfg := valid
		c.change(&cfg)
		_, err := New(cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "nxlink config: ") {
			t.Errorf("New(%+v) error = %v, want it to mention %q", cfg, err, c.want)
		}
	}
	if _, err := New(Config{}); err == nil || strings.Count(err.Error(), ";") < 3 {
		t.Errorf("an empty config should list every problem at once, got %v", err)
	}
}

func TestWireMapping(t *testing.T) {
	w, err := Wire(goodCustomer())
	if err != nil {
		t.Fatal(err)
	}
	one, five := 1, 5
	want := WireCustomer{
		FullName: "王小二", FirstName: "小二", LastName: "王",
		SMSPhone: "13411111111", WhatsAppPhone: "8613411111111", ViberPhone: "8613411111111",
		Messenger: "9876543210", Instagram: "1122334455", Zalo: "1234567890", Line: "line123456",
		Country: "China", Email: "wang@example.com", Address: "文三路 100 号", Birthday: "1976-04-12",
		TagStr: "vip,99", Remark: "重要客户", TimeZone: "GMT+8", Gender: &one,
		CustomizeField: `{"customize_1_14":"aa"}`, BelongSeatUser: "agent@example.com", Weight: &five,
	}
	if !reflect.DeepEqual(w, want) {
		t.Errorf("Wire =\n%+v\nwant\n%+v", w, want)
	}

	cases := []struct {
		name  string
		in    platforms.Customer
		check func(WireCustomer) bool
	}{
		{"female is 0", platforms.Customer{Gender: "female"}, func(w WireCustomer) bool { return w.Gender != nil && *w.Gender == 0 }},
		{"unknown gender omitted", platforms.Customer{Gender: "unknown"}, func(w WireCustomer) bool { return w.Gender == nil }},
		{"empty gender omitted", platforms.Customer{}, func(w WireCustomer) bool { return w.Gender == nil && w.Weight == nil }},
		{"international mobile as digits", platforms.Customer{Mobile: "+852-12344567"}, func(w WireCustomer) bool { return w.SMSPhone == "85212344567" }},
		{"mainland with +86", platforms.Customer{Mobile: "+86 134 1111 1111"}, func(w WireCustomer) bool { return w.SMSPhone == "13411111111" }},
		{"level with blanks", platforms.Customer{Level: " 3 "}, func(w WireCustomer) bool { return w.Weight != nil && *w.Weight == 3 }},
		{"blank tags dropped", platforms.Customer{Tags: []string{" a ", "", "b"}}, func(w WireCustomer) bool { return w.TagStr == "a,b" }},
		{"custom keys sorted, HTML kept", platforms.Customer{Custom: map[string]string{"z": "<b>", "a": "&"}},
			func(w WireCustomer) bool { return w.CustomizeField == `{"a":"&","z":"<b>"}` }},
		{"name trimmed", platforms.Customer{Name: " 王小二 "}, func(w WireCustomer) bool { return w.FullName == "王小二" }},
	}
	for _, c := range cases {
		w, err := Wire(c.in)
		if err != nil || !c.check(w) {
			t.Errorf("%s: %+v, %v", c.name, w, err)
		}
	}

	for _, bad := range []platforms.Customer{{Mobile: "12"}, {Level: "gold"}, {Gender: "x"}} {
		if _, err := Wire(bad); err == nil {
			t.Errorf("Wire(%+v) accepted a value the wire cannot carry", bad)
		}
	}
}

// buildGolden renders everything Build produces, in a stable order.
func renderTrace(tr platforms.Trace) string {
	var b strings.Builder
	b.WriteString(tr.Method + " " + tr.URL + "\n")
	keys := make([]string, 0, len(tr.Headers))
	for k := range tr.Headers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.WriteString(k + ": " + tr.Headers[k] + "\n")
	}
	b.WriteString("signed: " + tr.Signed + "\n")
	b.WriteString("body: " + string(tr.Body) + "\n")
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

var fixedTime = time.Date(2022, 6, 20, 7, 41, 25, 431e6, time.UTC) // ts 1655710885431

func TestBuildGolden(t *testing.T) {
	for _, alg := range []string{AlgorithmMD5, AlgorithmSHA256} {
		t.Run(alg, func(t *testing.T) {
			c := newTestClient(t, Config{SignAlgorithm: alg, Type: TypeMerge, StrictBinding: true})
			second := platforms.Customer{Name: "li si", Mobile: "+852-12344567", Gender: "female", Email: "li@example.com"}
			sub := platforms.Submission{RequestID: "r1", Customers: []platforms.Customer{goodCustomer(), second}, Time: fixedTime}
			req, tr, err := c.Build(sub)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "build_"+alg+".golden", renderTrace(tr))

			sent, _ := io.ReadAll(req.Body)
			if !bytes.Equal(sent, tr.Body) {
				t.Errorf("trace body differs from the bytes sent:\n%s\n%s", sent, tr.Body)
			}
			if req.Method != http.MethodPost || req.URL.String() != c.Endpoint() {
				t.Errorf("request line = %s %s", req.Method, req.URL)
			}
			// The header names go out in the page's spelling, not canonicalised,
			// so they are read from the raw map.
			raw := map[string][]string(req.Header)
			for _, h := range []string{"accessKey", "ts", "bizType", "action", "sign"} {
				if len(raw[h]) != 1 || raw[h][0] != tr.Headers[h] {
					t.Errorf("header %s = %v, trace %q", h, raw[h], tr.Headers[h])
				}
			}
			if raw["ts"][0] != "1655710885431" {
				t.Errorf("ts = %v", raw["ts"])
			}
			_, hasAlg := raw["algorithm"]
			if hasAlg != (alg == AlgorithmSHA256) {
				t.Errorf("algorithm header present = %v for %s", hasAlg, alg)
			}
			signed := map[string]string{}
			for _, h := range SignedHeaders {
				signed[h] = raw[h][0]
			}
			want, wantSigned := Sign(signed, sent, testSecret, alg)
			if raw["sign"][0] != want || tr.Signed != wantSigned {
				t.Errorf("sign %s, recomputed %s", raw["sign"][0], want)
			}
			for _, s := range []string{tr.Signed, string(tr.Body), renderTrace(tr)} {
				if strings.Contains(s, testSecret) {
					t.Errorf("secret leaked into the trace: %s", s)
				}
			}
			if !strings.HasSuffix(tr.Signed, "&accessSecret=******") {
				t.Errorf("signed string should end with the masked secret: %s", tr.Signed)
			}
		})
	}
}

func TestBuildBatchLimits(t *testing.T) {
	c := newTestClient(t, DefaultConfig())
	many := func(n int) []platforms.Customer {
		cs := make([]platforms.Customer, n)
		for i := range cs {
			cs[i] = platforms.Customer{Name: "n", Zalo: "1"}
		}
		return cs
	}
	if _, _, err := c.Build(platforms.Submission{}); err == nil {
		t.Error("Build accepted no customers")
	}
	if _, _, err := c.Build(platforms.Submission{Customers: many(101)}); err == nil || !strings.Contains(err.Error(), "at most 100") {
		t.Errorf("Build(101) error = %v", err)
	}
	_, tr, err := c.Build(platforms.Submission{Customers: many(100)})
	if err != nil {
		t.Fatal(err)
	}
	var body Body
	if err := json.Unmarshal(tr.Body, &body); err != nil || len(body.Customers) != 100 {
		t.Errorf("100-customer body: %v, %d customers", err, len(body.Customers))
	}
	_, _, err = c.Build(platforms.Submission{Customers: append(many(2), platforms.Customer{Name: "x", Mobile: "12"})})
	if err == nil || !strings.HasPrefix(err.Error(), "customer 2: ") {
		t.Errorf("a bad customer in a batch should be named by index, got %v", err)
	}
}

type refuseTransport struct{ t *testing.T }

func (r refuseTransport) RoundTrip(*http.Request) (*http.Response, error) {
	r.t.Error("Send went to the network although Build failed")
	return nil, errors.New("refused")
}

func TestSendReportsBuildFailure(t *testing.T) {
	c := newTestClient(t, DefaultConfig())
	c.Caller.Client = &http.Client{Transport: refuseTransport{t}}
	ex := c.Send(context.Background(), platforms.Submission{RequestID: "r9"})
	if ex.Result.Outcome != platforms.Rejected || ex.Result.Code != "BUILD" || !strings.Contains(ex.Result.Message, "no customers") {
		t.Errorf("result = %+v", ex.Result)
	}
	if ex.Platform != "nxlink" || ex.RequestID != "r9" || ex.Request.URL != c.Endpoint() {
		t.Errorf("exchange = %+v", ex)
	}
}

func TestBuildUsesNowWhenTimeIsZero(t *testing.T) {
	c := newTestClient(t, DefaultConfig())
	before := time.Now().UnixMilli()
	req, _, err := c.Build(platforms.Single("r", platforms.Customer{Name: "a", Zalo: "1"}))
	if err != nil {
		t.Fatal(err)
	}
	raw := map[string][]string(req.Header) // "ts" in the page's spelling
	var ts int64
	if err := json.Unmarshal([]byte(raw["ts"][0]), &ts); err != nil || ts < before || ts > time.Now().UnixMilli() {
		t.Errorf("ts = %v (%v), want between %d and now", raw["ts"], err, before)
	}
}

// The page's two-customer example body decodes into Body and encodes back to
// the same JSON: the wire types carry every field it shows. (Its e-mail
// addresses read "[email protected]": the page was saved through a CDN that
// hides addresses; the text is kept as received.)
func TestSeedBodyRoundTrips(t *testing.T) {
	seed, err := os.ReadFile("testdata/seed_request.json")
	if err != nil {
		t.Fatal(err)
	}
	var body Body
	d := json.NewDecoder(bytes.NewReader(seed))
	d.DisallowUnknownFields()
	if err := d.Decode(&body); err != nil {
		t.Fatal(err)
	}
	again, err := marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(t, seed, again) {
		t.Errorf("seed body did not survive a round trip:\n%s", again)
	}
}

// Customers entered as the page's example people map to exactly the page's
// customer objects.
func TestBuildMatchesSeedCustomers(t *testing.T) {
	seed, err := os.ReadFile("testdata/seed_request.json")
	if err != nil {
		t.Fatal(err)
	}
	const email = "[email protected]"
	zhang := platforms.Customer{
		Name: "zhang san", FirstName: "san", LastName: "zhang", Mobile: "18163725558",
		WhatsApp: "8618163725558", Viber: "8618163725558", Country: "China", Email: email,
		Address: "Wujin District, Tai'an City, Fujian Province", Birthday: "1976-04-12", Remark: "重要客户",
		Tags: []string{"test", "99"}, TimeZone: "GMT+8", Gender: "male", Agent: email, Level: "5",
		Line: "line123456", Zalo: "1234567890", Messenger: "9876543210", Instagram: "1122334455",
		Custom: map[string]string{"customize_1_14": "aa"},
	}
	li := platforms.Customer{
		Name: "li si", FirstName: "si", LastName: "li", Mobile: "18135539411", WhatsApp: "8618135539411",
		Country: "China", Email: email, Address: "Wujin District, Tai'an City, Fujian Province",
		Birthday: "2015-08-19", Remark: "普通客户", TimeZone: "GMT+8", Tags: []string{"88", "99"},
		Gender: "male", Agent: email,
	}
	c := newTestClient(t, Config{TenantID: 123, Type: TypeReplace, StrictBinding: true})
	_, tr, err := c.Build(platforms.Submission{Customers: []platforms.Customer{zhang, li}, Time: fixedTime})
	if err != nil {
		t.Fatal(err)
	}
	var got, want map[string]any
	if err := json.Unmarshal(tr.Body, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(seed, &want); err != nil {
		t.Fatal(err)
	}
	if got["app_key"] != "46oKF=os" {
		t.Errorf("app_key = %v", got["app_key"])
	}
	delete(got, "app_key") // the page's example body leaves it out
	// customize_field is a JSON string: compare what it says, not its spacing.
	for _, m := range []map[string]any{got, want} {
		for _, cu := range m["customers"].([]any) {
			obj := cu.(map[string]any)
			if s, ok := obj["customize_field"].(string); ok {
				var v any
				if err := json.Unmarshal([]byte(s), &v); err != nil {
					t.Fatal(err)
				}
				obj["customize_field"] = v
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		t.Errorf("built body differs from the page's example:\n%s", g)
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(x, y)
}
