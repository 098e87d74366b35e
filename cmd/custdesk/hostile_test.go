package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/alsc"
	"github.com/custdesk/custdesk/platforms/nxlink"
	"github.com/custdesk/custdesk/platforms/youzan"
)

// The secrets the hostile platform is configured with. Each holds SECRET, so
// a leak of any of them, or of a part, is one search.
const (
	hostileSession   = "sess-SECRET-1234"
	hostileAppSecret = "alsc-SECRET-5678"
	hostileToken     = "yz-SECRET-token"
	hostileAPIKey    = "xk-SECRET-9999"
	hostileNXSecret  = "nx-SECRET-0000"
	hostilePassword  = "pw-SECRET-4321"
)

// hostile plays all three platforms on loopback, answering whatever the
// test asks for, and keeps what reached it.
type hostile struct {
	srv    *httptest.Server
	answer atomic.Pointer[func(platform string, w http.ResponseWriter, r *http.Request, body []byte)]
}

func platformOf(path string) string {
	switch {
	case strings.HasSuffix(path, "/MemberCreateExtension"):
		return "youzan"
	case strings.HasSuffix(path, "/batch_create"):
		return "nxlink"
	}
	return "alsc"
}

func newHostile(t *testing.T) *hostile {
	h := &hostile{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if f := h.answer.Load(); f != nil {
			(*f)(platformOf(r.URL.Path), w, r, body)
		}
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hostile) serve(f func(platform string, w http.ResponseWriter, r *http.Request, body []byte)) {
	h.answer.Store(&f)
}

// config writes a configuration pointing every platform at the server, with
// secrets in every place a platform takes one, URL passwords included.
func (h *hostile) config(t *testing.T) string {
	t.Helper()
	base := strings.Replace(h.srv.URL, "http://", "http://u:"+hostilePassword+"@", 1)
	f := config.ForSandbox(base)
	a, y, n := f.Platforms["alsc"].(*alsc.Section), f.Platforms["youzan"].(*youzan.Section), f.Platforms["nxlink"].(*nxlink.Section)
	a.AppSecret, a.Session = hostileAppSecret, hostileSession
	y.Headers = map[string]string{"Authorization": "Bearer " + hostileToken, "X-Api-Key": hostileAPIKey}
	n.AccessSecret = hostileNXSecret
	text, err := config.Encode(f)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, text, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// submitJSON runs `custdesk submit --output json` and decodes its answer.
func submitJSON(t *testing.T, cfg, dataDir string) (result, []exchangeJSON) {
	t.Helper()
	r := runCLI(t, wang, "submit", "--config", cfg, "--data-dir", dataDir, "--output", "json")
	var out []exchangeJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("exit %d, not JSON: %v\nstdout:\n%s\nstderr:\n%s", r.code, err, r.stdout, r.stderr)
	}
	return r, out
}

// stored is what the history holds for a submission, platform by platform.
func stored(t *testing.T, dataDir string, subID int64) map[string]store.StoredExchange {
	t.Helper()
	st, err := store.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	exs, err := st.Exchanges(context.Background(), subID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.StoredExchange{}
	for _, ex := range exs {
		out[ex.Platform] = ex
	}
	return out
}

func noSecrets(t *testing.T, where, s string) {
	t.Helper()
	basic := base64.StdEncoding.EncodeToString([]byte("u:" + hostilePassword))
	for _, sec := range []string{"SECRET", hostilePassword, basic, basic[:12]} {
		if strings.Contains(s, sec) {
			i := strings.Index(s, sec)
			t.Errorf("%s holds a secret near %q", where, s[max(0, i-60):min(len(s), i+40)])
		}
	}
}

// A 302, 307 or 308 to another port (a server that would gladly answer
// "created") or another host is the answer: failed, code HTTP 3xx, naming
// the Location; the target sees nothing; the history says the same; submit
// exits 1.
func TestHostileRedirectsAreNotFollowed(t *testing.T) {
	isolate(t)
	var stolen atomic.Int32
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen.Add(1)
		w.Write([]byte(`{"success":true,"data":{"outOpenId":"THIEF1"}}`))
	}))
	defer thief.Close()
	h := newHostile(t)
	cfg := h.config(t)
	for _, status := range []int{302, 307, 308} {
		for _, target := range []string{thief.URL + "/steal", "http://attacker.invalid/steal"} {
			h.serve(func(_ string, w http.ResponseWriter, r *http.Request, _ []byte) {
				w.Header().Set("Location", target)
				w.WriteHeader(status)
			})
			dataDir := t.TempDir()
			r, out := submitJSON(t, cfg, dataDir)
			if r.code != exitNotOK || len(out) != 3 {
				t.Fatalf("%d: exit %d, %d answers\n%s", status, r.code, len(out), r.stderr)
			}
			code := fmt.Sprintf("HTTP %d", status)
			hist := stored(t, dataDir, out[0].SubmissionID)
			for _, ex := range out {
				res := ex.Result
				if res.Outcome != platforms.Failed || res.Code != code || !strings.Contains(res.Message, target) || res.Retryable || !ex.Recorded {
					t.Errorf("%d %s: %+v", status, ex.Platform, ex)
				}
				if h := hist[ex.Platform].Result; h.Outcome != platforms.Failed || h.Code != code || len(h.CustomerIDs) != 0 {
					t.Errorf("%d %s: history has %+v", status, ex.Platform, h)
				}
			}
			text := runCLI(t, wang, "submit", "--config", cfg, "--data-dir", t.TempDir())
			for _, p := range []string{"alsc", "youzan", "nxlink"} {
				if !containsFields(text.stdout, p, "failed", "code", code) {
					t.Errorf("%d: text output lacks %s failed %s:\n%s", status, p, code, text.stdout)
				}
			}
			st, err := store.Open(dataDir)
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := st.Stats(context.Background()); n.Queued != 0 {
				t.Errorf("%d: %d redirected sends queued for retry", status, n.Queued)
			}
			st.Close()
		}
	}
	if n := stolen.Load(); n != 0 {
		t.Fatalf("the redirect target received %d requests", n)
	}
}

// containsFields reports whether a line of out holds the words in order,
// whatever the padding between them.
func containsFields(out string, words ...string) bool {
	want := strings.Join(words, " ")
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(strings.Join(strings.Fields(l), " "), want) {
			return true
		}
	}
	return false
}

// A platform that echoes the request (form with session, headers with the
// token and key) and the secrets it knows, in its body, its headers and its
// message: neither stdout (text or JSON) nor the history holds any of them,
// and the answer is still read (ok, with its ID).
func TestHostileEchoedSecretsNeverReachStdout(t *testing.T) {
	isolate(t)
	h := newHostile(t)
	cfg := h.config(t)
	h.serve(func(p string, w http.ResponseWriter, r *http.Request, body []byte) {
		echo := fmt.Sprintf("%s %s %s %s %s %s", body, r.Header.Get("Authorization"), r.Header.Get("X-Api-Key"),
			hostileAppSecret, hostileNXSecret, hostilePassword)
		quoted, _ := json.Marshal(echo)
		w.Header().Set("X-Echo", strings.ReplaceAll(echo, "\n", " "))
		switch p {
		case "alsc":
			fmt.Fprintf(w, `{"alibaba_alsc_crm_customer_create_response":{"result":{"result":"1001","result_code":"0","result_desc":%s,"biz_success":true}}}`, quoted)
		case "youzan":
			fmt.Fprintf(w, `{"success":true,"code":200,"message":%s,"data":{"outOpenId":"2002"}}`, quoted)
		case "nxlink":
			fmt.Fprintf(w, `{"code":0,"message":%s,"data":{"successItems":[{"index":0,"customerId":3003}]}}`, quoted)
		}
	})
	dataDir := t.TempDir()
	r, out := submitJSON(t, cfg, dataDir)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s\n%s", r.code, r.stdout, r.stderr)
	}
	noSecrets(t, "submit --output json", r.stdout)
	if !strings.Contains(r.stdout, platforms.MaskString) {
		t.Errorf("nothing masked in:\n%s", r.stdout)
	}
	text := runCLI(t, wang, "submit", "--config", cfg, "--data-dir", t.TempDir())
	noSecrets(t, "submit (text)", text.stdout+text.stderr)
	for _, id := range []string{"1001", "2002", "3003"} {
		if !strings.Contains(text.stdout, "id "+id) {
			t.Errorf("text output lacks id %s:\n%s", id, text.stdout)
		}
	}
	for p, ex := range stored(t, dataDir, out[0].SubmissionID) {
		all := fmt.Sprintf("%s %s %v %s %s %v %s %+v", ex.Request.URL, ex.Request.Body, ex.Request.Headers, ex.Request.Signed,
			ex.Response, ex.ResponseHeaders, ex.Error, ex.Result)
		noSecrets(t, "the history of "+p, all)
	}
	// The submission's customer is not a secret: "王小二" is stored as typed.
	hist := runCLI(t, "", "history", "--config", cfg, "--data-dir", dataDir, "--output", "json")
	noSecrets(t, "history --output json", hist.stdout)
}

// A Retry-After of 999999999999 seconds (and a TOP ban as long) is taken as
// the one-hour cap: the answer says so and the queue retries within the hour.
func TestHostileHugeRetryAfterIsCapped(t *testing.T) {
	isolate(t)
	h := newHostile(t)
	cfg := h.config(t)
	h.serve(func(p string, w http.ResponseWriter, r *http.Request, _ []byte) {
		if p == "alsc" {
			w.Write([]byte(`{"error_response":{"code":7,"msg":"App Call Limited","sub_code":"accesscontrol.limited-by-app-access-count","sub_msg":"This ban will last for 999999999999 more seconds"}}`))
			return
		}
		w.Header().Set("Retry-After", "999999999999")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	dataDir := t.TempDir()
	before := time.Now()
	r, out := submitJSON(t, cfg, dataDir)
	if r.code != exitNotOK || len(out) != 3 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, ex := range out {
		if !ex.Result.RateLimited || ex.Result.RetryAfter != platforms.MaxRetryAfter {
			t.Errorf("%s: %+v", ex.Platform, ex.Result)
		}
	}
	st, err := store.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	next, ok, err := st.NextDue(context.Background())
	if err != nil || !ok {
		t.Fatalf("nothing queued: %v", err)
	}
	if next.After(before.Add(platforms.MaxRetryAfter+time.Minute)) || next.Before(before.Add(platforms.MaxRetryAfter-time.Minute)) {
		t.Errorf("next retry at %s, want about an hour after %s", next, before)
	}
}

// Answers whose customer IDs are not IDs (1e400, invalid UTF-8, escape
// sequences, 100 digits) are BAD_BODY: no such ID is printed or recorded.
func TestHostileIDsThatAreNotIDs(t *testing.T) {
	isolate(t)
	h := newHostile(t)
	cfg := h.config(t)
	for _, bad := range []struct{ str, num string }{
		{`"\u001b]0;owned\u0007"`, `1e400`},
		{"\"\xff\xfe\"", `-1`},
		{`"` + strings.Repeat("7", 100) + `"`, strings.Repeat("7", 100)},
		{`"a b"`, `1.5`},
	} {
		h.serve(func(p string, w http.ResponseWriter, r *http.Request, _ []byte) {
			switch p {
			case "alsc":
				fmt.Fprintf(w, `{"alibaba_alsc_crm_customer_create_response":{"result":{"result":%s,"result_code":"0","biz_success":true}}}`, bad.num)
			case "youzan":
				fmt.Fprintf(w, `{"success":true,"code":200,"data":{"outOpenId":%s}}`, bad.str)
			case "nxlink":
				fmt.Fprintf(w, `{"code":0,"data":{"successItems":[{"index":0,"customerId":%s}]}}`, bad.num)
			}
		})
		dataDir := t.TempDir()
		r, out := submitJSON(t, cfg, dataDir)
		if r.code != exitNotOK || len(out) != 3 {
			t.Fatalf("%s: exit %d: %s", bad.num, r.code, r.stderr)
		}
		hist := stored(t, dataDir, out[0].SubmissionID)
		for _, ex := range out {
			if ex.Result.Outcome != platforms.Failed || ex.Result.Code != "BAD_BODY" || len(ex.Result.CustomerIDs) != 0 {
				t.Errorf("%s %s: %+v", bad.num, ex.Platform, ex.Result)
			}
			if h := hist[ex.Platform].Result; h.Outcome == platforms.OK || len(h.CustomerIDs) != 0 {
				t.Errorf("%s %s: history has %+v", bad.num, ex.Platform, h)
			}
		}
	}
}

// A success padded past the 1 MiB body cap may have created the customer:
// unknown, not failed TOO_LARGE; a 4xx padded as much stays failed.
func TestHostilePaddedSuccessIsUnknown(t *testing.T) {
	isolate(t)
	h := newHostile(t)
	cfg := h.config(t)
	pad := strings.Repeat(" ", platforms.MaxResponseBytes)
	status := http.StatusOK
	h.serve(func(p string, w http.ResponseWriter, r *http.Request, _ []byte) {
		w.WriteHeader(status)
		switch p {
		case "alsc":
			io.WriteString(w, `{"alibaba_alsc_crm_customer_create_response":{"result":{"result":"1001","result_code":"0","biz_success":true}}}`+pad)
		case "youzan":
			io.WriteString(w, `{"success":true,"code":200,"data":{"outOpenId":"2002"}}`+pad)
		case "nxlink":
			io.WriteString(w, `{"code":0,"data":{"successItems":[{"index":0,"customerId":3003}]}}`+pad)
		}
	})
	dataDir := t.TempDir()
	r, out := submitJSON(t, cfg, dataDir)
	if r.code != exitNotOK || len(out) != 3 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	hist := stored(t, dataDir, out[0].SubmissionID)
	for _, ex := range out {
		if ex.Result.Outcome != platforms.Unknown || ex.Result.Code != "TOO_LARGE" || !ex.Truncated {
			t.Errorf("%s: %+v", ex.Platform, ex.Result)
		}
		if h := hist[ex.Platform]; h.Result.Outcome != platforms.Unknown || !h.Truncated {
			t.Errorf("%s: history has %+v", ex.Platform, h.Result)
		}
	}
	status = http.StatusBadRequest
	_, out = submitJSON(t, cfg, t.TempDir())
	for _, ex := range out {
		if ex.Result.Outcome != platforms.Failed || ex.Result.Code != "TOO_LARGE" {
			t.Errorf("400 %s: %+v", ex.Platform, ex.Result)
		}
	}
}

// More than 1 MiB on stdin is said to be that, not "unexpected EOF".
func TestSubmitInputOverOneMiB(t *testing.T) {
	isolate(t)
	big := `{"name":"王小二","mobile":"13411111111","remark":"` + strings.Repeat("x", 1<<20) + `"}`
	r := runCLI(t, big, "submit")
	if r.code != exitBadInput || !strings.Contains(r.stderr, "input is larger than 1 MiB") || strings.Contains(r.stderr, "EOF") {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
}

// An import against a platform that quotes the secrets in its refusal: the
// rows that are not ok are listed without them.
func TestHostileEchoedSecretsNeverReachImportOutput(t *testing.T) {
	dir := isolate(t)
	h := newHostile(t)
	cfg := h.config(t)
	h.serve(func(p string, w http.ResponseWriter, r *http.Request, _ []byte) {
		quoted, _ := json.Marshal("bad token " + r.Header.Get("Authorization") + " key " + r.Header.Get("X-Api-Key"))
		fmt.Fprintf(w, `{"success":false,"code":401,"message":%s}`, quoted)
	})
	file := filepath.Join(dir, "one.jsonl")
	if err := os.WriteFile(file, []byte(wang+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, output := range []string{"text", "json"} {
		r := runCLI(t, "", "import", "--config", cfg, "--data-dir", filepath.Join(dir, "d-"+output), "--platform", "youzan", "--output", output, file)
		if r.code != exitNotOK || !strings.Contains(r.stdout+r.stderr, "bad token") {
			t.Fatalf("%s: exit %d\n%s\n%s", output, r.code, r.stdout, r.stderr)
		}
		noSecrets(t, "import --output "+output, r.stdout+r.stderr)
	}
}

// config check, and every command at start-up, refuse a secret too short to
// be real (and to mask safely), naming the key and never the value.
func TestShortSecretIsRefused(t *testing.T) {
	dir := isolate(t)
	p := filepath.Join(dir, "short.toml")
	if err := os.WriteFile(p, []byte("[platforms.nxlink]\naccess_key = \"ak\"\naccess_secret = \"a\"\ntenant_id = 1\napp_key = \"k\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"config", "check", p}, {"submit", "--config", p}} {
		r := runCLI(t, wang, args...)
		if r.code == exitOK || !strings.Contains(r.stderr, "platforms.nxlink.access_secret") || !strings.Contains(r.stderr, "shorter than 8") {
			t.Errorf("%v: exit %d\n%s", args, r.code, r.stderr)
		}
	}
}
