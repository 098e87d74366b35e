package platforms

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestMaskURL(t *testing.T) {
	cases := []struct{ in, want, env string }{
		{"https://u:p%40ss-word@h.example/x", "https://u:******@h.example/x", "E_PASSWORD"},
		{"https://tok-12345678@h.example", "https://******@h.example", "E_USER"},
		{"https://h.example/x", "https://h.example/x", ""},
	}
	for _, c := range cases {
		got, marks := MaskURL(c.in, "E")
		if got != c.want {
			t.Errorf("MaskURL(%s) = %s, want %s", c.in, got, c.want)
		}
		if c.env == "" {
			if len(marks) != 0 {
				t.Errorf("%s: %v", c.in, marks)
			}
			continue
		}
		if len(marks) != 1 || marks[0].Var != c.env || got[marks[0].Offset:marks[0].Offset+len(MaskString)] != MaskString {
			t.Errorf("%s: redactions %+v", c.in, marks)
		}
	}
	for _, in := range []string{"ftp://u:pw-secret@h", "http://u:pw-secret@h x/%zz"} {
		if got := URLForMessage(in); strings.Contains(got, "pw-secret") {
			t.Errorf("URLForMessage(%q) = %q", in, got)
		}
	}
}

// Redact masks what the platform sent back wherever a secret appears, and the
// configuration-only parts of the request; the request body, which carries
// the customer's text, is left as the client masked it.
func TestRedact(t *testing.T) {
	const sec = "s3cret-value"
	ex := Exchange{
		Request:         Trace{URL: "http://h/?k=" + sec, Headers: map[string]string{"X": sec}, Body: []byte(`{"remark":"` + sec + `"}`), Signed: "remark" + sec},
		Response:        []byte(`{"echo":"` + sec + `"}`),
		ResponseHeaders: map[string]string{"Echo": sec},
		Error:           "e " + sec,
		Result: Result{Message: "m " + sec, CustomerIDs: []string{sec}, Code: sec, SubCode: sec,
			Items: []ItemResult{{CustomerID: sec, Message: sec, Code: sec}}},
	}
	got := Redact(ex, []string{sec, "short"})
	all := got.Request.URL + got.Request.Headers["X"] + string(got.Response) + got.ResponseHeaders["Echo"] + got.Error +
		got.Result.Message + got.Result.CustomerIDs[0] + got.Result.Code + got.Result.SubCode +
		got.Result.Items[0].CustomerID + got.Result.Items[0].Message + got.Result.Items[0].Code
	if strings.Contains(all, sec) {
		t.Errorf("a secret is left: %s", all)
	}
	if string(got.Request.Body) != string(ex.Request.Body) || got.Request.Signed != ex.Request.Signed {
		t.Errorf("the customer's text was rewritten: %s / %s", got.Request.Body, got.Request.Signed)
	}
	if ex.Request.Headers["X"] != sec || ex.ResponseHeaders["Echo"] != sec || ex.Result.CustomerIDs[0] != sec || ex.Result.Items[0].Message != sec {
		t.Error("Redact changed the exchange it was given")
	}
	if r := Redact(Exchange{Error: "short"}, []string{"short"}); r.Error != "short" {
		t.Errorf("a secret under %d characters masked text: %q", MinSecretLength, r.Error)
	}
}

// The shown text parts from the sent one at the first secret and not before.
func TestSecretText(t *testing.T) {
	plain := NewSecretText(PartBody)
	plain.Grow(4)
	plain.Write("a=1&")
	plain.Write("b=2")
	if plain.Sent() != "a=1&b=2" || plain.Shown() != "a=1&b=2" || plain.Redactions() != nil {
		t.Errorf("no secret: sent %q shown %q marks %v", plain.Sent(), plain.Shown(), plain.Redactions())
	}
	s := NewSecretText(PartSigned)
	s.Grow(len("k=topsecret&k=x"))
	s.Write("k=")
	s.Secret("topsecret", "A")
	s.Write("&k=")
	s.Secret("x", "B")
	s.Write("!")
	want := []Redaction{{Part: PartSigned, Offset: 2, Var: "A"}, {Part: PartSigned, Offset: 11, Var: "B"}}
	if s.Sent() != "k=topsecret&k=x!" || s.Shown() != "k=******&k=******!" || !reflect.DeepEqual(s.Redactions(), want) {
		t.Errorf("sent %q shown %q marks %v", s.Sent(), s.Shown(), s.Redactions())
	}
}

func TestWriteQueryIsQueryEscape(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for _, s := range []string{"", "plain-_.~AZaz09", " ", "a b+c&d=e", `{"k":"王小二 <&>"}`, "2016-01-01 12:00:00", "\xff\x00", string(all)} {
		checkWriteQuery(t, s)
	}
}

func FuzzWriteQuery(f *testing.F) {
	f.Add(`{"name":"王小二","remark":"a+b c&d"}`)
	f.Fuzz(checkWriteQuery)
}

func checkWriteQuery(t *testing.T, s string) {
	want := url.QueryEscape(s)
	q := NewSecretText(PartBody)
	q.WriteQuery(s)
	if q.Sent() != want || q.Shown() != want || QueryEscapedLen(s) != len(want) {
		t.Errorf("WriteQuery(%q) = %q (length %d); want %q", s, q.Sent(), QueryEscapedLen(s), want)
	}
}
