package nxlink

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The page's three answers, parsed to exactly these Results. The IDs are above
// 2^53: through float64 they would come out as ...775936 for both.
func TestParseSeedAnswers(t *testing.T) {
	cases := []struct {
		file string
		want platforms.Result
	}{
		{"seed_response_success.json", platforms.Result{
			Outcome:     platforms.OK,
			CustomerIDs: []string{"1214631327620775936", "1214631327620775937"},
			Code:        "0",
			Items: []platforms.ItemResult{
				{Index: 0, Outcome: platforms.OK, CustomerID: "1214631327620775936"},
				{Index: 1, Outcome: platforms.OK, CustomerID: "1214631327620775937"},
			},
		}},
		{"seed_response_partial.json", platforms.Result{
			Outcome:     platforms.Partial,
			CustomerIDs: []string{"1214631327620775936"},
			Code:        "12148",
			Message:     "1 of 2 created; refused #1: 12148 归属坐席 agent1 不存在,请前往 管理->成员 确认",
			Items: []platforms.ItemResult{
				{Index: 0, Outcome: platforms.OK, CustomerID: "1214631327620775936"},
				{Index: 1, Outcome: platforms.Rejected, Code: "12148", Message: "归属坐席 agent1 不存在,请前往 管理->成员 确认"},
			},
		}},
		{"seed_response_failure.json", platforms.Result{
			Outcome: platforms.Rejected,
			Code:    "12148",
			Message: "归属坐席 agent1 不存在,请前往 管理->成员 确认",
		}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			got := Parse(readTestdata(t, c.file))
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Parse =\n%#v\nwant\n%#v", got, c.want)
			}
		})
	}
}

func TestParseWholeCallCodes(t *testing.T) {
	cases := []struct {
		body                   string
		outcome                platforms.Outcome
		code                   string
		retryable, rateLimited bool
		message                string
	}{
		{`{"code":1001,"message":"缺少公共参数 ts","traceId":"t","data":null}`, platforms.Rejected, "1001", false, false, "缺少公共参数 ts"},
		{`{"code":1002,"message":"customers 单次限制100","data":null}`, platforms.Rejected, "1002", false, false, "customers 单次限制100"},
		{`{"code":1003,"message":"签名错误"}`, platforms.Rejected, "1003", false, false, "签名错误"},
		{`{"code":1004,"message":"请求已过期"}`, platforms.Rejected, "1004", false, false, "请求已过期"},
		{`{"code":1005,"message":null}`, platforms.Rejected, "1005", false, false, "NXLink refused the request with code 1005"},
		{`{"code":500,"message":"系统繁忙,请稍后重试","data":null}`, platforms.Failed, "500", true, false, "系统繁忙,请稍后重试"},
		{`{"code":503,"message":"unavailable"}`, platforms.Failed, "503", true, false, "unavailable"},
		{`{"code":429,"message":"too many"}`, platforms.Failed, "429", true, true, "too many"},
		{`{"code":"1003","message":"签名错误"}`, platforms.Rejected, "1003", false, false, "签名错误"},
		{`{"code":1.2148e4,"message":"x"}`, platforms.Rejected, "12148", false, false, "x"},
	}
	for _, c := range cases {
		r := Parse([]byte(c.body))
		if r.Outcome != c.outcome || r.Code != c.code || r.Retryable != c.retryable || r.RateLimited != c.rateLimited || r.Message != c.message {
			t.Errorf("Parse(%s) = %+v", c.body, r)
		}
		if len(r.CustomerIDs) != 0 || len(r.Items) != 0 {
			t.Errorf("a whole-call failure carries no IDs or items: %+v", r)
		}
	}
}

func TestParseBatches(t *testing.T) {
	allFailed := `{"code":0,"message":null,"traceId":"x","data":{"totalCount":2,"successCount":0,"failCount":2,
		"failItems":[{"index":1,"errorCode":1002,"errorMessage":"sms_phone 必须是纯数字"},{"index":0,"errorCode":12148,"errorMessage":"归属坐席 a 不存在"}],
		"successItems":[]}}`
	r := Parse([]byte(allFailed))
	if r.Outcome != platforms.Rejected || r.Code != "12148" || r.Retryable || len(r.CustomerIDs) != 0 {
		t.Errorf("all failed = %+v", r)
	}
	if r.Message != "all 2 refused: #0: 12148 归属坐席 a 不存在; #1: 1002 sms_phone 必须是纯数字" {
		t.Errorf("message = %q", r.Message)
	}
	if len(r.Items) != 2 || r.Items[0].Index != 0 || r.Items[1].Index != 1 || r.Items[1].Code != "1002" {
		t.Errorf("items not by index: %+v", r.Items)
	}

	one := Parse([]byte(`{"code":0,"data":{"failItems":[{"index":0,"errorCode":1002,"errorMessage":"full_name 不能为空"}]}}`))
	if one.Outcome != platforms.Rejected || one.Message != "refused #0: 1002 full_name 不能为空" {
		t.Errorf("single refusal = %+v", one)
	}

	// Success items out of order, IDs as strings or numbers: IDs follow the
	// request's order and keep every digit.
	ok := Parse([]byte(`{"code":0,"data":{"successItems":[{"index":2,"customerId":"9223372036854775807"},{"index":0,"customerId":1214631327620775937},{"index":1,"customerId":18446744073709551615}]}}`))
	want := []string{"1214631327620775937", "18446744073709551615", "9223372036854775807"}
	if ok.Outcome != platforms.OK || !reflect.DeepEqual(ok.CustomerIDs, want) {
		t.Errorf("ordered IDs = %+v", ok)
	}
}

func TestParseUnusableBodies(t *testing.T) {
	cases := map[string]string{
		"":      "empty body",
		"   \n": "empty body",
		"<html><title>502 Bad Gateway</title></html>":                     "HTML instead of JSON",
		`{"code":0,"data":{"successItems":[{"index":0,"customerId":12146`: "truncated JSON",
		`[]`:                                    "malformed JSON",
		`"ok"`:                                  "malformed JSON",
		`{}`:                                    `no "code"`,
		`{"code":null}`:                         `no "code"`,
		`{"code":"abc"}`:                        "malformed JSON",
		`{"code":0}`:                            `no "data"`,
		`{"code":0,"data":"abc"}`:               "data:",
		`{"code":0,"data":{}}`:                  "no created and no refused",
		`{"code":0,"data":{"successItems":{}}}`: "malformed JSON",
		`{"code":0,"data":{"successItems":[{"index":"a"}]}}`: "malformed JSON",
		`{"code":0,"data":{"successItems":[{"index":0.5}]}}`: "malformed JSON",
		`{"code":0} {"code":1}`:                              "trailing data",
	}
	for body, want := range cases {
		r := Parse([]byte(body))
		if r.Outcome != platforms.Failed || r.Code != "BAD_BODY" || !strings.Contains(r.Message, want) {
			t.Errorf("Parse(%q) = %+v, want BAD_BODY mentioning %q", body, r, want)
		}
	}
}
