package alsc

import (
	"strings"
	"testing"
)

// The signing vectors published by the platform (md5, hmac) and
// computed independently (hmac-sha256).
func TestSignVectors(t *testing.T) {
	itemGet := func(method string) map[string]string {
		return map[string]string{
			"app_key": "12345678", "fields": "num_iid,title,nick,price,num", "format": "json",
			"method": "taobao.item.seller.get", "num_iid": "11223344", "session": "test",
			"sign_method": method, "timestamp": "2016-01-01 12:00:00", "v": "2.0",
		}
	}
	tests := []struct {
		name, method, secret, want string
		params                     map[string]string
	}{
		{"md5 published", SignMD5, "helloworld", "66987CB115214E59E6EC978214934FB8", itemGet(SignMD5)},
		{"hmac published", SignHMAC, "helloworld", "D56D7858309C31B6251083A874D48273", itemGet(SignHMAC)},
		{"hmac-sha256 computed", SignHMACSHA256, "helloworld", "04DB15AD0774D5CFCE2C837DE43E3FCEA9011ED74F3038FB6AB5F3C4CEA119E8", itemGet(SignHMACSHA256)},
		{"second md5 published", SignMD5, "test", "72CB4D809B375A54502C09360D879C64", map[string]string{
			"app_key": "test", "fields": "nick", "format": "xml", "method": "taobao.user.seller.get",
			"session": "test", "sign_method": "md5", "timestamp": "2013-05-06 13:52:03", "v": "2.0",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, signed, err := Sign(tt.params, tt.secret, tt.method)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("sign = %s, want %s\nsigned: %s", got, tt.want, signed)
			}
		})
	}
}

func TestSignedString(t *testing.T) {
	params := map[string]string{"b": "2", "a": "1", "empty": "", "sign": "OLD", "B": "3"}
	_, signed, err := Sign(params, "sec", SignMD5)
	if err != nil {
		t.Fatal(err)
	}
	// Byte order puts upper case first; empty values and sign itself are left out;
	// md5 wraps the secret around the string.
	if want := "secB3a1b2sec"; signed != want {
		t.Errorf("md5 signed = %q, want %q", signed, want)
	}
	for _, m := range []string{SignHMAC, SignHMACSHA256} {
		_, signed, _ := Sign(params, "sec", m)
		if want := "B3a1b2"; signed != want {
			t.Errorf("%s signed = %q, want %q (the secret is the key, not part of the string)", m, signed, want)
		}
	}
}

func TestSignIgnoresTheOldSign(t *testing.T) {
	p := map[string]string{"app_key": "k", "v": "2.0"}
	a, _, _ := Sign(p, "s", SignHMACSHA256)
	p["sign"] = a
	b, _, _ := Sign(p, "s", SignHMACSHA256)
	if a != b {
		t.Errorf("a sign parameter changed the sign: %s then %s", a, b)
	}
}

func TestSignUnknownMethod(t *testing.T) {
	_, _, err := Sign(map[string]string{"a": "1"}, "s", "sha1")
	if err == nil || !strings.Contains(err.Error(), "sha1") {
		t.Errorf("err = %v, want one naming the method", err)
	}
}
