package platforms

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Every number a platform's answer controls is capped before it steers
// anything here.

// MaxRetryAfter caps the pause a platform may ask for (Retry-After, TOP's
// "ban will last for N more seconds"). A longer request is taken as an hour:
// the queue tries again then, and a ban still in force just answers again.
const MaxRetryAfter = time.Hour

// CapRetryAfter bounds d to [0, MaxRetryAfter].
func CapRetryAfter(d time.Duration) time.Duration {
	return min(max(d, 0), MaxRetryAfter)
}

// CapSeconds turns a platform's count of seconds into a pause, capped before
// multiplying so that no count overflows time.Duration.
func CapSeconds(n uint64) time.Duration {
	if n >= uint64(MaxRetryAfter/time.Second) {
		return MaxRetryAfter
	}
	return time.Duration(n) * time.Second
}

// MaxIDLength bounds a customer ID as recorded: the platforms' IDs are at most
// a few dozen characters, and an ID is shown in one column of a list.
const MaxIDLength = 64

// ErrBadID is wrapped by every error of CheckID and CheckNumericID; BadBody
// names such an answer by its ID.
var ErrBadID = errors.New("not a customer ID")

// idError is a reason an ID is not one, said in full.
type idError string

func (e idError) Error() string        { return string(e) }
func (e idError) Is(target error) bool { return target == ErrBadID }

func badID(format string, args ...any) error { return idError(fmt.Sprintf(format, args...)) }

// CheckID says why id, as a platform wrote it, is not a customer ID, or
// returns nil. An ID is 1..MaxIDLength printable ASCII characters: letters,
// digits and . _ : - (it is searched, shown in lists and pasted into
// tickets). Platforms with a stricter documented form check that too.
func CheckID(id string) error {
	switch {
	case id == "":
		return badID("the customer ID is empty")
	case !utf8.ValidString(id):
		return badID("the customer ID %s is not valid UTF-8", QuoteID(id))
	case len(id) > MaxIDLength:
		return badID("the customer ID %s is longer than %d characters", QuoteID(id), MaxIDLength)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte("._:-", c) >= 0) {
			what := "a character outside ASCII"
			if c < utf8.RuneSelf {
				what = strconv.QuoteRuneToGraphic(rune(c))
			}
			return badID("the customer ID %s holds %s, which no customer ID has", QuoteID(id), what)
		}
	}
	return nil
}

// CheckNumericID is CheckID for platforms whose IDs are integers: digits only,
// no sign, exponent or fraction (1e400 is a JSON number, not an ID), and at
// most maxDigits of them.
func CheckNumericID(id string, maxDigits int) error {
	if err := CheckID(id); err != nil {
		return err
	}
	if !IsDigits(id) {
		return badID("the customer ID %s is not an integer written in digits", QuoteID(id))
	}
	if len(id) > maxDigits {
		return badID("the customer ID %s has more than %d digits", QuoteID(id), maxDigits)
	}
	return nil
}

// MaxUint64Digits is how many digits a 64-bit ID can have.
var MaxUint64Digits = len(strconv.FormatUint(math.MaxUint64, 10))

// QuoteID shows a platform's ID in a message: quoted, clipped, with control,
// invisible and invalid bytes escaped.
func QuoteID(id string) string {
	return strconv.QuoteToGraphic(Clip(strings.ToValidUTF8(id, "\uFFFD"), 40))
}

// tooLarge judges a body cut at MaxResponseBytes. A 2xx is an answer from a
// platform that processed the request, so it may have created the customer,
// whatever the first MiB says: unknown (an idempotent platform's replay tells;
// otherwise a person decides). Any other status is a definite failure.
func tooLarge(status int, h http.Header, body []byte, parse Parser) Result {
	what := fmt.Sprintf("HTTP %d answer larger than %d bytes (%s): kept the first %d", status, MaxResponseBytes, contentType(h), MaxResponseBytes)
	if status < 200 || status >= 300 {
		return Result{Outcome: Failed, Code: "TOO_LARGE", Retryable: status >= 500 || status == http.StatusTooManyRequests,
			Message: what + ", not parsed"}
	}
	r := safeParse(parse, body)
	said := "they are not a readable answer"
	if r.Outcome == OK || r.Outcome == Partial {
		said = "they read as created"
		if len(r.CustomerIDs) > 0 {
			said += " (customer ID " + strings.Join(r.CustomerIDs, ", ") + ")"
		}
	}
	return Result{Outcome: Unknown, Code: "TOO_LARGE", Retryable: true,
		Message: what + ", and " + said + "; the platform may have created the customer"}
}
