package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/custdesk/custdesk/internal/importer"
	"github.com/custdesk/custdesk/internal/store"
)

// writeGBK writes a customer CSV the way a Chinese spreadsheet program saves
// it: GBK, CRLF, a blank line; row 4 (line 5) has a mobile no platform takes.
func writeGBK(t *testing.T, dir string) string {
	t.Helper()
	csv := "name,mobile,tags,custom.卡号\r\n" +
		"王小二,13411111111,a;b,C1\r\n" +
		"李四,13411111112,,C2\r\n" +
		"\r\n" +
		"张三,12345,,C3\r\n" +
		"赵六,13411111114,,\r\n"
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "members.csv")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportOnTheSandboxThenResume(t *testing.T) {
	dir := isolate(t)
	file := writeGBK(t, dir)
	data := filepath.Join(dir, "history")

	r := runCLI(t, "", "import", file, "--data-dir", data)
	if r.code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"built-in sandbox", "4 rows, 3 valid, 1 invalid (csv, gbk)", "members.invalid.csv"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if !strings.Contains(r.stdout, "every valid row is ok on every platform") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	report, err := os.ReadFile(filepath.Join(dir, "members.invalid.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(report)), "\n")
	if len(lines) != 2 { // header + the mobile, refused once by the normaliser for every platform
		t.Fatalf("report:\n%s", report)
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "5,mobile,") {
			t.Errorf("report line %q: want row 5 (the file's line), field mobile", l)
		}
	}

	// The same file again, flags after the file, JSON: nothing is resent.
	r = runCLI(t, "", "import", file, "--data-dir", data, "--output", "json", "--platform", "alsc,nxlink")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var sum importer.Summary
	if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if len(sum.Platforms) != 2 || sum.Encoding != importer.EncodingGBK {
		t.Fatalf("summary: %+v", sum)
	}
	for _, p := range sum.Platforms {
		if p.AlreadyOK != 3 || p.Requests != 0 {
			t.Errorf("%s on the second run: %+v", p.Platform, p)
		}
	}
}

func TestImportStrictRefusesAndSendsNothing(t *testing.T) {
	dir := isolate(t)
	file := writeGBK(t, dir)
	data := filepath.Join(dir, "history")
	r := runCLI(t, "", "import", "--strict", "--data-dir", data, file, "--report", filepath.Join(dir, "r.csv"))
	if r.code != exitBadInput || !strings.Contains(r.stderr, "nothing was sent") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "r.csv")); err != nil {
		t.Errorf("no report at --report: %v", err)
	}
	st, err := store.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, err := st.Count(context.Background(), store.Query{}); err != nil || n != 0 {
		t.Errorf("history holds %d submissions after --strict refused (%v)", n, err)
	}
}

func TestImportCleanFileLeavesNoReport(t *testing.T) {
	dir := isolate(t)
	file := filepath.Join(dir, "ok.jsonl")
	if err := os.WriteFile(file, []byte(`{"name":"王小二","mobile":"13411111111"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "import", file, "--platform", "youzan")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "ok.invalid.csv")); !os.IsNotExist(err) {
		t.Errorf("a clean file left a report behind: %v", err)
	}
}

func TestImportBadUsage(t *testing.T) {
	dir := isolate(t)
	file := writeGBK(t, dir)
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("name,mobil\na,13411111111\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import"}, "needs a FILE"},
		{[]string{"import", file, file}, "one FILE"},
		{[]string{"import", "-"}, "not stdin"},
		{[]string{"import", file, "--rate", "alsc"}, "PLATFORM=PER_SECOND"},
		{[]string{"import", file, "--rate", "wechat=3"}, "not a chosen platform"},
		{[]string{"import", file, "--rate", "alsc=fast"}, "requests per second"},
		{[]string{"import", file, "--encoding", "latin1"}, "--encoding"},
		{[]string{"import", file, "--output", "xml"}, "--output"},
		{[]string{"import", file, "--concurrency", "0"}, "--concurrency"},
		{[]string{"import", filepath.Join(dir, "missing.csv")}, "no such file"},
		{[]string{"import", bad, "--strict"}, `column 2 "mobil" is not a customer field (--strict)`},
		{[]string{"import", bad}, "no valid row"},
		{[]string{"import", file, "--map", "卡号=mobil"}, "--map"},
		{[]string{"import", file, "--map", "门店=remark"}, `no column is headed "门店"`},
	} {
		r := runCLI(t, "", c.args...)
		if r.code != exitBadInput || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant exit 2 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

func TestParseRates(t *testing.T) {
	all := knownPlatforms()
	if len(all) != 3 {
		t.Fatalf("%d known platforms", len(all))
	}
	got, err := parseRates("", all, false)
	if err != nil || got["alsc"] != 20 || got["nxlink"] != 5 {
		t.Errorf("defaults for configured platforms: %v %v", got, err)
	}
	got, err = parseRates("", all, true)
	if err != nil || len(got) != 0 {
		t.Errorf("the sandbox has no cap: %v %v", got, err)
	}
	got, err = parseRates("alsc=off, nxlink=2.5", all, false)
	if err != nil || got["alsc"] != 0 || got["nxlink"] != 2.5 || got["youzan"] != 20 {
		t.Errorf("overrides: %v %v", got, err)
	}
}
