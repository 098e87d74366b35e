package youzan

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "responses", "*"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed corpus in testdata/responses: %v", err)
	}
	for _, file := range files {
		body, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	for _, s := range []string{
		"", " ", "null", "true", "0", `""`, "[]", "{}", "{", "}",
		`{"success":null}`, `{"success":1}`, `{"success":true,"data":[]}`,
		`{"success":true,"data":{"outOpenId":""}}`, `{"success":true,"data":{"outOpenId":-0}}`,
		`{"success":true,"data":{"outOpenId":1e400}}`, `{"success":false,"code":1e400}`,
		`{"success":false,"code":-500}`, `{"success":false,"code":"５００"}`,
		`{"success":false,"message":"\ud800"}`, `{"success":false,"errorData":"x"}`,
		`{"success":false,"errorData":[1,2,3]}`, "\xef\xbb\xbf{\"success\":true}",
		`<!DOCTYPE html><title>x`, "{\"success\":true,\"data\":{\"outOpenId\":\"\x00\"}}",
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
		if r.Outcome == platforms.OK && len(r.CustomerIDs) == 0 && r.Message == "" {
			t.Fatalf("Parse(%q): OK without an ID must say why", body)
		}
		if r.Outcome != platforms.OK && len(r.CustomerIDs) > 0 {
			t.Fatalf("Parse(%q): IDs %v on outcome %s", body, r.CustomerIDs, r.Outcome)
		}
		if r.Outcome != platforms.OK && r.Message == "" {
			t.Fatalf("Parse(%q): %s with no message", body, r.Outcome)
		}
	})
}
