package youzan

import (
	"strings"
	"testing"
	"time"
)

func validConfig() Config {
	return Config{
		BaseURL:    "https://connector.example.com/youzan",
		AppID:      "app-1",
		RootKdtID:  10001,
		OutStoreID: "store-1",
		Headers:    map[string]string{"Authorization": "Bearer s3cret-token"},
		Timeout:    3 * time.Second,
	}
}

func TestNewEndpoint(t *testing.T) {
	cases := map[string]string{
		"https://connector.example.com":                          "https://connector.example.com/MemberCreateExtension",
		"https://connector.example.com/":                         "https://connector.example.com/MemberCreateExtension",
		"https://connector.example.com/youzan//":                 "https://connector.example.com/youzan/MemberCreateExtension",
		"http://127.0.0.1:8080/MemberCreateExtension":            "http://127.0.0.1:8080/MemberCreateExtension",
		"  https://connector.example.com/MemberCreateExtension/": "https://connector.example.com/MemberCreateExtension",
	}
	for base, want := range cases {
		cfg := validConfig()
		cfg.BaseURL = base
		c, err := New(cfg)
		if err != nil {
			t.Errorf("New(base %q): %v", base, err)
			continue
		}
		if c.URL() != want {
			t.Errorf("base %q: URL %q, want %q", base, c.URL(), want)
		}
	}
}

func TestNewKeepsTimeoutAndCopiesHeaders(t *testing.T) {
	cfg := validConfig()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c.Caller.Timeout != 3*time.Second {
		t.Errorf("Caller.Timeout = %s, want 3s", c.Caller.Timeout)
	}
	// Changing the caller's map afterwards must not change what is sent.
	cfg.Headers["Authorization"] = "Bearer other"
	if got := c.headers[0].value; got != "Bearer s3cret-token" {
		t.Errorf("header changed with the config map: %q", got)
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	cases := []struct {
		name   string
		modify func(*Config)
		want   string
	}{
		{"no app id", func(c *Config) { c.AppID = " " }, "app_id is required"},
		{"no base url", func(c *Config) { c.BaseURL = "" }, "base_url is required"},
		{"relative base url", func(c *Config) { c.BaseURL = "connector.example.com" }, "must start with http:// or https://"},
		{"ftp base url", func(c *Config) { c.BaseURL = "ftp://connector.example.com" }, "must start with http:// or https://"},
		{"no host", func(c *Config) { c.BaseURL = "https:///path" }, "has no host"},
		{"query", func(c *Config) { c.BaseURL = "https://h.example.com/?a=1" }, "must not carry a query"},
		{"unparsable", func(c *Config) { c.BaseURL = "http://[::1" }, "base_url"},
		{"negative kdt", func(c *Config) { c.RootKdtID = -1 }, "root_kdt_id -1 is negative"},
		{"negative timeout", func(c *Config) { c.Timeout = -time.Second }, "timeout -1s is negative"},
		{"bad header name", func(c *Config) { c.Headers = map[string]string{"X Token": "v"} }, `header name "X Token"`},
		{"reserved header", func(c *Config) { c.Headers = map[string]string{"content-type": "text/plain"} }, "Content-Type is set by the client"},
		{"empty header value", func(c *Config) { c.Headers = map[string]string{"Authorization": ""} }, "Authorization has an empty value"},
		{"header injection", func(c *Config) { c.Headers = map[string]string{"X-Key": "a\r\nX-Evil: 1"} }, "line break"},
		{"duplicate header", func(c *Config) { c.Headers = map[string]string{"x-key": "a", "X-Key": "b"} }, "X-Key is configured twice"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := validConfig()
			tc.modify(&cfg)
			c, err := New(cfg)
			if err == nil {
				t.Fatalf("New accepted the config: %+v", c)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "youzan: ") {
				t.Errorf("error %q, want it to start with \"youzan: \" and contain %q", err, tc.want)
			}
		})
	}
}

func TestNewReportsEveryProblem(t *testing.T) {
	_, err := New(Config{})
	if err == nil {
		t.Fatal("New accepted an empty config")
	}
	for _, want := range []string{"app_id is required", "base_url is required"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
