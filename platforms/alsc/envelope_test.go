package alsc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readEnvelope reads what decodeEnvelope decodes, errors included, or
// leaves the envelope to it.
func FuzzReadEnvelope(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("testdata", "answers", "*.json"))
	names = append(names, filepath.Join("testdata", "seed_success.json"), filepath.Join("testdata", "seed_error.json"))
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"null", "[]", "{}", `"x"`, "0", " {} ", `{"error_response":null}`, `{"error_response":[],"x":1}`,
		`{"alibaba_alsc_crm_customer_create_response":{"result":{"result":true,"biz_success":true}}}`,
		`{"alibaba_alsc_crm_customer_create_response":{"result":{"result":12146313276207759361,"biz_success":"false"}}}`,
		`{"alibaba_alsc_crm_customer_create_response":{"result":{"result":"1","result":2,"biz_success":null}}}`,
		`{"alibaba_alsc_crm_customer_create_response":{"result":[]}}`, `{"alibaba_alsc_crm_customer_create_response":7}`,
		`{"alibaba_alsc_crm_customer_create_response":{"result":{"result":{},"biz_success":true}}}`,
		`{"alibaba_alsc_crm_customer_create_response":{"result":{"result":"x","biz_success":1.5e3}}}`,
		`{"alibaba_alsc_crm_customer_create_response":{"r\u0065sult":{"result":"1","biz_success":true}}}`,
		`{"error_resp\u006fnse":{"code":7}}`, `{"error_response":{"c\u006fde":7,"code":8}}`,
		`{"error_response":{"code":"x","sub_code":{"a":1},"msg":["m"],"sub_msg":"\u738b\n\"","code":-0.5e+2}}`,
		"{\"error_response\":{\"msg\":\"\xff\"}}", `{"Error_Response":{"code":7}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, ok, err := readEnvelope(body)
		if !ok {
			return
		}
		want, wantErr := decodeEnvelope(body)
		if got != want || errText(err) != errText(wantErr) {
			t.Fatalf("%q:\nread    %+v, %v\ndecoded %+v, %v", body, got, err, want, wantErr)
		}
	})
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// The envelopes the sandbox and TOP write are read, not decoded in full.
func TestReadEnvelopeReadsTheUsualAnswers(t *testing.T) {
	for _, s := range []string{
		`{"alibaba_alsc_crm_customer_create_response":{"result":{"result":"12","result_code":"0","result_desc":"处理成功","result_view":"","biz_success":true},"request_id":"abc"}}`,
		`{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isv.x","sub_msg":"bad","request_id":"abc"}}`,
	} {
		if _, ok, err := readEnvelope([]byte(s)); !ok || err != nil {
			t.Errorf("%s: read %v, %v", s, ok, err)
		}
	}
	if _, ok, _ := readEnvelope([]byte(`{"error_resp\u006fnse":{}}`)); ok {
		t.Error("an escaped key was read, not left to the decoder")
	}
	if _, ok, _ := readEnvelope([]byte(strings.Repeat("[", 3))); ok {
		t.Error("invalid JSON was read, not left to the decoder")
	}
}
