package nxlink

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"sync"

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
	pairs := make([]header, 0, len(headers))
	for k, v := range headers {
		if k != HeaderSign && k != HeaderAlgorithm {
			pairs = append(pairs, header{k, v})
		}
	}
	slices.SortFunc(pairs, func(a, b header) int { return strings.Compare(a.name, b.name) })
	return signPairs(pairs, body, secret, algorithm)
}

// header is one signed header. Build lists its headers already in ASCII
// order, the order Sign sorts them to, so nothing is sorted.
type header struct{ name, value string }

// signPairs is Sign over headers in ASCII order of their names.
func signPairs(headers []header, body []byte, secret, algorithm string) (sign, signed string) {
	const bodyKey, secretKey = "&body=", "&accessSecret="
	n := len(secretKey) + len(platforms.MaskString)
	for _, h := range headers {
		n += len(h.name) + len(h.value) + 2
	}
	if len(body) > 0 {
		n += len(bodyKey) + len(body)
	}
	var b strings.Builder
	b.Grow(n)
	for i, h := range headers {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(h.name)
		b.WriteByte('=')
		b.WriteString(h.value)
	}
	if len(body) > 0 {
		b.WriteString(bodyKey)
		b.Write(body)
	}
	b.WriteString(secretKey)
	prefix := b.Len()
	// The secret is masked where it is, at the end (see signedRedactions), and
	// nowhere else: the rest is the headers and body as sent.
	if secret != "" {
		b.WriteString(platforms.MaskString)
	}
	signed = b.String()
	return digest(signed[:prefix], secret, algorithm), signed
}

// scratch holds the hashed text, which carries the secret and so is never
// kept, between requests.
var scratch = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledScratch keeps one huge batch from pinning its scratch in the pool.
const maxPooledScratch = 256 << 10

// digest is the lower-hex digest of prefix+secret, "" for an unknown algorithm.
func digest(prefix, secret, algorithm string) string {
	alg := strings.ToLower(algorithm)
	if alg != "" && alg != AlgorithmMD5 && alg != AlgorithmSHA256 {
		return ""
	}
	buf := scratch.Get().(*[]byte)
	defer func() {
		clear(*buf) // the secret does not stay in the pool
		if cap(*buf) <= maxPooledScratch {
			scratch.Put(buf)
		}
	}()
	*buf = append(append((*buf)[:0], prefix...), secret...)
	var out [2 * sha256.Size]byte
	if alg == AlgorithmSHA256 {
		sum := sha256.Sum256(*buf)
		return string(hex.AppendEncode(out[:0], sum[:]))
	}
	sum := md5.Sum(*buf)
	return string(hex.AppendEncode(out[:0], sum[:]))
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
