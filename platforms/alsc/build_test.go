package alsc

import (
	"encoding/json"
	"flag"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// seedConfig and seedCustomer are the API page's Java request example, split
// into what config carries and what the customer record carries.
func seedConfig() Config {
	return Config{Gateway: "https://eco.taobao.com/router/rest", AppKey: "12345678", AppSecret: "helloworld",
		ShopID: "2019093647836487563", BrandID: "201903898665", OutBrandID: "123", OutShopID: "132", OperatorID: "2019865534"}
}

func seedCustomer() platforms.Customer {
	return platforms.Customer{Name: "王小二", Mobile: "13411111111", Phone: "0571-87658765", Email: "xxx@gmail.com",
		Gender: "male", Birthday: "2010-01-01", Province: "浙江省", City: "杭州市", Tags: []string{"爱吃辣"},
		Remark: "老板的朋友", Level: "1", Invoice: "口碑(杭州)电子商务有限公司"}
}

const seedRequestID = "234334534543234234"

// fixedTime is 2016-01-01 12:00:00 in GMT+8, given in UTC so the conversion is tested too.
var fixedTime = time.Date(2016, 1, 1, 4, 0, 0, 0, time.UTC)

func formOf(t *testing.T, body []byte) url.Values {
	t.Helper()
	form, err := url.ParseQuery(string(body))
	if err != nil {
		t.Fatalf("body is not a form: %v\n%s", err, body)
	}
	return form
}

// The page's example customer builds the page's example object. The page's
// channel reads "2      表示pos" ("2 means POS"): the value is "2".
func TestBuildMatchesTheSeedRequest(t *testing.T) {
	c, err := New(seedConfig())
	if err != nil {
		t.Fatal(err)
	}
	req, _, err := c.Build(platforms.Submission{RequestID: seedRequestID, Customers: []platforms.Customer{seedCustomer()}, Time: fixedTime})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(req.Body)
	var got, want map[string]any
	if err := json.Unmarshal([]byte(formOf(t, body).Get(BusinessParam)), &got); err != nil {
		t.Fatal(err)
	}
	seed, err := os.ReadFile(filepath.Join("testdata", "seed_request.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(seed, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		t.Errorf("business object differs from the page's example:\n%s", g)
	}
}

// The exact bytes sent and the exact string signed, per sign method, for a fixed
// customer and time. Run `go test -update` after an intended change.
func TestBuildGolden(t *testing.T) {
	for _, method := range SignMethods {
		t.Run(method, func(t *testing.T) {
			cfg := seedConfig()
			cfg.SignMethod = method
			cfg.Session = "session-token-9"
			c, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			cu := seedCustomer()
			cu.District, cu.Address, cu.AreaCode = "西湖区", "文三路 100 号 <A&B>", "330106"
			cu.Member = platforms.Bool(false)
			req, trace, err := c.Build(platforms.Submission{RequestID: seedRequestID, Customers: []platforms.Customer{cu}, Time: fixedTime})
			if err != nil {
				t.Fatal(err)
			}
			got := "POST " + trace.URL + "\nContent-Type: " + trace.Headers["Content-Type"] +
				"\n\n" + string(trace.Body) + "\n\nsigned: " + trace.Signed + "\n"
			golden := filepath.Join("testdata", "build_"+method+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("build differs from %s:\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
			// The trace's body is the sent body with only the session masked.
			sent, _ := io.ReadAll(req.Body)
			if masked := strings.ReplaceAll(string(sent), "session-token-9", platforms.MaskString); masked != string(trace.Body) {
				t.Errorf("trace body is not the sent body masked:\nsent  %s\ntrace %s", sent, trace.Body)
			}
		})
	}
}

func TestBuildSignsWhatItSends(t *testing.T) {
	for _, method := range SignMethods {
		c := newClient(t, func(c *Config) { c.SignMethod = method; c.Session = "sess" })
		req, _, err := c.Build(platforms.Single("r-1", seedCustomer()))
		if err != nil {
			t.Fatal(err)
		}
		if ct := req.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded;charset=utf-8" {
			t.Errorf("Content-Type = %q", ct)
		}
		body, _ := io.ReadAll(req.Body)
		form := formOf(t, body)
		params := map[string]string{}
		for k := range form {
			params[k] = form.Get(k)
		}
		want, _, _ := Sign(params, "s3cr3t-value", method)
		if form.Get("sign") != want {
			t.Errorf("%s: sign %s does not match the sent parameters (%s)", method, form.Get("sign"), want)
		}
		for k, v := range map[string]string{"method": Method, "app_key": "12345678", "sign_method": method, "v": "2.0", "format": "json", "session": "sess"} {
			if form.Get(k) != v {
				t.Errorf("%s = %q, want %q", k, form.Get(k), v)
			}
		}
	}
}

func TestBuildTimestampIsGMT8WhateverTheLocalZone(t *testing.T) {
	c := newClient(t, nil)
	for _, zone := range []*time.Location{time.UTC, time.FixedZone("PST", -8*3600), time.FixedZone("NPT", 5*3600+45*60)} {
		req, _, err := c.Build(platforms.Submission{RequestID: "r", Customers: []platforms.Customer{{Mobile: "13411111111"}}, Time: fixedTime.In(zone)})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(req.Body)
		if got := formOf(t, body).Get("timestamp"); got != "2016-01-01 12:00:00" {
			t.Errorf("timestamp from %s = %q, want 2016-01-01 12:00:00", zone, got)
		}
	}
}

func TestTraceNeverShowsSecrets(t *testing.T) {
	const secret, session = "Top-Secret+/=", "Sess ion&Token"
	for _, method := range SignMethods {
		c := newClient(t, func(c *Config) { c.AppSecret, c.Session, c.SignMethod = secret, session, method })
		_, trace, err := c.Build(platforms.Single("r", seedCustomer()))
		if err != nil {
			t.Fatal(err)
		}
		all := trace.URL + trace.Signed + string(trace.Body)
		for _, v := range trace.Headers {
			all += v
		}
		for _, s := range []string{secret, session, url.QueryEscape(secret), url.QueryEscape(session)} {
			if strings.Contains(all, s) {
				t.Errorf("%s: trace shows %q:\n%+v", method, s, trace)
			}
		}
		if method == SignMD5 && (!strings.HasPrefix(trace.Signed, platforms.MaskString) || !strings.HasSuffix(trace.Signed, platforms.MaskString)) {
			t.Errorf("md5 signed string should show the masked secret at both ends: %q", trace.Signed)
		}
		if !strings.Contains(trace.Signed, "session"+platforms.MaskString) {
			t.Errorf("%s: signed string should show the session as masked: %q", method, trace.Signed)
		}
	}
}

func TestRequestMapping(t *testing.T) {
	c := newClient(t, func(c *Config) { c.Channel = "5"; c.ShopID = "shop" })
	tests := []struct {
		name  string
		cu    platforms.Customer
		check func(r CustomerCreateOpenReq) bool
	}{
		{"member by default", platforms.Customer{}, func(r CustomerCreateOpenReq) bool { return r.CustomerType == 1 }},
		{"not a member", platforms.Customer{Member: platforms.Bool(false)}, func(r CustomerCreateOpenReq) bool { return r.CustomerType == 0 }},
		{"male", platforms.Customer{Gender: "male"}, func(r CustomerCreateOpenReq) bool { return r.Gender == "1" }},
		{"female", platforms.Customer{Gender: "female"}, func(r CustomerCreateOpenReq) bool { return r.Gender == "0" }},
		{"unknown gender left out", platforms.Customer{Gender: "unknown"}, func(r CustomerCreateOpenReq) bool { return r.Gender == "" }},
		{"birthday as a Date", platforms.Customer{Birthday: "1990-07-08"}, func(r CustomerCreateOpenReq) bool { return r.Birthday == "1990-07-08 00:00:00" }},
		{"mainland mobile as 11 digits, also outer_id", platforms.Customer{Mobile: "+86 134 1111 1111"},
			func(r CustomerCreateOpenReq) bool { return r.Mobile == "13411111111" && r.OuterID == "13411111111" }},
		{"other mobile in E.164", platforms.Customer{Mobile: "+852-12344567"},
			func(r CustomerCreateOpenReq) bool { return r.Mobile == "+85212344567" && r.OuterID == "+85212344567" }},
		{"unparsable mobile sent as typed", platforms.Customer{Mobile: " 12345 "}, func(r CustomerCreateOpenReq) bool { return r.Mobile == "12345" }},
		{"tags, blanks dropped", platforms.Customer{Tags: []string{"爱吃辣", " ", "VIP "}},
			func(r CustomerCreateOpenReq) bool {
				return reflect.DeepEqual(r.TagIDList, []string{"爱吃辣", "VIP"})
			}},
		{"level, invoice, remark", platforms.Customer{Level: "3", Invoice: "inv", Remark: "rem"},
			func(r CustomerCreateOpenReq) bool { return r.LevelID == "3" && r.Invoice == "inv" && r.Remark == "rem" }},
		{"constants from config", platforms.Customer{}, func(r CustomerCreateOpenReq) bool {
			return r.Channel == "5" && r.OuterType == "mobile" && r.ShopID == "shop" && r.RequestID == "rid"
		}},
		{"custom attributes have no ALSC field", platforms.Customer{Custom: map[string]string{"k": "v"}},
			func(r CustomerCreateOpenReq) bool {
				return reflect.DeepEqual(r, c.Request("rid", platforms.Customer{}))
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := c.Request("rid", tt.cu); !tt.check(r) {
				t.Errorf("Request = %+v", r)
			}
		})
	}
}

func TestRequestJSONLeavesOutEmptyOptionals(t *testing.T) {
	c := newClient(t, nil)
	b, err := json.Marshal(c.Request("r", platforms.Customer{Mobile: "13411111111", Member: platforms.Bool(false)}))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"channel":"2","customer_type":0,"mobile":"13411111111","outer_id":"13411111111","outer_type":"mobile","request_id":"r"}`
	if string(b) != want {
		t.Errorf("JSON = %s\nwant   %s", b, want)
	}
}

func TestFoldAddress(t *testing.T) {
	tests := []struct {
		cu   platforms.Customer
		want string
	}{
		{platforms.Customer{}, ""},
		{platforms.Customer{Province: "浙江省", City: "杭州市"}, "浙江省杭州市"},
		{platforms.Customer{Country: "中国", Province: "浙江省", City: "杭州市", District: "西湖区", Address: "文三路 100 号", AreaCode: "330106"},
			"浙江省杭州市西湖区 文三路 100 号 (330106)"},
		{platforms.Customer{Country: "CN", Province: "浙江省", Address: "浙江省杭州市西湖区文三路 100 号"}, "浙江省杭州市西湖区文三路 100 号"},
		{platforms.Customer{Country: "Hong Kong", City: "Kowloon", Address: "1 Nathan Road"}, "Hong Kong Kowloon 1 Nathan Road"},
		{platforms.Customer{Country: "香港", District: "九龙", Address: "弥敦道 1 号"}, "香港九龙 弥敦道 1 号"},
		{platforms.Customer{Address: "  文三路 100 号 "}, "文三路 100 号"},
		{platforms.Customer{AreaCode: "330106"}, "(330106)"},
	}
	for _, tt := range tests {
		if got := FoldAddress(tt.cu); got != tt.want {
			t.Errorf("FoldAddress(%+v) = %q, want %q", tt.cu, got, tt.want)
		}
	}
}
