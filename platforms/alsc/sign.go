package alsc

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"fmt"
	"hash"
	"slices"
	"strings"
	"sync"

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
	ps := make([]param, 0, len(params))
	for k, v := range params {
		ps = append(ps, param{k, v})
	}
	slices.SortFunc(ps, func(a, b param) int { return strings.Compare(a.key, b.key) })
	t := signText(ps, secret, method)
	s, err := newSigner(secret, method)
	if err != nil {
		return "", t.Sent(), err
	}
	return s.sign(t.Sent()), t.Sent(), nil
}

// param is one form parameter. Build lists its parameters already in the
// byte order of their keys, the order TOP signs in, so nothing is sorted.
type param struct{ key, value string }

// signs reports whether p goes into the signed string.
func (p param) signs() bool { return p.key != "" && p.value != "" && p.key != "sign" }

// signText is the signed string of params, sorted by key, kept twice: as
// hashed, and with the secret (md5 puts it at both ends) and the session
// masked by position.
func signText(params []param, secret, method string) *platforms.SecretText {
	t := platforms.NewSecretText(platforms.PartSigned)
	n := 2 * len(secret)
	for _, p := range params {
		if p.signs() {
			n += len(p.key) + len(p.value)
		}
	}
	t.Grow(n)
	if method == SignMD5 {
		t.Secret(secret, EnvSecret)
	}
	for _, p := range params {
		if !p.signs() {
			continue
		}
		t.Write(p.key)
		if p.key == "session" {
			t.Secret(p.value, EnvSession)
		} else {
			t.Write(p.value)
		}
	}
	if method == SignMD5 {
		t.Secret(secret, EnvSecret)
	}
	return t
}

// signer is a keyed hash with its scratch. A client reuses its signers: an
// HMAC's keying costs two blocks of hashing and six allocations.
type signer struct {
	h   hash.Hash
	buf []byte
	sum [sha256.Size]byte
}

func newSigner(secret, method string) (*signer, error) {
	var h hash.Hash
	switch method {
	case SignMD5:
		h = md5.New()
	case SignHMAC:
		h = hmac.New(md5.New, []byte(secret))
	case SignHMACSHA256:
		h = hmac.New(sha256.New, []byte(secret))
	default:
		return nil, fmt.Errorf("unknown sign_method %q (want md5, hmac or hmac-sha256)", method)
	}
	return &signer{h: h}, nil
}

// sign is the upper-case hex digest of text.
func (s *signer) sign(text string) string {
	s.h.Reset()
	s.buf = append(s.buf[:0], text...)
	s.h.Write(s.buf)
	sum := s.h.Sum(s.sum[:0])
	const upperHex = "0123456789ABCDEF"
	var out [2 * sha256.Size]byte
	for i, b := range sum {
		out[2*i], out[2*i+1] = upperHex[b>>4], upperHex[b&15]
	}
	return string(out[:2*len(sum)])
}

// maxPooledText keeps one huge request from pinning its scratch in the pool.
const maxPooledText = 64 << 10

// signers hands out the signers of one secret and method.
type signers struct{ pool sync.Pool }

func newSigners(secret, method string) (*signers, error) {
	if _, err := newSigner(secret, method); err != nil {
		return nil, err
	}
	p := &signers{}
	p.pool.New = func() any {
		s, _ := newSigner(secret, method) // the method was checked above
		return s
	}
	return p, nil
}

// sign is the sign of text under the signers' secret and method.
func (p *signers) sign(text string) string {
	s := p.pool.Get().(*signer)
	sign := s.sign(text)
	if cap(s.buf) <= maxPooledText {
		p.pool.Put(s)
	}
	return sign
}
