package nxlink

import (
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

func FuzzParse(f *testing.F) {
	for _, name := range []string{"seed_response_success.json", "seed_response_partial.json", "seed_response_failure.json"} {
		f.Add(readTestdata(f, name))
	}
	for _, s := range []string{
		"", " ", "null", "[]", "{}", `"x"`, "0", "<html><title>x</title></html>",
		`{"code":0}`, `{"code":0,"data":null}`, `{"code":0,"data":""}`, `{"code":0,"data":{}}`, `{"code":null}`, `{"code":"0"}`,
		`{"code":500,"message":"系统繁忙,请稍后重试","data":null}`,
		`{"code":1e999}`, `{"code":-0}`, `{"code":1.5}`,
		`{"code":0,"data":{"successItems":[{"index":-1,"customerId":-5}],"failItems":[{"index":9223372036854775807,"errorCode":1e3}]}}`,
		`{"code":0,"data":{"successItems":[{"index":0,"customerId":12146`,
		`{"code":0,"data":{"successItems":[{"index":0,"customerId":"abc"}]}}`,
		`{"code":0,"message":"\ud800","data":{"failItems":[{"index":0,"errorMessage":"` + string([]byte{0xff, 0xfe}) + `"}]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := Parse(body)
		switch r.Outcome {
		case platforms.OK, platforms.Partial, platforms.Rejected, platforms.Failed, platforms.Unknown:
		default:
			t.Fatalf("Parse(%q) gave outcome %q", body, r.Outcome)
		}
		// OK without items is the answer whose data is null or "": created,
		// with no IDs to show.
		if r.Outcome == platforms.Partial && len(r.Items) == 0 {
			t.Fatalf("Parse(%q) = %s without items", body, r.Outcome)
		}
		if r.Outcome == platforms.OK && len(r.Items) == 0 && len(r.CustomerIDs) > 0 {
			t.Fatalf("Parse(%q) = ok with IDs but no items", body)
		}
		for _, id := range r.CustomerIDs {
			if id == "" {
				t.Fatalf("Parse(%q) listed an empty ID", body)
			}
		}
	})
}
