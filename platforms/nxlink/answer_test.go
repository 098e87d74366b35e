package nxlink

import (
	"reflect"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

var answerSeeds = []string{
	`{"code":0,"message":null,"traceId":"7c1e","data":{"totalCount":1,"successCount":1,"failCount":0,"failItems":[],"successItems":[{"index":0,"customerId":9007199254740993,"whatsAppPhone":""}]}}`,
	`{"code":0,"data":{"failItems":[{"index":1,"errorCode":12148,"errorMessage":"归属坐席不存在"}],"successItems":[{"index":0,"customerId":12}]}}`,
	`{"code":1003,"message":"sign error","traceId":"x","data":null}`, `{"code":"0","data":""}`, `{"code":0,"data":{}}`,
	`{"Code":0,"code":1}`, `{"code":0,"code":1}`, `{"c\u006fde":0}`, `{"code":0,"message":5}`, `{"code":true}`,
	`{"code":0,"data":{"successItems":[{"index":1.5,"customerId":1}]}}`, `{"code":0,"data":{"successItems":[null]}}`,
	`{"code":0,"data":{"successItems":[{"index":"1"}],"failItems":{}}}`, `{"code":0,"data":[1]}`, `{"code":0,"data":"x"}`,
	`{"code":0,"data":{"successItems":[{"index":99999999999999999999}]}}`, `{"code":0,"data":{"ſuccessItems":[]}}`,
	` {"code":-0.0e1,"traceId":null,"message":"\u738b"} `, `null`, `[]`, `{"code":0,"data":{"successItems":[{"customerId":"12"}]}}`,
}

// readAnswer reads what DecodeJSON decodes into Response and BatchResult,
// or leaves the answer, or its data, to it.
func FuzzReadAnswer(f *testing.F) {
	for _, s := range answerSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		resp, batch, ok := readAnswer(body)
		if !ok {
			return
		}
		var want Response
		if err := platforms.DecodeJSON(body, &want); err != nil {
			t.Fatalf("%q: read, but the decoder fails: %v", body, err)
		}
		if !reflect.DeepEqual(resp, want) {
			t.Fatalf("%q:\nread    %+v\ndecoded %+v", body, resp, want)
		}
		if batch == nil {
			return
		}
		var d BatchResult
		if err := platforms.DecodeJSON(want.Data, &d); err != nil {
			t.Fatalf("%q: data read, but the decoder fails: %v", body, err)
		}
		if !reflect.DeepEqual(*batch, d) {
			t.Fatalf("%q:\nread    %+v\ndecoded %+v", body, *batch, d)
		}
	})
}

// The answers NXLink writes are read, not decoded.
func TestReadAnswerReadsTheUsualAnswers(t *testing.T) {
	for _, s := range answerSeeds[:2] {
		if _, batch, ok := readAnswer([]byte(s)); !ok || batch == nil {
			t.Errorf("%s was left to the decoder", s)
		}
	}
	for _, s := range []string{`{"Code":0,"code":1}`, `{"code":0,"code":1}`, `{"c\u006fde":0}`} {
		if _, _, ok := readAnswer([]byte(s)); ok {
			t.Errorf("%s was read, not left to the decoder", s)
		}
	}
}
