package config

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms/alsc"
	"github.com/custdesk/custdesk/platforms/nxlink"
	"github.com/custdesk/custdesk/platforms/youzan"
)

func TestExampleParsesWithSecretsFromTheEnvironment(t *testing.T) {
	t.Setenv("CUSTDESK_ALSC_SECRET", "alsc-s3cret")
	t.Setenv("CUSTDESK_YOUZAN_TOKEN", "Bearer yz-t0ken")
	t.Setenv("CUSTDESK_NXLINK_SECRET", "nx-s3cret")
	l, err := Parse(Example)
	if err != nil {
		t.Fatal(err)
	}
	a, y := l.Platforms["alsc"].(*alsc.Section), l.Platforms["youzan"].(*youzan.Section)
	if a.AppSecret != "alsc-s3cret" || y.Headers["Authorization"] != "Bearer yz-t0ken" {
		t.Fatalf("env: not resolved: %+v %+v", a, y)
	}
	if a.Timeout.Duration != 10*time.Second {
		t.Fatalf("timeout %v", a.Timeout)
	}
	got := strings.Join(l.Secrets(), ",")
	for _, s := range []string{"alsc-s3cret", "Bearer yz-t0ken", "nx-s3cret"} {
		if !strings.Contains(got, s) {
			t.Errorf("secret %q not collected: %v", s, l.Secrets())
		}
	}
	if len(l.Warnings) != 0 {
		t.Errorf("warnings on the example: %v", l.Warnings)
	}
}

func TestMissingEnvironmentVariableIsAnError(t *testing.T) {
	os.Unsetenv("CUSTDESK_TEST_UNSET")
	_, err := Parse([]byte("[platforms.nxlink]\naccess_secret = \"env:CUSTDESK_TEST_UNSET\"\n"))
	if err == nil || !strings.Contains(err.Error(), "CUSTDESK_TEST_UNSET is not set") {
		t.Fatalf("err = %v", err)
	}
}

func TestNoPlatformIsAnError(t *testing.T) {
	if _, err := Parse([]byte("lang = \"zh\"\n")); err == nil {
		t.Fatal("a config without platforms was accepted")
	}
}

// A misspelt key names the key meant; a section for a platform custdesk
// does not know is named once, with the ones it does; an unknown table is
// named once, not with each of its keys.
func TestUnknownKeysWarn(t *testing.T) {
	l, err := Parse([]byte("lnag = \"zh\"\n[platforms.nxlink]\nacess_key = \"x\"\nzzz = 1\n" +
		"[platforms.youzn]\nbase_url = \"x\"\napp_id = \"y\"\n[consle]\nlang = \"zh\"\nwidth = 2\n[central]\nterminl = \"s/p\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"lnag: unknown key, ignored (did you mean lang?)",
		"platforms.nxlink.acess_key: unknown key, ignored (did you mean access_key?)",
		"platforms.nxlink.zzz: unknown key, ignored",
		"[platforms.youzn] is not a platform custdesk knows (alsc, youzan, nxlink): the section is ignored",
		"consle: unknown key, ignored",
		"central.terminl: unknown key, ignored (did you mean terminal?)",
	}
	slices.Sort(want)
	got := slices.Sorted(slices.Values(l.Warnings))
	if !slices.Equal(got, want) {
		t.Fatalf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestBadTimeoutIsAnError(t *testing.T) {
	if _, err := Parse([]byte("[platforms.nxlink]\ntimeout = \"ten\"\n")); err == nil {
		t.Fatal("accepted timeout = ten")
	}
}

func TestLiteralSecretInAWorldReadableFileWarns(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	path := filepath.Join(t.TempDir(), "c.toml")
	body := "[platforms.nxlink]\naccess_key = \"ak\"\naccess_secret = \"s3cr3tvalue\"\ntenant_id = 1\napp_key = \"k\"\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Warnings) != 1 || !strings.Contains(l.Warnings[0], "platforms.nxlink.access_secret") || strings.Contains(l.Warnings[0], "s3cr3tvalue") {
		t.Fatalf("warnings %v", l.Warnings)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if l, _ = Load(path); len(l.Warnings) != 0 {
		t.Fatalf("warned on a private file: %v", l.Warnings)
	}
}

func TestNXLinkTypeDefaultsToMerge(t *testing.T) {
	l, err := Parse([]byte("[platforms.nxlink]\naccess_key = \"ak\"\naccess_secret = \"nx-secret\"\ntenant_id = 1\napp_key = \"k\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := l.Build()
	if err != nil {
		t.Fatal(err)
	}
	if got := ps[0].(*nxlink.Client).Config().Type; got != nxlink.TypeMerge {
		t.Fatalf("type %d, want merge", got)
	}
	l, _ = Parse([]byte("[platforms.nxlink]\naccess_key = \"ak\"\naccess_secret = \"nx-secret\"\ntenant_id = 1\napp_key = \"k\"\ntype = 0\n"))
	ps, _ = l.Build()
	if got := ps[0].(*nxlink.Client).Config().Type; got != nxlink.TypeReplace {
		t.Fatalf("type %d, want replace", got)
	}
}

func TestSandboxConfigRoundTripsThroughTOML(t *testing.T) {
	text, err := Encode(ForSandbox("http://127.0.0.1:1"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := Parse(text)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	ps, err := l.Build()
	if err != nil || len(ps) != 3 {
		t.Fatalf("%d platforms, %v", len(ps), err)
	}
}

func TestLocate(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("CUSTDESK_CONFIG", "")
	if _, err := Locate(""); err != ErrNotFound {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	if _, err := Locate(filepath.Join(dir, "missing.toml")); err == nil || err == ErrNotFound {
		t.Fatalf("an explicit missing file must be an error, got %v", err)
	}
	p := DefaultPath()
	os.MkdirAll(filepath.Dir(p), 0o700)
	os.WriteFile(p, Example, 0o600)
	if got, err := Locate(""); err != nil || got != p {
		t.Fatalf("Locate = %q, %v", got, err)
	}
}
