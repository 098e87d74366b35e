package platforms

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

var jsonObjectSeeds = []string{
	`{}`, ` { } `, `{"a":1}`, `{"a" : "x\"}" , "b":[1,{"c":"]"}],"a":null}`, `{"k\u0065y":1}`, `[1]`, `null`, `"s"`,
	`{"a":{"b":{"c":true}},"d":-1.5e3,"e":false}`, "{\"\xff\":\"\xfe\"}", `{"a":"\\"}`, `{"":""}`,
	`{"alibaba_alsc_crm_customer_create_response":{"result":{"result":"9007199254740993","biz_success":true}}}`,
}

// ObjectMembers reads what encoding/json decodes, or says it cannot.
func FuzzObjectMembers(f *testing.F) {
	for _, s := range jsonObjectSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) || !utf8.Valid(raw) {
			return // a decoder writes invalid UTF-8 in keys as U+FFFD: no ASCII key it is
		}
		got := map[string][]byte{}
		ok := ObjectMembers(raw, func(k, v []byte) { got[string(k)] = v })
		var want map[string]json.RawMessage
		err := json.Unmarshal(raw, &want)
		if !ok {
			if err == nil && want != nil && !bytes.Contains(raw, []byte(`\`)) {
				t.Fatalf("gave up on %q, which decodes", raw)
			}
			return
		}
		if err != nil || len(got) != len(want) {
			t.Fatalf("%q: read %q, decoder %q (%v)", raw, got, want, err)
		}
		for k, v := range want {
			if !bytes.Equal(bytes.TrimSpace(v), got[k]) {
				t.Fatalf("%q: %q is %q, decoder %q", raw, k, got[k], v)
			}
		}
	})
}

// JSONString decodes as encoding/json does.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{`""`, `"a"`, `"王"`, `"\u00e9\n"`, "\"\xff\"", `"a\"b"`, `"` + "\t" + `"`, `1`, `"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var want string
		wantErr := json.Unmarshal(raw, &want)
		got, err := JSONString(raw)
		if (err == nil) != (wantErr == nil) || got != want {
			t.Fatalf("JSONString(%q) = %q, %v; decoder %q, %v", raw, got, err, want, wantErr)
		}
	})
}

// ArrayElements reads the elements encoding/json decodes.
func FuzzArrayElements(f *testing.F) {
	for _, s := range []string{`[]`, ` [ ] `, `[1]`, `[1, "a]" ,{"b":[2,3]}, null ,true]`, `{}`, `"["`, `[[],[[]]]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			return
		}
		var got [][]byte
		ok := ArrayElements(raw, func(v []byte) { got = append(got, v) })
		var want []json.RawMessage
		err := json.Unmarshal(raw, &want)
		if ok != (err == nil && want != nil) || len(got) != len(want) {
			t.Fatalf("%q: read %v %q, decoder %q (%v)", raw, ok, got, want, err)
		}
		for i := range want {
			if !bytes.Equal(want[i], got[i]) {
				t.Fatalf("%q: element %d is %q, decoder %q", raw, i, got[i], want[i])
			}
		}
	})
}
