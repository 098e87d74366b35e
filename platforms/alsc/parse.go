package alsc

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/custdesk/custdesk/platforms"
)

// ResponseKey wraps a successful answer in format=json (without "simplify").
const ResponseKey = "alibaba_alsc_crm_customer_create_response"

// ErrorKey wraps every TOP error answer.
const ErrorKey = "error_response"

// answer is what either envelope says, as text, before it is judged.
type answer struct {
	isError bool
	// error_response
	code, msg, subCode, subMsg string
	// success envelope: result.{result,result_code,result_desc,result_view,biz_success}
	id, resultCode, resultDesc, resultView string
	numericID                              bool   // id was a JSON number, not a string
	bizSuccess                             string // "true", "false", or "" when absent
}

// Parse reads a TOP answer into a Result. It reads the JSON envelopes the client
// asks for (format=json) and, because TOP answers XML when the format is not
// honoured and the API page shows its examples in XML, the same envelopes in
// XML. Anything else is a bad body. IDs are kept exactly as written.
func Parse(body []byte) platforms.Result {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '<' {
		a, isTOP, err := parseXML(trimmed)
		if err == nil {
			var r platforms.Result
			if r, err = judge(a); err == nil {
				return r
			}
		}
		if !isTOP {
			return platforms.BadBody(body, err) // an HTML page: BadBody names it by its title
		}
		return platforms.Result{Outcome: platforms.Failed, Code: "BAD_BODY", Message: "unreadable XML answer: " + err.Error()}
	}
	a, err := parseJSON(body)
	if err == nil {
		var r platforms.Result
		if r, err = judge(a); err == nil {
			return r
		}
	}
	return platforms.BadBody(body, err)
}

// parseJSON reads the JSON envelope from its bytes, and decodes it in full
// only where that reading cannot tell.
func parseJSON(body []byte) (answer, error) {
	if a, ok, err := readEnvelope(body); ok {
		return a, err
	}
	return decodeEnvelope(body)
}

// decodeEnvelope is the envelope decoded in full, the reference that
// readEnvelope must agree with.
func decodeEnvelope(body []byte) (answer, error) {
	var v any
	if err := platforms.DecodeJSON(body, &v); err != nil {
		return answer{}, err
	}
	top, ok := v.(map[string]any)
	if !ok {
		return answer{}, fmt.Errorf("the answer is %s, not a TOP envelope object", jsonKind(v))
	}
	if raw, ok := top[ErrorKey]; ok {
		e, ok := raw.(map[string]any)
		if !ok {
			return answer{}, fmt.Errorf("%s is %s, not an object", ErrorKey, jsonKind(raw))
		}
		return answer{isError: true, code: scalar(e["code"]), msg: scalar(e["msg"]),
			subCode: scalar(e["sub_code"]), subMsg: scalar(e["sub_msg"])}, nil
	}
	raw, ok := top[ResponseKey]
	if !ok {
		return answer{}, fmt.Errorf("neither %s nor %s in the answer", ResponseKey, ErrorKey)
	}
	resp, ok := raw.(map[string]any)
	if !ok {
		return answer{}, fmt.Errorf("%s is %s, not an object", ResponseKey, jsonKind(raw))
	}
	res, ok := resp["result"].(map[string]any)
	if !ok {
		return answer{}, fmt.Errorf("%s.result is %s, not an object", ResponseKey, jsonKind(resp["result"]))
	}
	a := answer{resultCode: scalar(res["result_code"]), resultDesc: scalar(res["result_desc"]), resultView: scalar(res["result_view"])}
	switch id := res["result"].(type) {
	case string:
		a.id = id
	case json.Number:
		a.id, a.numericID = id.String(), true
	case bool, nil:
		// One public SDK models the inner result as a bool: no ID then.
	default:
		return answer{}, fmt.Errorf("result.result is %s, not a customer ID", jsonKind(id))
	}
	switch b := res["biz_success"].(type) {
	case bool:
		a.bizSuccess = strconv.FormatBool(b)
	case string:
		a.bizSuccess = b
	case nil:
	default:
		return answer{}, fmt.Errorf("result.biz_success is %s, not a boolean", jsonKind(b))
	}
	return a, nil
}

// scalar renders a JSON scalar as text; objects and arrays, which no message
// field should hold, render as nothing.
func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null or missing"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%T", v)
}

type xmlError struct {
	Code    string `xml:"code"`
	Msg     string `xml:"msg"`
	SubCode string `xml:"sub_code"`
	SubMsg  string `xml:"sub_msg"`
}

type xmlSuccess struct {
	Result *struct {
		Result     string `xml:"result"`
		ResultCode string `xml:"result_code"`
		ResultDesc string `xml:"result_desc"`
		ResultView string `xml:"result_view"`
		BizSuccess string `xml:"biz_success"`
	} `xml:"result"`
}

// parseXML reads the XML envelopes; isTOP says the root element was one of
// them, so a failure is a broken TOP answer rather than some other page.
func parseXML(body []byte) (a answer, isTOP bool, err error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return answer{}, false, io.ErrUnexpectedEOF
			}
			return answer{}, false, err
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue // prolog, comments, whitespace
		}
		switch start.Name.Local {
		case ErrorKey:
			var e xmlError
			if err := d.DecodeElement(&e, &start); err != nil {
				return answer{}, true, err
			}
			return answer{isError: true, code: strings.TrimSpace(e.Code), msg: strings.TrimSpace(e.Msg),
				subCode: strings.TrimSpace(e.SubCode), subMsg: strings.TrimSpace(e.SubMsg)}, true, nil
		case ResponseKey:
			var s xmlSuccess
			if err := d.DecodeElement(&s, &start); err != nil {
				return answer{}, true, err
			}
			if s.Result == nil {
				return answer{}, true, fmt.Errorf("%s has no result", ResponseKey)
			}
			r := s.Result
			return answer{id: strings.TrimSpace(r.Result), resultCode: strings.TrimSpace(r.ResultCode),
				resultDesc: strings.TrimSpace(r.ResultDesc), resultView: strings.TrimSpace(r.ResultView),
				bizSuccess: strings.TrimSpace(r.BizSuccess)}, true, nil
		default:
			return answer{}, false, fmt.Errorf("<%s> is not a TOP answer", start.Name.Local)
		}
	}
}

// judge turns an envelope into a Result; an error means the envelope holds no
// usable verdict.
func judge(a answer) (platforms.Result, error) {
	if a.isError {
		return judgeError(a), nil
	}
	msg := firstNonEmpty(a.resultDesc, a.resultView)
	switch a.bizSuccess {
	case "true":
		r := platforms.Result{Outcome: platforms.OK, Code: a.resultCode, Message: msg}
		// A bool-typed inner result carries no ID; "true" here is that bool.
		if a.id != "" && a.id != "true" && a.id != "false" {
			if err := checkID(a.id, a.numericID); err != nil {
				return platforms.Result{}, err
			}
			r.CustomerIDs = []string{a.id}
		}
		return r, nil
	case "false":
		return platforms.Result{Outcome: platforms.Rejected, Code: a.resultCode,
			Message: firstNonEmpty(a.resultView, a.resultDesc, "ALSC refused the customer (biz_success=false)")}, nil
	case "":
		return platforms.Result{}, errors.New("the answer has no biz_success verdict")
	}
	return platforms.Result{}, fmt.Errorf("biz_success is %q, not true or false", a.bizSuccess)
}

// banRE reads how long TOP's access control will refuse calls, from the sub_msg
// of a limited-by-* answer ("This ban will last for 1 more seconds").
var banRE = regexp.MustCompile(`(?i)ban will last for (\d+) more second`)

// subBusinessLimit is the business layer's own flow control ("触发业务流控"):
// an isv.* sub-code, but a rate limit rather than a refusal of the input.
const subBusinessLimit = "isv.BUSINESS_LIMIT_CONTROL"

// judgeError sorts a TOP error: isp.* sub-codes and service unavailability are
// the platform's faults and worth retrying; call limits (4..8 and access-control
// sub-codes) are rate limits; isv.* sub-codes and the gateway's checks of the
// caller (method, signature, session, app key, timestamp, version, arguments,
// business errors) are the caller's and are refused as sent, as is a remote
// service error (15) carrying the service's numeric sub-code.
func judgeError(a answer) platforms.Result {
	r := platforms.Result{Code: a.code, SubCode: a.subCode, Message: errorMessage(a)}
	code, err := strconv.Atoi(a.code)
	if err != nil {
		code = -1
	}
	switch {
	case code >= 4 && code <= 8, strings.HasPrefix(a.subCode, "accesscontrol."), a.subCode == subBusinessLimit:
		r.Outcome, r.Retryable, r.RateLimited = platforms.Failed, true, true
		if m := banRE.FindStringSubmatch(a.subMsg); m != nil {
			// The count is TOP's text: capped, never multiplied out as given.
			n, err := strconv.ParseUint(m[1], 10, 64)
			if err != nil {
				n = math.MaxUint64 // more digits than uint64 holds
			}
			r.RetryAfter = platforms.CapSeconds(n)
		}
	case strings.HasPrefix(a.subCode, "isp."), code == 10:
		r.Outcome, r.Retryable = platforms.Failed, true
	case strings.HasPrefix(a.subCode, "isv."):
		r.Outcome = platforms.Rejected
	case code == 15 && platforms.IsDigits(a.subCode):
		// A remote service error whose sub-code is the service's own number
		// ("2401" 资源不存在, "20000"): the business layer read the input and
		// refused it; the same request would be refused again.
		r.Outcome = platforms.Rejected
	case code == 9, code >= 11 && code <= 13, code >= 21 && code <= 34, code >= 40 && code <= 43, code == 50:
		r.Outcome = platforms.Rejected
	default:
		// Upload failures, bare remote service errors and codes this client does
		// not know: no verdict on the input, and nothing says a retry would help.
		r.Outcome = platforms.Failed
	}
	return r
}

// checkID refuses an ID that is not one. The API page types the ID as a
// string without fixing its form, so a string needs only be a well-formed
// ID; a JSON number must be an integer in digits (1e400 is a number, not an ID).
func checkID(id string, numeric bool) error {
	if numeric {
		return platforms.CheckNumericID(id, platforms.MaxUint64Digits)
	}
	return platforms.CheckID(id)
}

func errorMessage(a answer) string {
	switch {
	case a.subMsg != "" && a.msg != "" && a.subMsg != a.msg:
		return a.subMsg + " (" + a.msg + ")"
	case a.subMsg != "":
		return a.subMsg
	case a.msg != "":
		return a.msg
	}
	return "TOP error " + firstNonEmpty(a.code, a.subCode, "without a code")
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
