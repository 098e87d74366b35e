package ui

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/alsc"
	"github.com/custdesk/custdesk/platforms/nxlink"
	"github.com/custdesk/custdesk/platforms/youzan"
)

// runCurl runs a command through sh with curl replaced by a function that
// prints its arguments, NUL-separated, and returns them.
func runCurl(t *testing.T, command string, env ...string) []string {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to run the command with")
	}
	script := "curl() { printf '%s\\0' \"$@\"; }\n" + command + "\n"
	cmd := exec.Command(sh, "-c", script)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=/nonexistent"}, env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sh: %v\n%s\ncommand:\n%s", err, stderr.String(), command)
	}
	args := strings.Split(string(out), "\x00")
	return args[:len(args)-1]
}

// A body full of what shells interpret arrives byte for byte, whether the
// command is the clipboard's or the screen's wrapped at any width.
func TestCurlQuotingIsExact(t *testing.T) {
	body := "{\"name\":\"O'Brien \\\"Bob\\\"\",\"note\":\"$HOME `id` $(id) \\\\ ! * ? ~ # ; & | < > % 王小二\",\n" +
		"  \"tail\":\"''' trailing '\", \"empty\":\"\"}"
	trace := platforms.Trace{Method: "POST", URL: "https://connector.example.com/api/MemberCreateExtension?a=1&b='2'",
		Headers: map[string]string{
			"Content-Type":  "application/json",
			"Authorization": "Bearer " + platforms.MaskString,
			"X-Api-Key":     platforms.MaskString,
			"X-Quote":       "it's",
		},
		Body: []byte(body),
		Redactions: []platforms.Redaction{
			{Part: platforms.PartHeader("Authorization"), Offset: len("Bearer "), Var: "CUSTDESK_YOUZAN_TOKEN"},
			{Part: platforms.PartHeader("X-Api-Key"), Offset: 0, Var: "CUSTDESK_YOUZAN_X_API_KEY"},
		}}
	c := buildCurl(trace)
	if !slices.Equal(c.envs, []string{"CUSTDESK_YOUZAN_TOKEN", "CUSTDESK_YOUZAN_X_API_KEY"}) {
		t.Errorf("variables %v", c.envs)
	}
	want := []string{"https://connector.example.com/api/MemberCreateExtension?a=1&b='2'",
		"-H", "Authorization: Bearer tok'en $x",
		"-H", "Content-Type: application/json",
		"-H", "X-Api-Key: k e y",
		"-H", "X-Quote: it's",
		"--data-raw", body}
	env := []string{"CUSTDESK_YOUZAN_TOKEN=tok'en $x", "CUSTDESK_YOUZAN_X_API_KEY=k e y"}
	clip := c.text()
	if strings.Contains(clip, platforms.MaskString) {
		t.Errorf("the mask is still in the command:\n%s", clip)
	}
	if got := runCurl(t, clip, env...); !slices.Equal(got, want) {
		t.Errorf("clipboard command gives\n%q\nwant\n%q\ncommand:\n%s", got, want, clip)
	}
	for _, w := range []int{20, 23, 33, 47, 80, 200} {
		lines, lossy := c.render(w)
		if lossy {
			t.Errorf("width %d: lossy for a printable body", w)
		}
		for _, l := range lines {
			// A variable is never split: it alone may overflow a narrow width.
			if lw := ansi.StringWidth(l); lw > w && !strings.HasPrefix(l, `"$`) {
				t.Errorf("width %d: line %q is %d wide", w, l, lw)
			}
		}
		if got := runCurl(t, strings.Join(lines, "\n"), env...); !slices.Equal(got, want) {
			t.Errorf("width %d: screen command gives\n%q\nwant\n%q\ncommand:\n%s", w, got, want, strings.Join(lines, "\n"))
		}
	}
}

func TestCurlMethodAndEmptyBody(t *testing.T) {
	get := buildCurl(platforms.Trace{Method: "GET", URL: "http://h/x"})
	if got := runCurl(t, get.text()); !slices.Equal(got, []string{"http://h/x"}) {
		t.Errorf("GET: %q", got)
	}
	post := buildCurl(platforms.Trace{Method: "POST", URL: "http://h/x"})
	if got := runCurl(t, post.text()); !slices.Equal(got, []string{"-X", "POST", "http://h/x"}) {
		t.Errorf("POST without body: %q", got)
	}
	put := buildCurl(platforms.Trace{Method: "PUT", URL: "http://h/x", Body: []byte("''")})
	if got := runCurl(t, put.text()); !slices.Equal(got, []string{"-X", "PUT", "http://h/x", "--data-raw", "''"}) {
		t.Errorf("PUT: %q", got)
	}
}

// A request built by each real client, copied as curl and run with its
// secrets in the variables the command names, is the request the client
// sends, byte for byte. Only the positions the client masked become
// variables: a customer's text equal to a secret, or to the mask, stays text.
func TestCurlFromRealRequests(t *testing.T) {
	const session, secret, token, apiKey, password = "sess-1234567", "app-secret-42", "tok-abcdefgh", "key-ABCDEFGH", "pw-12345678"
	al, err := alsc.New(alsc.Config{Gateway: "https://u:" + password + "@gw.example/router/rest", AppKey: "k", AppSecret: secret, Session: session, SignMethod: alsc.SignMD5})
	if err != nil {
		t.Fatal(err)
	}
	yz, err := youzan.New(youzan.Config{BaseURL: "https://u:" + password + "@yz.example", AppID: "a",
		Headers: map[string]string{"Authorization": "Bearer " + token, "X-Api-Key": apiKey}})
	if err != nil {
		t.Fatal(err)
	}
	nxCfg := nxlink.DefaultConfig()
	nxCfg.BaseURL, nxCfg.AccessKey, nxCfg.AccessSecret, nxCfg.TenantID, nxCfg.AppKey = "https://u:"+password+"@nx.example", "ak", secret, 1, "app"
	nx, err := nxlink.New(nxCfg)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		p    platforms.Platform
		cu   platforms.Customer
		envs []string
	}{
		{al, platforms.Customer{Name: "王小二", Mobile: "13411111111", Remark: session + " " + secret + " " + platforms.MaskString},
			[]string{"CUSTDESK_ALSC_PASSWORD", "CUSTDESK_ALSC_SESSION"}},
		{yz, platforms.Customer{Name: token, Nickname: apiKey + platforms.MaskString, Mobile: "13411111111"},
			[]string{"CUSTDESK_YOUZAN_PASSWORD", "CUSTDESK_YOUZAN_TOKEN", "CUSTDESK_YOUZAN_X_API_KEY"}},
		{nx, platforms.Customer{Name: "王小二", Mobile: "13411111111", Remark: secret + platforms.MaskString},
			[]string{"CUSTDESK_NXLINK_PASSWORD"}},
	}
	env := []string{"CUSTDESK_ALSC_SESSION=" + session, "CUSTDESK_YOUZAN_TOKEN=" + token, "CUSTDESK_YOUZAN_X_API_KEY=" + apiKey,
		"CUSTDESK_ALSC_PASSWORD=" + password, "CUSTDESK_YOUZAN_PASSWORD=" + password, "CUSTDESK_NXLINK_PASSWORD=" + password}
	for _, c := range cases {
		req, trace, err := c.p.Build(platforms.Single("rid", c.cu))
		if err != nil {
			t.Fatal(err)
		}
		sent, _ := io.ReadAll(req.Body)
		cmd := buildCurl(trace)
		if !slices.Equal(cmd.envs, c.envs) || cmd.signed != (trace.Signed != "") {
			t.Errorf("%s: envs %v signed %v, want %v", c.p.Name(), cmd.envs, cmd.signed, c.envs)
		}
		signedBesides := trace.Signed
		for _, typed := range []string{c.cu.Remark, c.cu.Name, c.cu.Nickname} {
			if typed != "" {
				signedBesides = strings.ReplaceAll(signedBesides, typed, "")
			}
		}
		for _, s := range []string{session, secret, token, apiKey, password} {
			if strings.Contains(trace.URL, s) || strings.Contains(fmt.Sprint(trace.Headers), s) || strings.Contains(signedBesides, s) {
				t.Errorf("%s: secret %q in the trace outside the customer's text: %+v", c.p.Name(), s, trace)
			}
		}
		want := []string{req.URL.String()}
		for _, k := range slices.Sorted(maps.Keys(req.Header)) {
			want = append(want, "-H", http.CanonicalHeaderKey(k)+": "+req.Header[k][0])
		}
		want = append(want, "--data-raw", string(sent))
		got := runCurl(t, cmd.text(), env...)
		// Header names as the trace spells them (NXLink keeps "accessKey").
		for i := range got {
			if i > 0 && got[i-1] == "-H" {
				name, v, _ := strings.Cut(got[i], ": ")
				got[i] = http.CanonicalHeaderKey(name) + ": " + v
			}
		}
		slices.Sort(got[1 : len(got)-2])
		slices.Sort(want[1 : len(want)-2])
		if !slices.Equal(got, want) {
			t.Errorf("%s: the command sends\n%q\nthe client sent\n%q\ncommand:\n%s", c.p.Name(), got, want, cmd.text())
		}
	}
}

// Control characters and invalid UTF-8 are escaped on screen (and said to
// be), and go to the clipboard as they are.
func TestCurlControlCharacters(t *testing.T) {
	body := "a\tb\x1b[2J\xffc"
	c := buildCurl(platforms.Trace{Method: "POST", URL: "http://h", Body: []byte(body)})
	lines, lossy := c.render(80)
	if !lossy {
		t.Error("not lossy")
	}
	for _, l := range lines {
		if strings.ContainsAny(l, "\x1b\t") || !utf8Valid(l) {
			t.Errorf("unsafe line on screen: %q", l)
		}
	}
	if got := runCurl(t, c.text()); got[len(got)-1] != body {
		t.Errorf("clipboard body %q", got[len(got)-1])
	}
	if _, lossy := buildCurl(platforms.Trace{Method: "POST", URL: "http://h", Body: []byte("a\nb")}).render(80); lossy {
		t.Error("a newline is not lossy: it is shown as a line break")
	}
	if !buildCurl(platforms.Trace{Method: "POST", URL: "http://h", Body: []byte("a\x00b")}).hasNUL {
		t.Error("NUL not noticed")
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "") == s }

// c in an entry copies its request as curl by OSC 52 and shows it; esc
// closes the overlay; the secrets stay out.
func TestCopyAsCurlFromEntry(t *testing.T) {
	e := newEnv(t)
	seedHistory(t, e)
	d := drive(t, e.model(t, "en"), 80, 24)
	d.settle()
	d.press("ctrl+o", "end", "enter") // 王小二: every platform answered
	d.settle()
	d.press("tab", "tab") // NXLink
	v, _ := d.m.detail.current()
	if v.platform != "nxlink" {
		t.Fatalf("tab on %s", v.platform)
	}
	_, cmd := d.m.Update(keyMsg("c"))
	if cmd == nil || d.m.detail.curl == nil {
		t.Fatal("c did nothing")
	}
	clip := fmt.Sprint(cmd())
	if want := buildCurl(v.ex.Request).text(); clip != want {
		t.Errorf("clipboard:\n%s\nwant:\n%s", clip, want)
	}
	args := runCurl(t, clip)
	if args[len(args)-1] != string(v.ex.Request.Body) || !slices.Contains(args, "sign: "+v.ex.Request.Headers["sign"]) {
		t.Errorf("the command does not send the stored request: %q", args)
	}
	screen := d.screen()
	for _, want := range []string{"copy as curl · NXLink · #1", "OSC 52", "timestamp", "curl 'http://sandbox.test/saas/cdp/openapi/customers/batch_create' \\"} {
		if !strings.Contains(screen, want) {
			t.Errorf("overlay lacks %q:\n%s", want, screen)
		}
	}
	if d.m.View().MouseMode != tea.MouseModeNone {
		t.Error("the mouse is still captured: no selection by hand")
	}
	d.press("down", "pgdown")
	d.press("esc")
	if d.m.detail.curl != nil || d.m.focus != paneDetail {
		t.Errorf("esc: overlay %v focus %v", d.m.detail.curl != nil, d.m.focus)
	}
	if d.m.View().MouseMode == tea.MouseModeNone {
		t.Error("the mouse stays released after the overlay closed")
	}
}

// The note on a signed copy says how long the platform accepts it, from the
// platform's traits.
func TestCurlSignedNoteNamesTheWindow(t *testing.T) {
	ps, err := config.Sandbox("http://127.0.0.1:1").Build()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"alsc": "10 minutes", "nxlink": "60 seconds"}
	for _, p := range ps {
		w, ok := want[p.Name()]
		if !ok {
			continue
		}
		if got := signedNote(p.Traits().ReplayWindow).en; !strings.Contains(got, "more than "+w+" off") {
			t.Errorf("%s: %s", p.Name(), got)
		}
	}
}
