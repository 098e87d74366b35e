package alsc

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/custdesk/custdesk/platforms"
)

// readEnvelope is decodeEnvelope read straight from the bytes: the same answer
// and the same errors, without decoding the whole envelope into maps. ok is
// false where only a full decode knows (invalid JSON, whose error that
// decode words, or a key written with an escape).
func readEnvelope(body []byte) (a answer, ok bool, err error) {
	if !json.Valid(body) {
		return answer{}, false, nil
	}
	var errRaw, respRaw []byte
	hasErr, hasResp := false, false
	top := platforms.ObjectMembers(body, func(k, v []byte) {
		switch string(k) {
		case ErrorKey:
			errRaw, hasErr = v, true
		case ResponseKey:
			respRaw, hasResp = v, true
		}
	})
	switch {
	case !top && rawKind(bytes.TrimSpace(body)) == "an object":
		return answer{}, false, nil // an escaped key
	case !top:
		return answer{}, true, fmt.Errorf("the answer is %s, not a TOP envelope object", rawKind(bytes.TrimSpace(body)))
	case hasErr:
		return readError(errRaw)
	case !hasResp:
		return answer{}, true, fmt.Errorf("neither %s nor %s in the answer", ResponseKey, ErrorKey)
	}
	var resRaw []byte
	if !members(respRaw, func(k, v []byte) {
		if string(k) == "result" {
			resRaw = v
		}
	}) {
		return objectOrGiveUp(respRaw, ResponseKey+" is %s, not an object")
	}
	return readResult(resRaw)
}

// members is ObjectMembers that tells a value that is no object (ok, the
// caller's error) from an escaped key (not ok): see objectOrGiveUp.
func members(raw []byte, fn func(k, v []byte)) bool {
	return raw != nil && platforms.ObjectMembers(raw, fn)
}

// objectOrGiveUp is the error for raw not being an object, or a give-up
// when it is one whose keys only a full decode reads.
func objectOrGiveUp(raw []byte, format string) (answer, bool, error) {
	kind := rawKind(raw)
	if kind == "an object" {
		return answer{}, false, nil
	}
	return answer{}, true, fmt.Errorf(format, kind)
}

func readError(raw []byte) (answer, bool, error) {
	a := answer{isError: true}
	ok := members(raw, func(k, v []byte) {
		switch string(k) {
		case "code":
			a.code = rawScalar(v)
		case "msg":
			a.msg = rawScalar(v)
		case "sub_code":
			a.subCode = rawScalar(v)
		case "sub_msg":
			a.subMsg = rawScalar(v)
		}
	})
	if !ok {
		return objectOrGiveUp(raw, ErrorKey+" is %s, not an object")
	}
	return a, true, nil
}

func readResult(raw []byte) (answer, bool, error) {
	var a answer
	var id, biz []byte
	ok := members(raw, func(k, v []byte) {
		switch string(k) {
		case "result_code":
			a.resultCode = rawScalar(v)
		case "result_desc":
			a.resultDesc = rawScalar(v)
		case "result_view":
			a.resultView = rawScalar(v)
		case "result":
			id = v
		case "biz_success":
			biz = v
		}
	})
	if !ok {
		return objectOrGiveUp(raw, ResponseKey+".result is %s, not an object")
	}
	switch rawKind(id) {
	case "a string":
		a.id = rawScalar(id)
	case "a number":
		a.id, a.numericID = string(id), true
	case "a boolean", "null or missing":
		// One public SDK models the inner result as a bool: no ID then.
	default:
		return answer{}, true, fmt.Errorf("result.result is %s, not a customer ID", rawKind(id))
	}
	switch rawKind(biz) {
	case "a boolean", "a string":
		a.bizSuccess = rawScalar(biz)
	case "null or missing":
	default:
		return answer{}, true, fmt.Errorf("result.biz_success is %s, not a boolean", rawKind(biz))
	}
	return a, true, nil
}

// rawKind is jsonKind of the value raw decodes to; nil is a missing one.
func rawKind(raw []byte) string {
	if len(raw) == 0 {
		return "null or missing"
	}
	switch raw[0] {
	case 'n':
		return "null or missing"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}

// rawScalar is scalar of the value raw decodes to.
func rawScalar(raw []byte) string {
	switch rawKind(raw) {
	case "a string":
		s, _ := platforms.JSONString(raw) // valid JSON: it decodes
		return s
	case "a number", "a boolean":
		return string(raw) // a number's text as json.Number keeps it; true, false
	}
	return ""
}
