package nxlink

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/custdesk/custdesk/platforms"
)

// Response is the API's answer envelope. Numbers stay json.Number: customerId
// exceeds 2^53 and would lose digits as float64.
type Response struct {
	Code    json.Number `json:"code"`
	Message *string     `json:"message"`
	TraceID string      `json:"traceId"`
	// Data is BatchResult, read only once code is 0: an older NXLink document
	// answers success with "data":"" (and some gateways with null).
	Data json.RawMessage `json:"data"`
}

// BatchResult is Response.Data (the page's BatchCreateResultVO).
type BatchResult struct {
	TotalCount   json.Number   `json:"totalCount"`
	SuccessCount json.Number   `json:"successCount"`
	FailCount    json.Number   `json:"failCount"`
	FailItems    []FailItem    `json:"failItems"`
	SuccessItems []SuccessItem `json:"successItems"`
}

// FailItem is one refused customer, by its index in the request.
type FailItem struct {
	Index        int         `json:"index"`
	ErrorCode    json.Number `json:"errorCode"`
	ErrorMessage string      `json:"errorMessage"`
}

// SuccessItem is one created (or, for an existing key, matched) customer.
type SuccessItem struct {
	Index         int         `json:"index"`
	CustomerID    json.Number `json:"customerId"`
	WhatsAppPhone string      `json:"whatsAppPhone"`
}

// Whole-call codes.
const (
	CodeOK                 = "0"
	CodeMissingCommon      = "1001" // missing common parameters (headers)
	CodeBadParameter       = "1002"
	CodeBadSignature       = "1003"
	CodeTimestampExpired   = "1004"
	CodeNoPermission       = "1005"
	CodeUnknownSeatUser    = "12148"
	CodeSystemBusy         = "500" // what the sandbox answers for an injected fault
	codeRateLimited        = "429"
	codeBadGateway         = "502"
	codeServiceUnavailable = "503"
	codeGatewayTimeout     = "504"
)

// transient reports whether a whole-call code is a platform-side fault worth
// retrying unchanged. The page documents only input errors (1001..1005, 12148);
// codes that mirror HTTP's server faults are taken as transient, everything else
// as the caller's fault. traceId is not copied into the Result: it stays in the
// raw response kept beside it, which is where support looks for it.
func transient(code string) (retry, rateLimited bool) {
	switch code {
	case CodeSystemBusy, codeBadGateway, codeServiceUnavailable, codeGatewayTimeout:
		return true, false
	case codeRateLimited:
		return true, true
	}
	return false, false
}

// Parse turns a batch_create answer into a Result. It never panics.
func Parse(body []byte) platforms.Result {
	resp, batch, read := readAnswer(body)
	if !read {
		if err := platforms.DecodeJSON(body, &resp); err != nil {
			return platforms.BadBody(body, err)
		}
	}
	if resp.Code == "" {
		return platforms.BadBody(body, errors.New(`no "code" in the answer`))
	}
	code := canonicalCode(resp.Code)
	msg := ""
	if resp.Message != nil {
		msg = *resp.Message
	}
	if code != CodeOK {
		retry, limited := transient(code)
		r := platforms.Result{Outcome: platforms.Rejected, Code: code, Message: firstNonEmpty(msg, "NXLink refused the request with code "+code)}
		if retry {
			r.Outcome, r.Retryable, r.RateLimited = platforms.Failed, true, limited
		}
		return r
	}
	if resp.Data == nil {
		return platforms.BadBody(body, errors.New(`code 0 but no "data" in the answer`))
	}
	if noData(resp.Data) {
		// The whole call succeeded and the answer lists nothing: every customer
		// was created, without IDs. Retrying would only repeat a success.
		return platforms.Result{Outcome: platforms.OK, Code: CodeOK,
			Message: firstNonEmpty(msg, "created; the answer carries no customer IDs")}
	}
	if batch == nil {
		batch = new(BatchResult)
		if err := platforms.DecodeJSON(resp.Data, batch); err != nil {
			return platforms.BadBody(body, fmt.Errorf("data: %v", err))
		}
	}
	return judgeBatch(body, batch, msg)
}

// judgeBatch is the Result of a whole call that succeeded: each item's.
func judgeBatch(body []byte, d *BatchResult, msg string) platforms.Result {
	if len(d.SuccessItems) == 0 && len(d.FailItems) == 0 {
		return platforms.BadBody(body, errors.New("code 0 but the answer lists no created and no refused customer"))
	}

	items := make([]platforms.ItemResult, 0, len(d.SuccessItems)+len(d.FailItems))
	for _, s := range d.SuccessItems {
		// customerId is documented as a 64-bit integer.
		if err := platforms.CheckNumericID(s.CustomerID.String(), platforms.MaxUint64Digits); s.CustomerID != "" && err != nil {
			return platforms.BadBody(body, err)
		}
		items = append(items, platforms.ItemResult{Index: s.Index, Outcome: platforms.OK, CustomerID: s.CustomerID.String()})
	}
	for _, f := range d.FailItems {
		items = append(items, platforms.ItemResult{Index: f.Index, Outcome: platforms.Rejected,
			Code: canonicalCode(f.ErrorCode), Message: f.ErrorMessage})
	}
	slices.SortStableFunc(items, func(a, b platforms.ItemResult) int { return cmp.Compare(a.Index, b.Index) })

	r := platforms.Result{Items: items, Message: msg}
	for _, it := range items {
		if it.Outcome == platforms.OK && it.CustomerID != "" {
			r.CustomerIDs = append(r.CustomerIDs, it.CustomerID)
		}
	}
	switch {
	case len(d.FailItems) == 0:
		r.Outcome, r.Code = platforms.OK, CodeOK
	case len(d.SuccessItems) == 0:
		r.Outcome, r.Code = platforms.Rejected, firstFailCode(items)
		r.Message = refusals(items, len(items))
	default:
		r.Outcome, r.Code = platforms.Partial, firstFailCode(items)
		r.Message = strconv.Itoa(len(d.SuccessItems)) + " of " + strconv.Itoa(len(items)) + " created; " + refusals(items, len(items))
	}
	return r
}

// noData reports a data field that says nothing: null or an empty string.
func noData(raw json.RawMessage) bool {
	switch string(bytes.TrimSpace(raw)) {
	case "null", `""`:
		return true
	}
	return false
}

// canonicalCode writes a numeric code without a sign, leading zeros or
// exponent when it is a plain integer, so "12148", 12148 and 1.2148e4 compare
// equal; anything else is kept as written.
func canonicalCode(n json.Number) string {
	if i, err := n.Int64(); err == nil {
		return strconv.FormatInt(i, 10)
	}
	if f, err := n.Float64(); err == nil && f > -1e15 && f < 1e15 && f == float64(int64(f)) {
		return strconv.FormatInt(int64(f), 10)
	}
	return n.String()
}

func firstFailCode(items []platforms.ItemResult) string {
	for _, it := range items {
		if it.Outcome == platforms.Rejected {
			return it.Code
		}
	}
	return ""
}

// refusals summarises the refused items, e.g. "refused #1: 12148 归属坐席…".
func refusals(items []platforms.ItemResult, total int) string {
	var b strings.Builder
	n := 0
	for _, it := range items {
		if it.Outcome != platforms.Rejected {
			continue
		}
		if n == 3 {
			b.WriteString("; …")
			break
		}
		if n > 0 {
			b.WriteString("; ")
		}
		b.WriteString("#" + strconv.Itoa(it.Index) + ": ")
		if it.Code != "" {
			b.WriteString(it.Code + " ")
		}
		b.WriteString(platforms.Clip(it.Message, 120))
		n++
	}
	prefix := "refused "
	if total > 1 && n > 0 && countRejected(items) == total {
		prefix = "all " + strconv.Itoa(total) + " refused: "
	}
	return prefix + b.String()
}

func countRejected(items []platforms.ItemResult) int {
	n := 0
	for _, it := range items {
		if it.Outcome == platforms.Rejected {
			n++
		}
	}
	return n
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
