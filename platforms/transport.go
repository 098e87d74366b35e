package platforms

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"
)

// Parser turns a response body into a Result. It must not panic on any input:
// every parser has a fuzz target.
type Parser func(body []byte) Result

// Caller sends requests for a platform client: one shared place for timeouts,
// the body cap and the classification of transport failures.
type Caller struct {
	Client  *http.Client  // nil: DefaultClient
	Timeout time.Duration // 0: DefaultTimeout
}

// DefaultClient keeps connections alive across many sends (imports send
// thousands); timeouts come from each call's context, not the client.
var DefaultClient = &http.Client{Transport: &http.Transport{
	Proxy:               http.ProxyFromEnvironment,
	DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
	ForceAttemptHTTP2:   true,
	MaxIdleConns:        256,
	MaxIdleConnsPerHost: 64,
	IdleConnTimeout:     90 * time.Second,
	TLSHandshakeTimeout: 5 * time.Second,
}}

// Send builds a submission's request and sends it. A request that cannot be
// built is refused without touching the network.
func (c Caller) Send(ctx context.Context, platform string, sub Submission, build func(Submission) (*http.Request, Trace, error), parse Parser) Exchange {
	req, trace, err := build(sub)
	if err != nil {
		return Exchange{Platform: platform, RequestID: sub.RequestID, Request: trace, Started: time.Now(),
			Result: Result{Outcome: Rejected, Code: "BUILD", Message: err.Error()}}
	}
	return c.Do(ctx, platform, sub, req, trace, parse)
}

// Do sends req and returns the whole exchange. It never panics and never returns
// without a Result. The result is named so the deferred timing reaches the
// caller.
func (c Caller) Do(ctx context.Context, platform string, sub Submission, req *http.Request, trace Trace, parse Parser) (ex Exchange) {
	client := noRedirects(c.Client)
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ex = Exchange{Platform: platform, RequestID: sub.RequestID, Request: trace, Started: time.Now()}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	clock := &phaseClock{start: ex.Started}
	req = req.WithContext(httptrace.WithClientTrace(ctx, clock.trace()))
	resp, err := client.Do(req)
	defer func() {
		ex.Duration = time.Since(ex.Started)
		ex.FirstByte = time.Duration(clock.firstByte.Load())
		ex.Phases = clock.phases(ex.Duration)
	}()
	if err != nil {
		ex.Error = err.Error()
		ex.Result = transportFailure(err, clock.sent.Load(), timeout)
		return ex
	}
	defer resp.Body.Close()
	ex.Status = resp.StatusCode
	ex.ResponseHeaders = flattenHeaders(resp.Header)

	body, readErr := readBody(resp.Body, resp.ContentLength)
	if len(body) > MaxResponseBytes {
		body = body[:MaxResponseBytes]
		ex.Truncated = true
	}
	ex.Response = body
	if readErr != nil {
		ex.Error = readErr.Error()
		ex.Result = Result{Outcome: Unknown, Retryable: true, Code: "READ",
			Message: "the answer was cut off while reading (" + readErr.Error() + "); the platform may have applied the request"}
		return ex
	}
	ex.Result = judge(resp.StatusCode, resp.Header, body, ex.Truncated, parse)
	ex.Result.RetryAfter = CapRetryAfter(ex.Result.RetryAfter)
	return ex
}

// readBody reads at most MaxResponseBytes+1 bytes of r, the one more telling
// a body too large. A declared length sizes the buffer once, so the body kept
// in the exchange is not a grown copy; it is a hint, never trusted past the cap.
func readBody(r io.Reader, declared int64) ([]byte, error) {
	const limit = MaxResponseBytes + 1
	size := 512
	if declared >= 0 {
		// One byte more than declared: the read that finds the end needs room.
		size = int(min(declared, limit)) + 1
	}
	b := make([]byte, 0, size)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		room := b[len(b):min(cap(b), limit)]
		if len(room) == 0 {
			return b, nil
		}
		n, err := r.Read(room)
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// judge combines the HTTP status with what the platform's parser made of the body.
func judge(status int, h http.Header, body []byte, truncated bool, parse Parser) Result {
	if status >= 300 && status < 400 {
		return redirected(status, h)
	}
	if truncated {
		return tooLarge(status, h, body, parse)
	}
	r := safeParse(parse, body)
	// A body the parser could not read says nothing; the status and a
	// description of the body say more.
	readable := r.Code != "BAD_BODY"
	platformCode, platformMsg := r.Code, r.Message
	if !readable {
		platformCode, platformMsg = "", ""
	}
	switch {
	case status == http.StatusTooManyRequests:
		r = Result{Outcome: Failed, Code: httpCode(status), Retryable: true, RateLimited: true, RetryAfter: retryAfter(h),
			Message: firstNonEmpty(platformMsg, "rate limited")}
	case status >= 500:
		r = Result{Outcome: Failed, Code: firstNonEmpty(platformCode, httpCode(status)), SubCode: r.SubCode, Retryable: true,
			Message: firstNonEmpty(platformMsg, Describe(status, h, body))}
	case status < 200 || status >= 300:
		if r.Outcome == OK || r.Outcome == Partial || platformCode == "" {
			r = Result{Outcome: Failed, Code: httpCode(status), Message: firstNonEmpty(platformMsg, Describe(status, h, body))}
		}
	case r.Outcome == Failed && r.Code == "" && r.Message == "":
		r.Message = Describe(status, h, body)
	}
	if r.RetryAfter == 0 {
		r.RetryAfter = retryAfter(h)
	}
	return r
}

// httpCode is a status as a Result's code, written out only where a failure
// quotes it: most answers are 200s whose verdict is the body's.
func httpCode(status int) string { return "HTTP " + strconv.Itoa(status) }

func safeParse(parse Parser, body []byte) (r Result) {
	defer func() {
		if p := recover(); p != nil {
			r = Result{Outcome: Failed, Code: "BAD_BODY", Message: fmt.Sprintf("could not read the answer: %v", p)}
		}
	}()
	return parse(body)
}

func transportFailure(err error, wrote bool, timeout time.Duration) Result {
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var recErr tls.RecordHeaderError
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr), errors.As(err, &recErr),
		strings.Contains(err.Error(), "tls:"):
		return Result{Outcome: Failed, Code: "TLS", Message: "TLS failure: " + rootCause(err)}
	case errors.Is(err, context.Canceled):
		if wrote {
			return Result{Outcome: Unknown, Code: "CANCELLED", Retryable: true, Message: "cancelled after the request was sent; the platform may have applied it"}
		}
		return Result{Outcome: Failed, Code: "CANCELLED", Retryable: true, Message: "cancelled before the request was sent"}
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		if wrote {
			return Result{Outcome: Unknown, Code: "TIMEOUT", Retryable: true,
				Message: fmt.Sprintf("no answer within %s after sending; the platform may have applied it", timeout)}
		}
		return Result{Outcome: Failed, Code: "TIMEOUT", Retryable: true, Message: fmt.Sprintf("could not send within %s", timeout)}
	case errors.Is(err, syscall.ECONNREFUSED):
		return Result{Outcome: Failed, Code: "CONN_REFUSED", Retryable: true, Message: "connection refused: " + hostOf(err)}
	case errors.As(err, &dnsErr):
		return Result{Outcome: Failed, Code: "DNS", Retryable: true, Message: "cannot resolve host: " + dnsErr.Name}
	case wrote:
		return Result{Outcome: Unknown, Code: "CONN_LOST", Retryable: true,
			Message: "connection lost after sending (" + rootCause(err) + "); the platform may have applied it"}
	default:
		return Result{Outcome: Failed, Code: "NETWORK", Retryable: true, Message: rootCause(err)}
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func rootCause(err error) string {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err.Error()
		}
		err = u
	}
}

func hostOf(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Addr != nil {
		return op.Addr.String()
	}
	return rootCause(err)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// retryAfter reads the Retry-After header, capped at MaxRetryAfter: the
// number of seconds is the platform's to choose, and multiplied out unchecked
// it overflows time.Duration.
func retryAfter(h http.Header) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseUint(v, 10, 64); err == nil {
		return CapSeconds(n)
	}
	if strings.Trim(v, "0123456789") == "" {
		return MaxRetryAfter // digits too many for uint64
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return CapRetryAfter(d)
		}
	}
	return 0
}

func contentType(h http.Header) string {
	if ct := h.Get("Content-Type"); ct != "" {
		return ct
	}
	return "no content type"
}

func flattenHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if len(out) == 64 {
			break
		}
		out[k] = Clip(strings.Join(v, ", "), 512)
	}
	return out
}

var titleRE = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// htmlTitle is an HTML page's title, clipped for a one-line message.
func htmlTitle(body []byte) (string, bool) {
	m := titleRE.FindSubmatch(body)
	if m == nil {
		return "", false
	}
	return Clip(strings.TrimSpace(string(m[1])), 80), true
}

// Describe says in one line what an unusable body is: empty, an HTML page (with
// its title), or the first bytes of whatever else came.
func Describe(status int, h http.Header, body []byte) string {
	prefix := fmt.Sprintf("HTTP %d, %s: ", status, contentType(h))
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		return prefix + "empty body"
	case trimmed[0] == '<':
		if title, ok := htmlTitle(trimmed); ok {
			return prefix + "HTML page \"" + title + "\""
		}
		return prefix + "HTML/XML instead of JSON: " + Clip(string(trimmed), 80)
	default:
		return prefix + "unreadable body: " + Clip(string(trimmed), 80)
	}
}

// BadBody is the Result for a body a parser could not read.
func BadBody(body []byte, err error) Result {
	msg := "unreadable answer"
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		msg = "empty body"
	case trimmed[0] == '<':
		msg = "HTML instead of JSON"
		if title, ok := htmlTitle(trimmed); ok {
			msg += ": \"" + title + "\""
		}
	case errors.Is(err, ErrBadID):
		msg = err.Error()
	case errors.Is(err, io.ErrUnexpectedEOF):
		msg = "truncated JSON"
	case err != nil:
		msg = "malformed JSON: " + err.Error()
	}
	return Result{Outcome: Failed, Code: "BAD_BODY", Message: msg}
}

// DecodeJSON decodes body into v keeping numbers exact (json.Number, never
// float64: NXLink's IDs exceed 2^53).
func DecodeJSON(body []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return io.ErrUnexpectedEOF
		}
		return err
	}
	if d.More() {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// Clip shortens s to at most n runes, marking the cut.
func Clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
