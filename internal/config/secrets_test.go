package config

import (
	"strings"
	"testing"
)

// A TOML error names the line and the key, never the text there: a secret
// written without quotes, or broken quoting, must not be echoed.
func TestTOMLErrorsNeverQuoteValues(t *testing.T) {
	const secret = "SUPERSECRET9"
	cases := []string{
		"[platforms.alsc]\napp_secret = SUPERSECRET9\n",
		"[platforms.alsc]\napp_secret = 'SUPERSECRET9\n",
		"[platforms.alsc]\napp_secret = \"SUPERSECRET9\nsession = \"x\"\n",
		"[platforms.alsc]\napp_secret = SUPERSECRET9 extra\n",
		"[platforms.youzan]\nheaders = { Authorization = Bearer SUPERSECRET9 }\n",
		"[platforms.nxlink]\naccess_secret = 1SUPERSECRET9\n",
		"[platforms.nxlink]\ntimeout = \"SUPERSECRET9\"\n",
		"[platforms.nxlink]\ntenant_id = \"SUPERSECRET9\"\n",
		"[platforms.nxlink]\naccess_secret = [\"SUPERSECRET9\"]\n",
		"[platforms.nxlink]\naccess_secret = \"\\uSUPERSECRET9\"\n",
	}
	for _, in := range cases {
		_, err := Parse([]byte(in))
		if err == nil {
			t.Errorf("accepted %q", in)
			continue
		}
		for _, part := range []string{secret, "SUPERSEC", "SECRET9"} {
			if strings.Contains(err.Error(), part) {
				t.Errorf("%q: the error quotes the value: %v", in, err)
			}
		}
		if !strings.Contains(err.Error(), "line ") {
			t.Errorf("%q: the error does not say where: %v", in, err)
		}
	}
}

func TestShortSecretsAreRefused(t *testing.T) {
	for in, key := range map[string]string{
		"[platforms.alsc]\napp_secret = \"a\"\n":                                    "platforms.alsc.app_secret",
		"[platforms.alsc]\napp_secret = \"long-enough-1\"\nsession = \"1234567\"\n": "platforms.alsc.session",
		"[platforms.nxlink]\naccess_secret = \"s3cr3t\"\n":                          "platforms.nxlink.access_secret",
		"[platforms.youzan]\nheaders = { Authorization = \"Bearer abc\" }\n":        "platforms.youzan.headers.Authorization",
		"[platforms.youzan]\nheaders = { X-Key = \"abc\" }\n":                       "platforms.youzan.headers.X-Key",
	} {
		_, err := Parse([]byte(in))
		if err == nil || !strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), "shorter than 8") {
			t.Errorf("%q: err = %v", in, err)
		}
	}
	l, err := Parse([]byte("[platforms.youzan]\nbase_url = \"https://u:pw-long-enough@h\"\nheaders = { Authorization = \"Bearer tok-12345678\" }\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(l.Secrets(), " ")
	for _, s := range []string{"Bearer tok-12345678", "tok-12345678", "pw-long-enough"} {
		if !strings.Contains(got, s) {
			t.Errorf("secret %q not collected for masking: %v", s, l.Secrets())
		}
	}
}
