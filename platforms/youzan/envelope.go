package youzan

import (
	"encoding/json"
	"errors"

	"github.com/custdesk/custdesk/platforms"
)

// envelope holds the connector answer's fields as written; nil is absent.
type envelope struct {
	success, code, message, errorData, data []byte
	// dataIsObject says data decoded as an object; outOpenID is its field.
	dataIsObject bool
	outOpenID    []byte
}

// readEnvelope reads the envelope from the answer's bytes, without the maps
// and copies of a full decode. ok is false where only that decode knows:
// invalid JSON or not an object (whose error it words), a key written with
// an escape, or a success that is neither true nor false (which the
// error quotes as the decoder keeps it).
func readEnvelope(body []byte) (env envelope, ok bool) {
	if !json.Valid(body) {
		return envelope{}, false
	}
	if !platforms.ObjectMembers(body, env.member) {
		return envelope{}, false
	}
	if s := string(env.success); s != "true" && s != "false" {
		return envelope{}, false
	}
	if isNull(env.data) || env.data[0] != '{' {
		return env, true
	}
	env.dataIsObject = true
	return env, platforms.ObjectMembers(env.data, func(k, v []byte) {
		if string(k) == "outOpenId" {
			env.outOpenID = v
		}
	})
}

func (env *envelope) member(k, v []byte) {
	switch string(k) {
	case "success":
		env.success = v
	case "code":
		env.code = v
	case "message":
		env.message = v
	case "errorData":
		env.errorData = v
	case "data":
		env.data = v
	}
}

// decodeEnvelope is the envelope decoded in full, the reference that
// readEnvelope must agree with.
func decodeEnvelope(body []byte) (envelope, error) {
	var m map[string]json.RawMessage
	if err := platforms.DecodeJSON(body, &m); err != nil {
		return envelope{}, err
	}
	if m == nil {
		return envelope{}, errors.New("null instead of the Youzan envelope")
	}
	env := envelope{success: m["success"], code: m["code"], message: m["message"], errorData: m["errorData"], data: m["data"]}
	if isNull(env.data) {
		return env, nil
	}
	var data map[string]json.RawMessage
	if json.Unmarshal(env.data, &data) == nil {
		env.dataIsObject, env.outOpenID = true, data["outOpenId"]
	}
	return env, nil
}
