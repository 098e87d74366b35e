package alsc

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// The API page's own answers (XML, as the page shows them) and their JSON form
// (what the client asks for with format=json).
func TestParseSeedExamples(t *testing.T) {
	success := platforms.Result{Outcome: platforms.OK, CustomerIDs: []string{"20193846534522344567"}, Code: "0", Message: "处理成功"}
	refused := platforms.Result{Outcome: platforms.Rejected, Code: "50", SubCode: "isv.invalid-parameter", Message: "非法参数 (Remote service error)"}
	for file, want := range map[string]platforms.Result{
		"seed_success.xml": success, "seed_success.json": success,
		"seed_error.xml": refused, "seed_error.json": refused,
	} {
		t.Run(file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", file))
			if err != nil {
				t.Fatal(err)
			}
			if got := Parse(body); !reflect.DeepEqual(got, want) {
				t.Errorf("Parse = %+v\nwant    %+v", got, want)
			}
		})
	}
}

func TestParseEnvelopes(t *testing.T) {
	okEnv := func(result string) string {
		return `{"alibaba_alsc_crm_customer_create_response":{"result":{"result":` + result + `,"result_code":"0","result_desc":"处理成功","result_view":"处理成功","biz_success":true},"request_id":"x"}}`
	}
	errEnv := func(code, sub string) string {
		return `{"error_response":{"code":` + code + `,"msg":"m","sub_code":"` + sub + `","sub_msg":"s","request_id":"x"}}`
	}
	tests := []struct {
		name string
		body string
		want platforms.Result
	}{
		{"ID as a number beyond 2^53 is kept exactly", okEnv(`12146313276207759361`),
			platforms.Result{Outcome: platforms.OK, CustomerIDs: []string{"12146313276207759361"}, Code: "0", Message: "处理成功"}},
		{"inner result as a bool: ok without ID", okEnv(`true`),
			platforms.Result{Outcome: platforms.OK, Code: "0", Message: "处理成功"}},
		{"inner result null: ok without ID", okEnv(`null`),
			platforms.Result{Outcome: platforms.OK, Code: "0", Message: "处理成功"}},
		{"biz_success as a string", `{"alibaba_alsc_crm_customer_create_response":{"result":{"result":"7","biz_success":"true"}}}`,
			platforms.Result{Outcome: platforms.OK, CustomerIDs: []string{"7"}}},
		{"biz_success false is a refusal", `{"alibaba_alsc_crm_customer_create_response":{"result":{"result":"","result_code":"CUSTOMER_EXISTS","result_desc":"desc","result_view":"顾客已存在","biz_success":false}}}`,
			platforms.Result{Outcome: platforms.Rejected, Code: "CUSTOMER_EXISTS", Message: "顾客已存在"}},
		{"biz_success false without words", `{"alibaba_alsc_crm_customer_create_response":{"result":{"biz_success":false}}}`,
			platforms.Result{Outcome: platforms.Rejected, Message: "ALSC refused the customer (biz_success=false)"}},
		{"isp sub-code is retryable", errEnv("15", "isp.remote-service-timeout"),
			platforms.Result{Outcome: platforms.Failed, Code: "15", SubCode: "isp.remote-service-timeout", Message: "s (m)", Retryable: true}},
		{"isp sub-code under any code", errEnv("50", "isp.unknown-error"),
			platforms.Result{Outcome: platforms.Failed, Code: "50", SubCode: "isp.unknown-error", Message: "s (m)", Retryable: true}},
		{"isv sub-code under code 15 is the caller's", errEnv("15", "isv.invalid-parameter"),
			platforms.Result{Outcome: platforms.Rejected, Code: "15", SubCode: "isv.invalid-parameter", Message: "s (m)"}},
		{"bare remote service error: failed, not retryable", `{"error_response":{"code":15,"msg":"Remote service error"}}`,
			platforms.Result{Outcome: platforms.Failed, Code: "15", Message: "Remote service error"}},
		{"service unavailable is retryable", `{"error_response":{"code":10,"msg":"Service Currently Unavailable"}}`,
			platforms.Result{Outcome: platforms.Failed, Code: "10", Message: "Service Currently Unavailable", Retryable: true}},
		{"app call limited with its ban time", `{"error_response":{"code":7,"msg":"App Call Limited","sub_code":"accesscontrol.limited-by-app-access-count","sub_msg":"This ban will last for 3 more seconds"}}`,
			platforms.Result{Outcome: platforms.Failed, Code: "7", SubCode: "accesscontrol.limited-by-app-access-count",
				Message: "This ban will last for 3 more seconds (App Call Limited)", Retryable: true, RateLimited: true, RetryAfter: 3 * time.Second}},
		{"frequency limit", `{"error_response":{"code":"8","msg":"App Call Exceeds Limited Frequency"}}`,
			platforms.Result{Outcome: platforms.Failed, Code: "8", Message: "App Call Exceeds Limited Frequency", Retryable: true, RateLimited: true}},
		{"invalid signature", `{"error_response":{"code":25,"msg":"Invalid Signature"}}`,
			platforms.Result{Outcome: platforms.Rejected, Code: "25", Message: "Invalid Signature"}},
		{"invalid app key", `{"error_response":{"code":29,"msg":"Invalid App Key","sub_code":"isv.appkey-not-exists","sub_msg":"app_key 不存在"}}`,
			platforms.Result{Outcome: platforms.Rejected, Code: "29", SubCode: "isv.appkey-not-exists", Message: "app_key 不存在 (Invalid App Key)"}},
		{"stale timestamp", `{"error_response":{"code":31,"msg":"Invalid Timestamp"}}`,
			platforms.Result{Outcome: platforms.Rejected, Code: "31", Message: "Invalid Timestamp"}},
		{"missing arguments", `{"error_response":{"code":40,"msg":"Missing Required Arguments"}}`,
			platforms.Result{Outcome: platforms.Rejected, Code: "40", Message: "Missing Required Arguments"}},
		{"unknown code: failed", `{"error_response":{"code":3,"msg":"Upload Fail"}}`,
			platforms.Result{Outcome: platforms.Failed, Code: "3", Message: "Upload Fail"}},
		{"error without words", `{"error_response":{"code":42}}`,
			platforms.Result{Outcome: platforms.Rejected, Code: "42", Message: "TOP error 42"}},
		{"error wins over a success envelope", `{"error_response":{"code":25,"msg":"Invalid Signature"},"alibaba_alsc_crm_customer_create_response":{"result":{"biz_success":true}}}`,
			platforms.Result{Outcome: platforms.Rejected, Code: "25", Message: "Invalid Signature"}},
		{"XML with prolog", `<?xml version="1.0" encoding="UTF-8"?><error_response><code>7</code><msg>App Call Limited</msg></error_response>`,
			platforms.Result{Outcome: platforms.Failed, Code: "7", Message: "App Call Limited", Retryable: true, RateLimited: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Parse([]byte(tt.body)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse = %+v\nwant    %+v", got, tt.want)
			}
		})
	}
}

// Bodies that carry no verdict: each a Failed BAD_BODY whose message says why.
func TestParseBadBodies(t *testing.T) {
	tests := []struct{ name, body, msg string }{
		{"empty", "", "empty body"},
		{"blank", " \n\t", "empty body"},
		{"HTML error page", "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", `HTML instead of JSON: "502 Bad Gateway"`},
		{"truncated JSON", `{"alibaba_alsc_crm_customer_create_response":{"result":{"result":"2019`, "truncated JSON"},
		{"not JSON", "Service Unavailable", "malformed JSON"},
		{"array", `[1,2]`, "an array"},
		{"null", `null`, "null"},
		{"string", `"ok"`, "a string"},
		{"unknown object", `{"code":0}`, "neither"},
		{"response not an object", `{"alibaba_alsc_crm_customer_create_response":"ok"}`, "not an object"},
		{"result missing", `{"alibaba_alsc_crm_customer_create_response":{"request_id":"x"}}`, "result is null or missing"},
		{"error_response not an object", `{"error_response":[50]}`, "not an object"},
		{"no biz_success", `{"alibaba_alsc_crm_customer_create_response":{"result":{"result":"1"}}}`, "no biz_success"},
		{"biz_success odd", `{"alibaba_alsc_crm_customer_create_response":{"result":{"result":"1","biz_success":"maybe"}}}`, `"maybe"`},
		{"biz_success a number", `{"alibaba_alsc_crm_customer_create_response":{"result":{"result":"1","biz_success":1}}}`, "not a boolean"},
		{"ID an object", `{"alibaba_alsc_crm_customer_create_response":{"result":{"result":{"id":1},"biz_success":true}}}`, "not a customer ID"},
		{"trailing data", `{"error_response":{"code":7}} {}`, "trailing data"},
		{"truncated XML envelope", `<error_response><code>7</code><msg>App`, "unreadable XML answer"},
		{"XML envelope without result", `<alibaba_alsc_crm_customer_create_response></alibaba_alsc_crm_customer_create_response>`, "has no result"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse([]byte(tt.body))
			if got.Outcome != platforms.Failed || got.Code != "BAD_BODY" || got.Retryable {
				t.Errorf("Parse = %+v, want a non-retryable Failed BAD_BODY", got)
			}
			if !strings.Contains(got.Message, tt.msg) {
				t.Errorf("message %q does not say %q", got.Message, tt.msg)
			}
		})
	}
}

func TestParseRefusesIDsThatAreNotIDs(t *testing.T) {
	wrap := func(id string) []byte {
		return []byte(`{"alibaba_alsc_crm_customer_create_response":{"result":{"result":` + id + `,"result_code":"0","biz_success":true}}}`)
	}
	for _, id := range []string{`1e400`, `-5`, `1.5`, `"a b"`, `"\u001b[2J"`, `"` + strings.Repeat("9", 65) + `"`, `123456789012345678901`} {
		if r := Parse(wrap(id)); r.Outcome != platforms.Failed || r.Code != "BAD_BODY" || len(r.CustomerIDs) != 0 {
			t.Errorf("ID %s: got %+v", id, r)
		}
	}
	for _, id := range []string{`"AL-123_x.9"`, `18446744073709551615`} {
		if r := Parse(wrap(id)); r.Outcome != platforms.OK || len(r.CustomerIDs) != 1 {
			t.Errorf("ID %s: got %+v", id, r)
		}
	}
}

func TestParseCapsTheBan(t *testing.T) {
	for _, n := range []string{"3600", "999999999999", "99999999999999999999999999"} {
		r := Parse([]byte(`{"error_response":{"code":7,"msg":"App Call Limited","sub_code":"accesscontrol.limited-by-app-access-count","sub_msg":"This ban will last for ` + n + ` more seconds"}}`))
		if !r.RateLimited || r.RetryAfter != platforms.MaxRetryAfter {
			t.Errorf("ban of %s s: got %+v", n, r)
		}
	}
}
