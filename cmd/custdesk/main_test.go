package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

const wang = `{"name":"王小二","mobile":"13411111111"}`

// isolate points every default location at empty temporary directories, so a
// test sees "no configuration anywhere" and never touches the user's files.
func isolate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	t.Setenv("CUSTDESK_CONFIG", "")
	t.Setenv("HOME", dir)
	return dir
}

type result struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

func TestSubmitWithNoConfigRunsOnTheSandbox(t *testing.T) {
	isolate(t)
	r := runCLI(t, wang, "submit")
	if r.code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "built-in sandbox") {
		t.Errorf("stderr does not say it runs on the sandbox:\n%s", r.stderr)
	}
	for _, p := range []string{"alsc", "youzan", "nxlink"} {
		if !regexp.MustCompile(`(?m)^` + p + `\s+ok\s+id \S+`).MatchString(r.stdout) {
			t.Errorf("no ok line with an id for %s in:\n%s", p, r.stdout)
		}
	}
}

func TestSubmitJSONIncludesRawResponse(t *testing.T) {
	isolate(t)
	r := runCLI(t, wang, "submit", "--output", "json", "--platform", "nxlink,alsc", "-")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var out []exchangeJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if len(out) != 2 || out[0].Platform != "nxlink" || out[1].Platform != "alsc" {
		t.Fatalf("platforms: %+v", out)
	}
	for _, ex := range out {
		if ex.Result.Outcome != "ok" || len(ex.Result.CustomerIDs) != 1 || !strings.Contains(ex.Response, ex.Result.CustomerIDs[0]) {
			t.Errorf("%s: result %+v, raw %q", ex.Platform, ex.Result, ex.Response)
		}
	}
}

func TestSubmitFieldErrorsExitTwoAndSendNothing(t *testing.T) {
	dir := isolate(t)
	r := runCLI(t, `{"name":"王小二","mobile":"12ab","whatsapp":"+86 134"}`, "submit", "--lang", "en", "--data-dir", filepath.Join(dir, "d"))
	if r.code != exitBadInput {
		t.Fatalf("exit %d, want %d\n%s", r.code, exitBadInput, r.stderr)
	}
	if !strings.Contains(r.stderr, "NXLink: digits only") || !strings.Contains(r.stderr, "nothing was sent") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "d")); err == nil {
		t.Errorf("a history was created although nothing was sent")
	}
}

func TestSubmitRefusesUnknownFieldsAndBadJSON(t *testing.T) {
	isolate(t)
	for _, in := range []string{`{"nmae":"x"}`, `{"name":`, ``, `{"name":"a"}{"name":"b"}`} {
		if r := runCLI(t, in, "submit"); r.code != exitBadInput {
			t.Errorf("input %q: exit %d, want 2; stderr %s", in, r.code, r.stderr)
		}
	}
}

func TestSubmitDryRunPrintsSignedRequestsAndSendsNothing(t *testing.T) {
	isolate(t)
	r := runCLI(t, wang, "submit", "--dry-run", "--output", "json")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var reqs []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &reqs); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if len(reqs) != 3 {
		t.Fatalf("want 3 requests, got %d", len(reqs))
	}
	for _, req := range reqs {
		for _, k := range []string{"platform", "method", "url", "headers", "body", "signed"} {
			if _, ok := req[k]; !ok {
				t.Errorf("%v lacks %q", req["platform"], k)
			}
		}
		if !strings.Contains(req["body"].(string), "王小二") && !strings.Contains(req["body"].(string), "%E7%8E%8B") {
			t.Errorf("%v body lacks the name: %v", req["platform"], req["body"])
		}
	}
	for _, secret := range []string{sandbox.DemoALSCAppSecret, sandbox.DemoNXLinkSecret, strings.TrimPrefix(sandbox.DemoYouzanToken, "Bearer ")} {
		if strings.Contains(r.stdout, secret) {
			t.Errorf("dry run shows the secret %q", secret)
		}
	}
	if !strings.Contains(r.stdout, "accessSecret=******") {
		t.Errorf("the NXLink signed string should show the masked secret:\n%s", r.stdout)
	}
}

func TestSandboxCommandWritesAWorkingConfig(t *testing.T) {
	dir := isolate(t)
	cfgPath := filepath.Join(dir, "sandbox.toml")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	var out, errb bytes.Buffer
	go func() {
		done <- run(ctx, []string{"sandbox", "--listen", "127.0.0.1:0", "--write-config", cfgPath}, nil, &out, &errb)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(cfgPath); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no config written; stderr %s", errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	st, _ := os.Stat(cfgPath)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("config mode %o, want 600", st.Mode().Perm())
	}
	l, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if ps, err := l.Build(); err != nil || len(ps) != 3 {
		t.Fatalf("config builds %d platforms: %v", len(ps), err)
	}
	r := runCLI(t, wang, "submit", "--config", cfgPath)
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("sandbox exit %d: %s", code, errb.String())
	}
	if r.code != exitOK || strings.Contains(r.stderr, "built-in sandbox") {
		t.Fatalf("submit through the written config: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

func TestHistoryShowsSubmissions(t *testing.T) {
	isolate(t)
	if r := runCLI(t, wang, "submit"); r.code != exitOK {
		t.Fatalf("submit: %d %s", r.code, r.stderr)
	}
	r := runCLI(t, "", "history", "--output", "json")
	if r.code != exitOK || !strings.Contains(r.stdout, "王小二") {
		t.Fatalf("history: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "", "history", "--outcome", "nonsense")
	if r.code != exitBadInput {
		t.Fatalf("bad outcome accepted: %d", r.code)
	}
}

func TestConfigExampleIsTheEmbeddedOne(t *testing.T) {
	root, err := os.ReadFile("../../config.toml.example")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(root, config.Example) {
		t.Fatal("config.toml.example differs from internal/config/config.toml.example; copy one over the other")
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	if r := runCLI(t, "", "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "custdesk ") {
		t.Fatalf("version: %+v", r)
	}
	if r := runCLI(t, "", "frobnicate"); r.code != exitBadInput {
		t.Fatalf("unknown command: %+v", r)
	}
}

// A damaged history is reported, never overwritten, and another --data-dir
// gets a cashier going again.
func TestCorruptHistoryIsReportedAndKept(t *testing.T) {
	dir := isolate(t)
	bad := filepath.Join(dir, "bad")
	if err := os.MkdirAll(bad, 0o700); err != nil {
		t.Fatal(err)
	}
	garbage := bytes.Repeat([]byte("not a database "), 500)
	dbPath := filepath.Join(bad, "custdesk.db")
	if err := os.WriteFile(dbPath, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, wang, "submit", "--data-dir", bad)
	if r.code == exitOK || !strings.Contains(r.stderr, "--data-dir") {
		t.Fatalf("exit %d; stderr should explain and name --data-dir:\n%s", r.code, r.stderr)
	}
	if got, _ := os.ReadFile(dbPath); !bytes.Equal(got, garbage) {
		t.Fatal("the damaged file was changed")
	}
	if r := runCLI(t, wang, "submit", "--data-dir", filepath.Join(dir, "fresh")); r.code != exitOK {
		t.Fatalf("a fresh --data-dir: exit %d\n%s", r.code, r.stderr)
	}
}

// --wait keeps retrying what failed retryably, so a script gets the final
// verdict: here the first two requests meet a 503 page.
func TestSubmitWaitRetriesUntilOK(t *testing.T) {
	dir := isolate(t)
	srv, err := sandbox.Start(sandbox.Demo(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.SetFaults(sandbox.Faults{Rate: 1, Kinds: []string{sandbox.Fault5xx}, Limit: 2})
	text, err := config.Encode(config.ForSandbox(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "c.toml")
	if err := os.WriteFile(cfgPath, text, 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, wang, "submit", "--config", cfgPath, "--wait", "30s", "--output", "json")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	var out []exchangeJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out) != 3 {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	for _, ex := range out {
		if ex.Result.Outcome != "ok" {
			t.Errorf("%s: %+v", ex.Platform, ex.Result)
		}
	}
	// The wait is shown on stderr as it goes, down to every platform ok.
	if !strings.Contains(r.stderr, "waiting up to 30s for retries:") || !strings.Contains(r.stderr, " retry 2 at ") {
		t.Errorf("no progress on stderr:\n%s", r.stderr)
	}
	for _, path := range []string{sandbox.PathALSC, sandbox.PathYouzan, sandbox.PathNXLink} {
		if srv.Created(path) != 1 {
			t.Errorf("%s created %d", path, srv.Created(path))
		}
	}

	// Without --wait the first answers are reported, exit 1.
	srv.SetFaults(sandbox.Faults{Rate: 1, Kinds: []string{sandbox.Fault5xx}, Limit: 1})
	r = runCLI(t, `{"name":"李四","mobile":"13422222222"}`, "submit", "--config", cfgPath)
	if r.code != exitNotOK || !strings.Contains(r.stdout, "queued") {
		t.Fatalf("exit %d\n%s", r.code, r.stdout)
	}
}
