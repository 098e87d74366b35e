package sandbox

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// The sandbox checks signatures with its own code, written from the protocol
// documents (summarised in docs/protocols.md) and tested against their
// published vectors (testdata/sign_vectors.json), not with the clients'
// signers: a bug in a client's signer must fail against its sandbox, as it
// would against the platform.

// topSign is TOP's signature over params (sign itself and empty keys or
// values left out): the sorted keys with their values, concatenated, then
//
//	md5         UPPERHEX(MD5(secret + s + secret))
//	hmac        UPPERHEX(HMAC-MD5(secret, s))
//	hmac-sha256 UPPERHEX(HMAC-SHA256(secret, s))
func topSign(params map[string]string, secret, method string) (string, error) {
	keys := make([]string, 0, len(params))
	for k, v := range params {
		if k != "sign" && k != "" && v != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys) // byte order of the UTF-8 keys
	var s []byte
	for _, k := range keys {
		s = append(s, k...)
		s = append(s, params[k]...)
	}
	var sum []byte
	switch method {
	case "md5":
		d := md5.Sum([]byte(secret + string(s) + secret))
		sum = d[:]
	case "hmac":
		m := hmac.New(md5.New, []byte(secret))
		m.Write(s)
		sum = m.Sum(nil)
	case "hmac-sha256":
		m := hmac.New(sha256.New, []byte(secret))
		m.Write(s)
		sum = m.Sum(nil)
	default:
		return "", fmt.Errorf("sign_method %q is not md5, hmac or hmac-sha256", method)
	}
	return strings.ToUpper(hex.EncodeToString(sum)), nil
}

// nxSign is NXLink's signature: "k=v" of every signed header but sign (names
// in ASCII order) joined by "&", then "&body=" and the exact body bytes when
// there is a body, then "&accessSecret=" and the secret; the lower-case hex
// MD5 of that, or SHA-256 when the algorithm header says sha256.
func nxSign(headers map[string]string, body []byte, secret, algorithm string) (string, error) {
	names := make([]string, 0, len(headers))
	for k := range headers {
		names = append(names, k)
	}
	sort.Strings(names)
	pairs := make([]string, 0, len(names)+2)
	for _, k := range names {
		pairs = append(pairs, k+"="+headers[k])
	}
	if len(body) > 0 {
		pairs = append(pairs, "body="+string(body))
	}
	pairs = append(pairs, "accessSecret="+secret)
	h := []byte(strings.Join(pairs, "&"))
	switch strings.ToLower(algorithm) {
	case "", "md5":
		d := md5.Sum(h)
		return hex.EncodeToString(d[:]), nil
	case "sha256":
		d := sha256.Sum256(h)
		return hex.EncodeToString(d[:]), nil
	}
	return "", fmt.Errorf("algorithm %q is not md5 or sha256", algorithm)
}
