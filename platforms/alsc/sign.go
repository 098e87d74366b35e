package alsc

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"sort"
	"strings"

	"github.com/custdesk/custdesk/platforms"
)

// Sign methods TOP accepts in its sign_method parameter.
const (
	SignMD5        = "md5"
	SignHMAC       = "hmac" // HMAC-MD5
	SignHMACSHA256 = "hmac-sha256"
)

// SignMethods lists the accepted sign methods, for config help and checks.
var SignMethods = []string{SignMD5, SignHMAC, SignHMACSHA256}

// Sign computes TOP's signature over every parameter except "sign": pairs with an
// empty key or value are dropped, keys are sorted by bytes and each key is
// followed by its value with no separator. It returns the upper-case hex sign and
// the exact string that went into the hash. For md5 that string carries the
// secret at both ends, so callers must mask it before showing it anywhere.
func Sign(params map[string]string, secret, method string) (sign, signed string, err error) {
	sign, t, err := signText(params, secret, method)
	return sign, t.Sent(), err
}

// signText is Sign with the signed string kept twice: as hashed, and with the
// secret (md5 puts it at both ends) and the session masked by position.
func signText(params map[string]string, secret, method string) (string, *platforms.SecretText, error) {
	keys := make([]string, 0, len(params))
	for k, v := range params {
		if k == "" || v == "" || k == "sign" {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	t := platforms.NewSecretText(platforms.PartSigned)
	n := 2 * len(secret)
	for _, k := range keys {
		n += len(k) + len(params[k])
	}
	t.Grow(n)
	if method == SignMD5 {
		t.Secret(secret, EnvSecret)
	}
	for _, k := range keys {
		t.Write(k)
		if k == "session" {
			t.Secret(params[k], EnvSession)
		} else {
			t.Write(params[k])
		}
	}
	if method == SignMD5 {
		t.Secret(secret, EnvSecret)
	}

	var h hash.Hash
	switch method {
	case SignMD5:
		h = md5.New()
	case SignHMAC:
		h = hmac.New(md5.New, []byte(secret))
	case SignHMACSHA256:
		h = hmac.New(sha256.New, []byte(secret))
	default:
		return "", t, fmt.Errorf("unknown sign_method %q (want md5, hmac or hmac-sha256)", method)
	}
	h.Write([]byte(t.Sent()))
	return strings.ToUpper(hex.EncodeToString(h.Sum(nil))), t, nil
}
