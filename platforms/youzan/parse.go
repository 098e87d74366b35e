package youzan

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/custdesk/custdesk/platforms"
)

// Parse reads the connector's envelope
//
//	{"success":bool,"code":int,"message":"…","requestId":"…","errorData":{…},"data":{"outOpenId":"…"}}
//
// into a Result. success is the verdict, and it must be a JSON boolean: anything
// else is not this envelope. The other fields are read leniently (a string code,
// a numeric outOpenId, nulls) because connectors are third-party code.
//
//   - success=true: OK, with data.outOpenId as the customer ID, kept as written.
//     Without an outOpenId it is still OK, since the member was created and a
//     retry would create it twice; Message says the ID is missing. An
//     outOpenId that is not an ID (invalid UTF-8, controls, 1e400, too long)
//     is BAD_BODY.
//   - success=false: Rejected with code and message, except codes 500..599, which
//     by HTTP convention mean a fault on the far side (the sandbox's "系统繁忙"
//     is 500): Failed and Retryable; and 429, rate limited: Failed, Retryable.
//     The page documents no code table, so larger codes are read as business
//     refusals.
//
// Parse never panics.
func Parse(body []byte) platforms.Result {
	env, ok := readEnvelope(body)
	if !ok {
		var err error
		if env, err = decodeEnvelope(body); err != nil {
			return platforms.BadBody(body, err)
		}
	}
	if env.success == nil {
		return platforms.BadBody(body, errors.New(`not the Youzan envelope: no "success" field`))
	}
	var success bool
	switch string(bytes.TrimSpace(env.success)) {
	case "true":
		success = true
	case "false":
	default:
		return platforms.BadBody(body, errors.New(`not the Youzan envelope: "success" is `+platforms.Clip(string(env.success), 40)+", not true or false"))
	}

	code := scalarText(env.code)
	message := scalarText(env.message)
	if success {
		r := platforms.Result{Outcome: platforms.OK, Code: code, Message: message}
		id, why, err := outOpenID(env.data, env.dataIsObject, env.outOpenID)
		if err != nil {
			return platforms.BadBody(body, err)
		}
		if id != "" {
			r.CustomerIDs = []string{id}
		} else {
			r.Message = joinMessage("created, but the answer carries no member ID: "+why, message)
		}
		return r
	}

	r := platforms.Result{Outcome: platforms.Rejected, Code: code, Message: message}
	if r.Message == "" {
		r.Message = "success=false with no message"
		if code != "" {
			r.Message = "success=false, code " + code + ", no message"
		}
	}
	if ed := errorData(env.errorData); ed != "" {
		r.Message += " (errorData " + ed + ")"
	}
	if n, err := strconv.ParseInt(code, 10, 64); err == nil {
		switch {
		case n == 429:
			r.Outcome, r.Retryable, r.RateLimited = platforms.Failed, true, true
		case n >= 500 && n <= 599:
			r.Outcome, r.Retryable = platforms.Failed, true
		}
	}
	return r
}

// outOpenID returns data.outOpenId exactly as written, or why there is none.
// An outOpenId that is there but is not an ID is an error: the connector's
// own form is not documented, so a string must be a well-formed ID and a
// number an integer in digits.
func outOpenID(data []byte, isObject bool, v []byte) (id, why string, err error) {
	if isNull(data) {
		return "", "no data", nil
	}
	if !isObject {
		return "", "data is not an object", nil
	}
	if isNull(v) {
		return "", "no data.outOpenId", nil
	}
	v = bytes.TrimSpace(v)
	switch v[0] {
	case '"':
		s, err := platforms.JSONString(v)
		if err != nil || s == "" {
			return "", "data.outOpenId is empty", nil
		}
		return s, "", platforms.CheckID(s)
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		// A numeric ID is kept as its text: decoding it would lose digits above 2^53.
		return string(v), "", platforms.CheckNumericID(string(v), platforms.MaxUint64Digits)
	}
	return "", "data.outOpenId is not text", nil
}

// scalarText renders a string, number or boolean field as text; null or absent
// is "", and anything else its JSON, clipped.
func scalarText(raw json.RawMessage) string {
	if isNull(raw) {
		return ""
	}
	raw = bytes.TrimSpace(raw)
	if raw[0] == '"' {
		if s, err := platforms.JSONString(raw); err == nil {
			return s
		}
	}
	return platforms.Clip(string(raw), 200)
}

// errorData is the errorData object as compact JSON, or "" when it says nothing.
func errorData(raw json.RawMessage) string {
	if isNull(raw) {
		return ""
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return ""
	}
	switch s := buf.String(); s {
	case "{}", "[]", `""`:
		return ""
	default:
		return platforms.Clip(s, 200)
	}
}

func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

func joinMessage(ours, theirs string) string {
	if theirs == "" {
		return ours
	}
	return theirs + "; " + ours
}
