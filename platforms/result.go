package platforms

import "time"

// Outcome is the normalised verdict of one exchange.
type Outcome string

const (
	// OK: the platform created every customer sent.
	OK Outcome = "ok"
	// Partial: a batch where some customers were created and some refused.
	Partial Outcome = "partial"
	// Rejected: the platform said no to this input (signature, arguments, business rule).
	Rejected Outcome = "rejected"
	// Failed: no verdict on the input: transport error, 5xx, unparsable body,
	// rate limit, platform-side fault.
	Failed Outcome = "failed"
	// Unknown: the request was sent but no verdict came back (timeout after
	// write, or a crash while in flight). It may or may not have been applied.
	Unknown Outcome = "unknown"
)

// Result is what an exchange means, the same shape for every platform.
type Result struct {
	Outcome Outcome `json:"outcome"`
	// CustomerIDs are the created IDs, exactly as the platform wrote them.
	CustomerIDs []string `json:"customer_ids,omitempty"`
	Code        string   `json:"code,omitempty"`
	SubCode     string   `json:"sub_code,omitempty"`
	Message     string   `json:"message,omitempty"`
	// Retryable: sending the same submission again may succeed.
	Retryable bool `json:"retryable,omitempty"`
	// RateLimited: the platform asked us to slow down.
	RateLimited bool `json:"rate_limited,omitempty"`
	// RetryAfter is the platform's requested pause, when it gave one.
	RetryAfter time.Duration `json:"retry_after,omitempty"`
	// Items are per-customer verdicts of a batch, by index in the request.
	Items []ItemResult `json:"items,omitempty"`
}

// ItemResult is one customer's verdict within a batch.
type ItemResult struct {
	Index      int     `json:"index"`
	Outcome    Outcome `json:"outcome"`
	CustomerID string  `json:"customer_id,omitempty"`
	Code       string  `json:"code,omitempty"`
	Message    string  `json:"message,omitempty"`
}

// Exchange is one request and its answer, as kept in history.
type Exchange struct {
	Platform  string `json:"platform"`
	RequestID string `json:"request_id"`
	// Request is the request as sent, secrets masked.
	Request Trace `json:"request"`
	// Status is the HTTP status, 0 when no response arrived.
	Status          int               `json:"status"`
	ResponseHeaders map[string]string `json:"response_headers,omitempty"`
	// Response is the raw body received, at most MaxResponseBytes.
	Response []byte `json:"response"`
	// Truncated: the body was longer than MaxResponseBytes and was cut.
	Truncated bool `json:"truncated,omitempty"`
	// Error is the transport error, if any, as text.
	Error   string    `json:"error,omitempty"`
	Started time.Time `json:"started"`
	// FirstByte is the time from start to the first response byte.
	FirstByte time.Duration `json:"first_byte"`
	Duration  time.Duration `json:"duration"`
	// Phases split Duration into DNS, connect, TLS, the platform's wait
	// and reading the body.
	Phases Phases `json:"phases,omitzero"`
	Result Result `json:"result"`
	// Unrecorded says why the answer could not be written to the history
	// (disk full, say); "" when it was. Whoever shows the answer must say it
	// is not in the history: its customer IDs exist nowhere else.
	Unrecorded string `json:"-"`
}
