package alsc

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

func validConfig() Config {
	return Config{Gateway: "https://eco.taobao.com/router/rest", AppKey: "12345678", AppSecret: "s3cr3t-value"}
}

func newClient(t testing.TB, mod func(*Config)) *Client {
	t.Helper()
	cfg := validConfig()
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewDefaults(t *testing.T) {
	c := newClient(t, func(c *Config) { c.Timeout = 3 * time.Second })
	got := c.Config()
	if got.SignMethod != SignHMACSHA256 || got.Channel != "2" || got.OuterType != "mobile" {
		t.Errorf("defaults = sign %q channel %q outer_type %q, want hmac-sha256, 2, mobile", got.SignMethod, got.Channel, got.OuterType)
	}
	if c.Caller.Timeout != 3*time.Second {
		t.Errorf("Caller.Timeout = %s, want the configured 3s", c.Caller.Timeout)
	}
	if c.Name() != "alsc" || c.Title() != "Alibaba ALSC" || c.MaxBatch() != 1 {
		t.Errorf("Name/Title/MaxBatch = %q %q %d", c.Name(), c.Title(), c.MaxBatch())
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*Config)
		want string
	}{
		{"no gateway", func(c *Config) { c.Gateway = "" }, "gateway is missing"},
		{"gateway not a URL", func(c *Config) { c.Gateway = "eco.taobao.com/router/rest" }, "not an http(s) URL"},
		{"gateway wrong scheme", func(c *Config) { c.Gateway = "ftp://eco.taobao.com/" }, "not an http(s) URL"},
		{"no app key", func(c *Config) { c.AppKey = "" }, "app_key is missing"},
		{"no secret", func(c *Config) { c.AppSecret = "" }, "app_secret is missing"},
		{"unknown sign method", func(c *Config) { c.SignMethod = "sha1" }, `sign_method "sha1"`},
		{"sign method in capitals", func(c *Config) { c.SignMethod = "MD5" }, `sign_method "MD5"`},
		{"outer type other than mobile", func(c *Config) { c.OuterType = "card_no" }, `outer_type "card_no"`},
		{"negative timeout", func(c *Config) { c.Timeout = -time.Second }, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := validConfig()
			tt.mod(&cfg)
			c, err := New(cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "alsc config: ") {
				t.Errorf("New = %v, %v; want an alsc config error containing %q", c, err, tt.want)
			}
		})
	}
	// Every problem at once, so a user fixes the file in one go.
	_, err := New(Config{SignMethod: "x"})
	for _, want := range []string{"gateway", "app_key", "app_secret", "sign_method"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New(empty) = %v, want it to mention %s", err, want)
		}
	}
	for _, m := range SignMethods {
		if _, err := New(Config{Gateway: "http://127.0.0.1:1/router/rest", AppKey: "k", AppSecret: "s", SignMethod: m}); err != nil {
			t.Errorf("sign_method %s: %v", m, err)
		}
	}
}

func TestSendReportsBuildErrors(t *testing.T) {
	c := newClient(t, nil)
	tests := []struct {
		name string
		sub  platforms.Submission
		want string
	}{
		{"no request ID", platforms.Single("", platforms.Customer{Mobile: "13411111111"}), "request_id is empty"},
		{"no customer", platforms.Submission{RequestID: "r1"}, "exactly one customer per request, got 0"},
		{"two customers", platforms.Submission{RequestID: "r1", Customers: make([]platforms.Customer, 2)}, "exactly one customer per request, got 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := c.Build(tt.sub); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Build err = %v, want %q", err, tt.want)
			}
			ex := c.Send(context.Background(), tt.sub)
			r := ex.Result
			if r.Outcome != platforms.Rejected || r.Code != "BUILD" || !strings.Contains(r.Message, tt.want) {
				t.Errorf("Send result = %+v, want Rejected BUILD %q", r, tt.want)
			}
			if ex.Platform != "alsc" || ex.Status != 0 || ex.Started.IsZero() {
				t.Errorf("exchange = %+v", ex)
			}
		})
	}
}
