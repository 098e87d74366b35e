package alsc

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

func FuzzParse(f *testing.F) {
	for _, name := range []string{"seed_success.json", "seed_success.xml", "seed_error.json", "seed_error.xml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"", " ", "null", "[]", "{}", `"x"`, "0", "<", "<html><title>x</title></html>",
		`{"alibaba_alsc_crm_customer_create_response":{"result":{"result":true,"biz_success":true}}}`,
		`{"alibaba_alsc_crm_customer_create_response":{"result":{"result":12146313276207759361,"biz_success":"false"}}}`,
		`{"alibaba_alsc_crm_customer_create_response":{"result":[]}}`,
		`{"error_response":{"code":7,"sub_code":"accesscontrol.limited-by-app-access-count","sub_msg":"This ban will last for 99999999999999999999 more seconds"}}`,
		`{"error_response":{"code":"x","sub_code":{"a":1},"msg":["m"]}}`,
		`{"error_response":null}`,
		`<?xml version="1.0"?><error_response><code>15</code><sub_code>isp.x</sub_code></error_response>`,
		`<alibaba_alsc_crm_customer_create_response><result><biz_success>1</biz_success></result></alibaba_alsc_crm_customer_create_response>`,
		"\xff\xfe{", `{"a":` + "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := Parse(body)
		switch r.Outcome {
		case platforms.OK, platforms.Partial, platforms.Rejected, platforms.Failed, platforms.Unknown:
		default:
			t.Fatalf("outcome %q for %q", r.Outcome, body)
		}
		if r.Outcome == platforms.Partial || r.Outcome == platforms.Unknown {
			t.Fatalf("a single-customer parse said %q for %q", r.Outcome, body)
		}
		if r.Outcome != platforms.OK && len(r.CustomerIDs) > 0 {
			t.Fatalf("IDs without success for %q: %+v", body, r)
		}
		for _, id := range r.CustomerIDs {
			if id == "" {
				t.Fatalf("empty ID for %q", body)
			}
		}
		if r.Outcome != platforms.OK && r.Message == "" {
			t.Fatalf("no message for %q: %+v", body, r)
		}
		if r.RetryAfter < 0 {
			t.Fatalf("negative RetryAfter for %q", body)
		}
	})
}
