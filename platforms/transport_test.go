package platforms

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"
)

// okParser accepts {"ok":true} and treats anything else as unreadable.
func okParser(body []byte) Result {
	var v struct {
		OK *bool `json:"ok"`
	}
	if err := DecodeJSON(body, &v); err != nil {
		return BadBody(body, err)
	}
	if v.OK == nil || !*v.OK {
		return Result{Outcome: Rejected, Code: "NO", Message: "said no"}
	}
	return Result{Outcome: OK, CustomerIDs: []string{"1"}}
}

func send(t *testing.T, url string, caller Caller) Exchange {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"x":1}`))
	if err != nil {
		t.Fatal(err)
	}
	return caller.Do(context.Background(), "test", Single("rid", Customer{}), req, Trace{Method: "POST", URL: url}, okParser)
}

func serve(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s.URL
}

func TestDoHardEdges(t *testing.T) {
	cases := []struct {
		name    string
		handler http.HandlerFunc
		outcome Outcome
		code    string
		msg     string
		retry   bool
	}{
		{"ok", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"ok":true}`)) }, OK, "", "", false},
		{"html error page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html><head><title>Bad Gateway</title></head></html>"))
		}, Failed, "BAD_BODY", `HTML instead of JSON: "Bad Gateway"`, false},
		{"empty body", func(w http.ResponseWriter, r *http.Request) {}, Failed, "BAD_BODY", "empty body", false},
		{"truncated json", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"ok":tr`)) }, Failed, "BAD_BODY", "truncated JSON", false},
		{"wrong content type but JSON", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte(`{"ok":true}`))
		}, OK, "", "", false},
		{"503 html", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(503)
			w.Write([]byte("<title>503 Service Unavailable</title>"))
		}, Failed, "HTTP 503", `HTML page "503 Service Unavailable"`, true},
		{"429 retry-after", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(429)
		}, Failed, "HTTP 429", "rate limited", true},
		{"404 with JSON success", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(404)
			w.Write([]byte(`{"ok":true}`))
		}, Failed, "HTTP 404", "", false},
		{"huge body", func(w http.ResponseWriter, r *http.Request) {
			w.Write(bytes.Repeat([]byte("x"), MaxResponseBytes+10))
		}, Unknown, "TOO_LARGE", "may have created the customer", true},
		{"padded success", func(w http.ResponseWriter, r *http.Request) {
			w.Write(append([]byte(`{"ok":true}`), bytes.Repeat([]byte(" "), MaxResponseBytes)...))
		}, Unknown, "TOO_LARGE", "read as created (customer ID 1)", true},
		{"huge 404", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(404)
			w.Write(bytes.Repeat([]byte("x"), MaxResponseBytes+10))
		}, Failed, "TOO_LARGE", "HTTP 404 answer larger than", false},
		{"huge 502", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(502)
			w.Write(bytes.Repeat([]byte("x"), MaxResponseBytes+10))
		}, Failed, "TOO_LARGE", "HTTP 502 answer larger than", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ex := send(t, serve(t, tc.handler), Caller{})
			r := ex.Result
			if r.Outcome != tc.outcome || r.Code != tc.code || !strings.Contains(r.Message, tc.msg) || r.Retryable != tc.retry {
				t.Fatalf("got %+v, want outcome %s code %q message containing %q retryable %v", r, tc.outcome, tc.code, tc.msg, tc.retry)
			}
		})
	}
}

func TestDoCapsHugeBody(t *testing.T) {
	ex := send(t, serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("y"), 5*MaxResponseBytes))
	}), Caller{})
	if !ex.Truncated || len(ex.Response) != MaxResponseBytes {
		t.Fatalf("truncated=%v len=%d, want capped at %d", ex.Truncated, len(ex.Response), MaxResponseBytes)
	}
}

func TestDoRetryAfter(t *testing.T) {
	ex := send(t, serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(429)
	}), Caller{})
	if !ex.Result.RateLimited || ex.Result.RetryAfter != 7*time.Second {
		t.Fatalf("got %+v", ex.Result)
	}
}

func TestDoCapsRetryAfter(t *testing.T) {
	for _, v := range []string{"999999999999", "99999999999999999999999999", "3601", "Fri, 01 Jan 2149 00:00:00 GMT"} {
		ex := send(t, serve(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", v)
			w.WriteHeader(429)
		}), Caller{})
		if ex.Result.RetryAfter != MaxRetryAfter {
			t.Errorf("Retry-After %s: pause %s, want the cap %s", v, ex.Result.RetryAfter, MaxRetryAfter)
		}
	}
}

// TestDoNeverFollowsRedirects: a 3xx to another host is the answer, not a
// hop. The target never sees the request (nor its credentials), and the
// exchange is a definite failure that names the Location.
func TestDoNeverFollowsRedirects(t *testing.T) {
	var hits atomic.Int32
	target := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte(`{"ok":true}`))
	})
	for _, status := range []int{301, 302, 303, 307, 308} {
		origin := serve(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", target+"/steal\u202e")
			w.WriteHeader(status)
		})
		for _, caller := range []Caller{{}, {Client: &http.Client{}}} {
			ex := send(t, origin, caller)
			r := ex.Result
			if r.Outcome != Failed || r.Code != "HTTP "+strconv.Itoa(status) || r.Retryable || len(r.CustomerIDs) != 0 {
				t.Errorf("%d: got %+v", status, r)
			}
			if !strings.Contains(r.Message, target+`/steal\u202e`) || strings.ContainsRune(r.Message, 0x202e) {
				t.Errorf("%d: message should name the Location, escaped: %q", status, r.Message)
			}
			if ex.Status != status {
				t.Errorf("%d: status %d", status, ex.Status)
			}
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the redirect target was called %d times", n)
	}
}

func TestDoTimeoutAfterWriteIsUnknown(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	url := serve(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	ex := send(t, url, Caller{Timeout: 100 * time.Millisecond})
	if ex.Result.Outcome != Unknown || ex.Result.Code != "TIMEOUT" || !ex.Result.Retryable {
		t.Fatalf("got %+v", ex.Result)
	}
	if !strings.Contains(ex.Result.Message, "may have applied") {
		t.Fatalf("message should warn it may have been applied: %q", ex.Result.Message)
	}
}

func TestDoConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ex := send(t, "http://"+addr+"/x", Caller{})
	if ex.Result.Outcome != Failed || ex.Result.Code != "CONN_REFUSED" || !ex.Result.Retryable || ex.Status != 0 {
		t.Fatalf("got %+v", ex.Result)
	}
}

func TestDoTLSFailure(t *testing.T) {
	s := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer s.Close()
	// The default client does not trust httptest's self-signed certificate.
	ex := send(t, s.URL, Caller{})
	if ex.Result.Outcome != Failed || ex.Result.Code != "TLS" || ex.Result.Retryable {
		t.Fatalf("got %+v", ex.Result)
	}
}

func TestDoDroppedConnectionAfterWriteIsUnknown(t *testing.T) {
	url := serve(t, func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	ex := send(t, url, Caller{})
	if ex.Result.Outcome != Unknown || ex.Result.Code != "CONN_LOST" {
		t.Fatalf("got %+v", ex.Result)
	}
}

func TestDoCancelled(t *testing.T) {
	url := serve(t, func(w http.ResponseWriter, r *http.Request) {
		// The server notices a closed connection only once the body is consumed.
		io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader("{}"))
	ex := Caller{}.Do(ctx, "test", Single("rid", Customer{}), req, Trace{}, okParser)
	if ex.Result.Code != "CANCELLED" || ex.Result.Outcome != Unknown {
		t.Fatalf("got %+v", ex.Result)
	}
}

func TestDoParserPanicIsContained(t *testing.T) {
	url := serve(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("{}")) })
	req, _ := http.NewRequest(http.MethodPost, url, nil)
	ex := Caller{}.Do(context.Background(), "test", Submission{}, req, Trace{}, func([]byte) Result { panic("boom") })
	if ex.Result.Outcome != Failed || !strings.Contains(ex.Result.Message, "boom") {
		t.Fatalf("got %+v", ex.Result)
	}
}

func TestParseMobile(t *testing.T) {
	cases := []struct {
		in     string
		ok     bool
		cc     int
		digits string
	}{
		{"13411111111", true, 86, "13411111111"},
		{"+8613411111111", true, 86, "13411111111"},
		{"+852-12344567", true, 852, "85212344567"},
		{"+852 1234 4567", true, 852, "85212344567"},
		{"1341111111", false, 0, ""},
		{"+86123", false, 0, ""},
		{"abc", false, 0, ""},
		{"", false, 0, ""},
		{"+1 415 555 2671", true, 1, "14155552671"},
	}
	for _, tc := range cases {
		m, ok := ParseMobile(tc.in)
		if ok != tc.ok || (ok && (m.CountryCode != tc.cc || m.Digits() != tc.digits)) {
			t.Errorf("ParseMobile(%q) = %+v, %v; want cc %d digits %q ok %v", tc.in, m, ok, tc.cc, tc.digits, tc.ok)
		}
	}
}

func TestCustomerGetSetRoundTrip(t *testing.T) {
	var c Customer
	for _, f := range Fields {
		v := "v-" + f
		switch f {
		case "tags":
			v = "a;b"
		case "member":
			v = "false"
		case "custom":
			v = `{"k":"v"}`
		}
		if err := c.Set(f, v); err != nil {
			t.Fatalf("Set(%s): %v", f, err)
		}
		if got := c.Get(f); got != v {
			t.Fatalf("Get(%s) = %q, want %q", f, got, v)
		}
	}
	if err := c.Set("nope", "x"); err == nil {
		t.Fatal("unknown field accepted")
	}
}

func TestRulesDate(t *testing.T) {
	for in, want := range map[string]string{
		"1990-02-28": "", "": "", "1990-02-30": "no such date", "1990-2-28": "date must be YYYY-MM-DD",
		"19900228": "date must be YYYY-MM-DD", "1990/02/28": "date must be YYYY-MM-DD", "abcd-ef-gh": "date must be YYYY-MM-DD",
	} {
		r := Rules{Platform: "p", Title: "P"}
		r.Date("birthday", in)
		got := ""
		if len(r.Errs) > 0 {
			got = r.Errs[0].En
		}
		if got != want {
			t.Errorf("Date(%q) = %q, want %q", in, got, want)
		}
	}
}

// The declared length sizes the buffer but never moves the cap, whether it
// is honest, too small, too large or absent.
func TestReadBodyDeclaredLength(t *testing.T) {
	huge := bytes.Repeat([]byte("y"), 2*MaxResponseBytes)
	for _, tc := range []struct {
		name     string
		body     []byte
		declared int64
		want     int
	}{
		{"honest", []byte(`{"ok":true}`), 11, 11},
		{"empty", nil, 0, 0},
		{"declared too small", []byte(`{"ok":true}`), 2, 11},
		{"declared too large", []byte(`{"ok":true}`), 1 << 40, 11},
		{"absent", huge[:3000], -1, 3000},
		{"huge, declared", huge, int64(len(huge)), MaxResponseBytes + 1},
		{"huge, declared small", huge, 10, MaxResponseBytes + 1},
		{"huge, absent", huge, -1, MaxResponseBytes + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readBody(iotest.OneByteReader(bytes.NewReader(tc.body)), tc.declared)
			if err != nil || len(got) != tc.want || !bytes.Equal(got, tc.body[:tc.want]) {
				t.Fatalf("read %d bytes, %v; want the first %d", len(got), err, tc.want)
			}
			if cap(got) > 2*MaxResponseBytes {
				t.Errorf("buffer of %d bytes for a cap of %d", cap(got), MaxResponseBytes)
			}
		})
	}
	broken := io.MultiReader(strings.NewReader("{"), iotest.ErrReader(io.ErrUnexpectedEOF))
	if got, err := readBody(broken, 10); string(got) != "{" || err != io.ErrUnexpectedEOF {
		t.Errorf("cut-off body = %q, %v; want what came and the error", got, err)
	}
}
