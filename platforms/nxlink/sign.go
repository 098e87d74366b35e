package nxlink

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"slices"
	"strings"

	"github.com/custdesk/custdesk/platforms"
)

// Header names as the API page writes them. Sent with this exact case: HTTP
// treats names case-insensitively, but NXLink's examples and SDKs use these.
const (
	HeaderAccessKey = "accessKey"
	HeaderTS        = "ts"
	HeaderBizType   = "bizType"
	HeaderAction    = "action"
	HeaderSign      = "sign"
	// HeaderAlgorithm selects SHA-256. It is sent only for sha256 (md5 is the
	// platform default) and is not itself signed: the published SHA-256 vector
	// (see testdata) is the digest of the same string as the MD5 one, which
	// holds only the four common headers.
	HeaderAlgorithm = "algorithm"
)

// SignedHeaders are the headers that go into the signed string, in the order
// Sign sorts them to (ASCII order of names).
var SignedHeaders = []string{HeaderAccessKey, HeaderAction, HeaderBizType, HeaderTS}

// Sign computes NXLink's request signature:
//
//	h = k1=v1&k2=v2... over headers except sign and algorithm, names in ASCII order
//	h += "&body=" + body            (only when body is non-empty)
//	h += "&accessSecret=" + secret
//	sign = lowerhex(MD5(h)), or lowerhex(SHA-256(h)) when algorithm is sha256
//
// body must be the exact bytes sent. signed is h with the secret masked, fit
// for traces. An algorithm other than md5/sha256 (case-insensitive, empty means
// md5) yields an empty sign, which never matches a real one.
func Sign(headers map[string]string, body []byte, secret, algorithm string) (sign, signed string) {
	var h hash.Hash
	switch strings.ToLower(algorithm) {
	case "", AlgorithmMD5:
		h = md5.New()
	case AlgorithmSHA256:
		h = sha256.New()
	}
	names := make([]string, 0, len(headers))
	for k := range headers {
		if k != HeaderSign && k != HeaderAlgorithm {
			names = append(names, k)
		}
	}
	slices.Sort(names)

	var b strings.Builder
	for i, k := range names {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(headers[k])
	}
	if len(body) > 0 {
		b.WriteString("&body=")
		b.Write(body)
	}
	b.WriteString("&accessSecret=")
	prefix := b.String()
	// The secret is masked where it is, at the end (see signedRedactions), and
	// nowhere else: the rest is the headers and body as sent.
	signed = prefix
	if secret != "" {
		signed += platforms.MaskString
	}
	if h == nil {
		return "", signed
	}
	h.Write([]byte(prefix))
	h.Write([]byte(secret))
	return hex.EncodeToString(h.Sum(nil)), signed
}

// EnvSecret is the variable a copied request uses for the access secret.
const EnvSecret = "CUSTDESK_NXLINK_SECRET"

// signedRedactions locate the masked secret at the end of a signed string
// from Sign.
func signedRedactions(signed, secret string) []platforms.Redaction {
	if secret == "" {
		return nil
	}
	return []platforms.Redaction{{Part: platforms.PartSigned, Offset: len(signed) - len(platforms.MaskString), Var: EnvSecret}}
}
