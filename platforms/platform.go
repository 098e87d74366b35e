package platforms

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"time"
)

// Platform is what each platform package offers, with no UI knowledge.
type Platform interface {
	// Name is the stable key: "alsc", "youzan", "nxlink".
	Name() string
	// Title is the name people read: "Alibaba ALSC", "Youzan", "NXLink".
	Title() string
	// Validate checks one customer against this platform's rules. It is pure and
	// cheap: forms call it on every keystroke.
	Validate(Customer) []FieldError
	// MaxBatch is how many customers one request may carry (1 unless the API batches).
	MaxBatch() int
	// Traits are what the rest of custdesk needs to know to treat the
	// platform right without naming it.
	Traits() Traits
	// Build returns the exact signed request for a submission without sending it.
	Build(Submission) (*http.Request, Trace, error)
	// Send builds, sends, reads (capped) and parses. It never panics and always
	// returns an Exchange whose Result says what happened.
	Send(context.Context, Submission) Exchange
}

// Submission is what one request carries.
type Submission struct {
	// RequestID is generated once per submission and reused on every retry: it
	// is ALSC's idempotency key and the thread that ties history rows together.
	RequestID string
	// Customers holds one customer, or up to MaxBatch for platforms that batch.
	Customers []Customer
	// Time is when the request is signed; zero means now. Retries leave it zero so
	// a fresh timestamp is signed each time.
	Time time.Time
}

// Single is a submission of one customer.
func Single(requestID string, c Customer) Submission {
	return Submission{RequestID: requestID, Customers: []Customer{c}}
}

// Now is the submission's signing time.
func (s Submission) Now() time.Time {
	if s.Time.IsZero() {
		return time.Now()
	}
	return s.Time
}

// Trace keeps what a person debugging an exchange needs, secrets masked.
type Trace struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	// Body is the exact bytes sent (with any secret that travels in it masked).
	Body []byte `json:"body"`
	// Signed is the string that was signed, with the secret masked.
	Signed string `json:"signed"`
	// Redactions say where URL, Headers, Body and Signed hold MaskString in
	// place of a secret (see SecretText); nothing else in them is masked.
	Redactions []Redaction `json:"redactions,omitempty"`
}

// ValidateAll runs the rules every platform shares (CheckCharacters), then
// every given platform's rules, on c.
func ValidateAll(c Customer, ps []Platform) []FieldError {
	errs := CheckCharacters(c)
	for _, p := range ps {
		errs = append(errs, p.Validate(c)...)
	}
	return errs
}

// DefaultTimeout bounds a platform call when its config sets none.
const DefaultTimeout = 10 * time.Second

// MaxResponseBytes caps what is read of a response body; more is flagged.
const MaxResponseBytes = 1 << 20

// NewRequestID returns a fresh idempotency key: 32 hex digits, unique across
// terminals without coordination. The first 12 are the milliseconds since
// 1970, the other 20 come from crypto/rand (80 bits, so two terminals in
// the same millisecond still never meet). A key made later sorts after
// the keys made before it, so the history's unique index on them grows at
// its end, as its other indexes do, not at a random page per submission.
func NewRequestID() string {
	var b [16]byte
	ms := uint64(time.Now().UnixMilli())
	for i := 5; i >= 0; i-- {
		b[i], ms = byte(ms), ms>>8
	}
	_, _ = rand.Read(b[6:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// Prepare is what every path runs before sending: Normalize, then the given
// platforms' rules on the normalised customer. A field the normaliser refused
// is not checked again by the platforms, which would only repeat the refusal
// in their own words.
func Prepare(c Customer, ps []Platform) (Customer, []Change, []FieldError) {
	n, changes, errs := Normalize(c)
	refused := map[string]bool{}
	for _, e := range errs {
		refused[e.Field] = true
	}
	for _, e := range ValidateAll(n, ps) {
		if !refused[e.Field] {
			errs = append(errs, e)
		}
	}
	return n, changes, errs
}
