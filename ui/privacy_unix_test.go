//go:build unix

package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
)

// A data directory others can read is the first thing the console says, in
// the cashier's language.
func TestConsoleWarnsAboutAnOpenDataDirectory(t *testing.T) {
	e := newEnv(t)
	dir := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil { // whatever the umask
		t.Fatal(err)
	}
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	for lang, want := range map[string]string{"en": "others can read this data directory (mode 0755)", "zh": "其他用户可读此数据目录（权限 0755）"} {
		m := New(Options{Platforms: e.ps, Dispatcher: dispatch.New(st, e.ps, dispatch.Options{}), Lang: lang, NoColor: true})
		d := drive(t, m, 160, 40)
		d.settle()
		if s := d.screen(); !strings.Contains(s, want) || !strings.Contains(s, "chmod 700") {
			t.Errorf("%s: no warning on screen:\n%s", lang, s)
		}
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	m := New(Options{Platforms: e.ps, Dispatcher: dispatch.New(st, e.ps, dispatch.Options{}), Lang: "en", NoColor: true})
	if strings.Contains(statusText(m), "others can read") {
		t.Errorf("a private directory draws a warning: %s", statusText(m))
	}
}
