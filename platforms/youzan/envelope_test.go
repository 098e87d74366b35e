package youzan

import (
	"bytes"
	"fmt"
	"testing"
)

// readEnvelope reads what decodeEnvelope decodes, or leaves the envelope
// to it.
func FuzzReadEnvelope(f *testing.F) {
	for _, s := range []string{
		`{"success":true,"code":200,"message":"success","requestId":"3f","data":{"outOpenId":"9007199254740993"}}`,
		`{"success":false,"code":500,"message":"系统繁忙","errorData":{"a":"b"},"data":null}`,
		`{"success":null}`, `{"success":true,"success":false}`, `{"succ\u0065ss":true}`, `{}`, `null`, `[]`, `1`,
		`{"success":true,"data":{"outOpenId":12,"outOpenId":"x"}}`, `{"success":true,"data":[1]}`, `{"success":true,"data":"s"}`,
		`{"success":true,"data":{"out\u004fpenId":"1"}}`, `{"success": true ,"code": "a\"b" ,"message":{"x": [1, 2]}}`,
		"{\"success\":true,\"message\":\"\xff\"}", `{"Success":true}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, ok := readEnvelope(body)
		if !ok {
			return
		}
		want, err := decodeEnvelope(body)
		if err != nil {
			t.Fatalf("%q: read, but the decoder fails: %v", body, err)
		}
		if !sameEnvelope(got, want) {
			t.Fatalf("%q:\nread    %s\ndecoded %s", body, got, want)
		}
	})
}

func (env envelope) String() string {
	return fmt.Sprintf("success %q code %q message %q errorData %q data %q (object %v, outOpenId %q)",
		env.success, env.code, env.message, env.errorData, env.data, env.dataIsObject, env.outOpenID)
}

func sameEnvelope(a, b envelope) bool {
	same := func(x, y []byte) bool { return (x == nil) == (y == nil) && bytes.Equal(x, y) }
	return same(a.success, b.success) && same(a.code, b.code) && same(a.message, b.message) &&
		same(a.errorData, b.errorData) && same(a.data, b.data) && a.dataIsObject == b.dataIsObject && same(a.outOpenID, b.outOpenID)
}

// The answers connectors write are read, not decoded in full.
func TestReadEnvelopeReadsTheUsualAnswers(t *testing.T) {
	for _, s := range []string{
		`{"success":true,"code":200,"message":"success","requestId":"3f","data":{"outOpenId":"9007199254740993"}}`,
		`{"success":false,"code":500,"message":"系统繁忙","requestId":"3f","data":null}`,
	} {
		if _, ok := readEnvelope([]byte(s)); !ok {
			t.Errorf("%s was left to the decoder", s)
		}
	}
	if env, err := decodeEnvelope([]byte(`{"success":null}`)); err != nil || string(env.success) != "null" {
		t.Errorf("a null success decodes as %q, %v; want it kept as null", env.success, err)
	}
}
