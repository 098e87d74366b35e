package youzan

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

// TestParseGolden reads each answer in testdata/responses (the seed page's own
// example among them) into the Result it must give.
func TestParseGolden(t *testing.T) {
	cases := []struct {
		file string
		want platforms.Result
		// msgHas is checked instead of an exact Message when set.
		msgHas string
	}{
		{file: "seed_example.json", want: platforms.Result{Outcome: platforms.Rejected, Code: "0",
			Message: `success=false, code 0, no message (errorData {"":{}})`}},
		{file: "success.json", want: platforms.Result{Outcome: platforms.OK, Code: "200", Message: "success",
			CustomerIDs: []string{"M20240518000123"}}},
		{file: "success_numeric_id.json", want: platforms.Result{Outcome: platforms.OK, Code: "200", Message: "success",
			CustomerIDs: []string{"1214631327620775937"}}},
		{file: "success_no_data.json", want: platforms.Result{Outcome: platforms.OK, Code: "200",
			Message: "success; created, but the answer carries no member ID: no data"}},
		{file: "busy.json", want: platforms.Result{Outcome: platforms.Failed, Code: "500", Message: "系统繁忙,请稍后重试", Retryable: true}},
		{file: "rate_limited.json", want: platforms.Result{Outcome: platforms.Failed, Code: "429", Message: "请求过于频繁",
			Retryable: true, RateLimited: true}},
		{file: "param_error.json", want: platforms.Result{Outcome: platforms.Rejected, Code: "400",
			Message: `mobile 不能为空 (errorData {"field":"mobile"})`}},
		{file: "string_code.json", want: platforms.Result{Outcome: platforms.Rejected, Code: "MEMBER_EXISTS", Message: "会员已存在"}},
		{file: "success_string.json", want: platforms.Result{Outcome: platforms.Failed, Code: "BAD_BODY"}, msgHas: `"success" is "true", not true or false`},
		{file: "no_success.json", want: platforms.Result{Outcome: platforms.Failed, Code: "BAD_BODY"}, msgHas: `no "success" field`},
		{file: "truncated.json", want: platforms.Result{Outcome: platforms.Failed, Code: "BAD_BODY", Message: "truncated JSON"}},
		{file: "html.html", want: platforms.Result{Outcome: platforms.Failed, Code: "BAD_BODY", Message: `HTML instead of JSON: "502 Bad Gateway"`}},
		{file: "empty.txt", want: platforms.Result{Outcome: platforms.Failed, Code: "BAD_BODY", Message: "empty body"}},
		{file: "array.json", want: platforms.Result{Outcome: platforms.Failed, Code: "BAD_BODY"}, msgHas: "cannot unmarshal array"},
	}
	seen := map[string]bool{}
	for _, tc := range cases {
		seen[tc.file] = true
		t.Run(tc.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", "responses", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			got := Parse(body)
			if tc.msgHas != "" {
				if !strings.Contains(got.Message, tc.msgHas) {
					t.Errorf("Message = %q, want it to contain %q", got.Message, tc.msgHas)
				}
				got.Message = ""
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parse =\n %+v\nwant\n %+v", got, tc.want)
			}
		})
	}
	// Every example in testdata must be asserted, or it is dead weight.
	files, _ := filepath.Glob(filepath.Join("testdata", "responses", "*"))
	for _, f := range files {
		if !seen[filepath.Base(f)] {
			t.Errorf("testdata/responses/%s has no expected Result", filepath.Base(f))
		}
	}
}

func TestParseEdges(t *testing.T) {
	cases := []struct {
		body string
		want platforms.Result
	}{
		{`null`, platforms.Result{Outcome: platforms.Failed, Code: "BAD_BODY", Message: "malformed JSON: null instead of the Youzan envelope"}},
		{`{"success":true,"data":{"outOpenId":""}}`, platforms.Result{Outcome: platforms.OK,
			Message: "created, but the answer carries no member ID: data.outOpenId is empty"}},
		{`{"success":true,"data":"M1"}`, platforms.Result{Outcome: platforms.OK,
			Message: "created, but the answer carries no member ID: data is not an object"}},
		{`{"success":true,"data":{"outOpenId":{"id":1}}}`, platforms.Result{Outcome: platforms.OK,
			Message: "created, but the answer carries no member ID: data.outOpenId is not text"}},
		{`{"success":true,"data":{}}`, platforms.Result{Outcome: platforms.OK,
			Message: "created, but the answer carries no member ID: no data.outOpenId"}},
		{` {"success" : true , "data" : {"outOpenId" : "a-b_7"}} `, platforms.Result{Outcome: platforms.OK, CustomerIDs: []string{`a-b_7`}}},
		{`{"success":true,"data":{"outOpenId":"a\"b"}}`, platforms.Result{Outcome: platforms.Failed, Code: "BAD_BODY",
			Message: `the customer ID "a\"b" holds '"', which no customer ID has`}},
		{`{"success":true,"data":{"outOpenId":1e400}}`, platforms.Result{Outcome: platforms.Failed, Code: "BAD_BODY",
			Message: `the customer ID "1e400" is not an integer written in digits`}},
		{"{\"success\":true,\"data\":{\"outOpenId\":\"\xff\xfe\"}}", platforms.Result{Outcome: platforms.Failed, Code: "BAD_BODY",
			Message: "the customer ID \"\ufffd\ufffd\" holds a character outside ASCII, which no customer ID has"}},
		{`{"success":false}`, platforms.Result{Outcome: platforms.Rejected, Message: "success=false with no message"}},
		{`{"success":false,"code":599,"message":null}`, platforms.Result{Outcome: platforms.Failed, Code: "599", Retryable: true,
			Message: "success=false, code 599, no message"}},
		{`{"success":false,"code":600,"message":"x"}`, platforms.Result{Outcome: platforms.Rejected, Code: "600", Message: "x"}},
		{`{"success":false,"code":"503","message":"x","errorData":{}}`, platforms.Result{Outcome: platforms.Failed, Code: "503", Message: "x", Retryable: true}},
		{`{"success":false,"code":135000001,"message":"x"}`, platforms.Result{Outcome: platforms.Rejected, Code: "135000001", Message: "x"}},
		{`{"success":false,"message":{"zh":"x"}}`, platforms.Result{Outcome: platforms.Rejected, Message: `{"zh":"x"}`}},
		{`{"success":true}{"success":false}`, platforms.Result{Outcome: platforms.Failed, Code: "BAD_BODY",
			Message: "malformed JSON: trailing data after the JSON value"}},
	}
	for _, tc := range cases {
		if got := Parse([]byte(tc.body)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Parse(%s) =\n %+v\nwant\n %+v", tc.body, got, tc.want)
		}
	}
}
