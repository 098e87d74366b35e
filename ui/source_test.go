package ui

import (
	"strings"
	"testing"

	"github.com/custdesk/custdesk/internal/store"
)

func TestSourceTextNamesTheImportRow(t *testing.T) {
	sub := store.Submission{Source: store.SourceImport, ImportRow: 3, Operator: "小王",
		ImportFile: "sha256:15c70cdb5c579e41441c4885ef7c67308e24942371cbad9b7e68a78f7e784491#二月"}
	got := sourceText(sub)
	if want := "import row 3 · sha256:15c70cdb…#二月 · operator 小王"; got.en != want {
		t.Errorf("en %q, want %q", got.en, want)
	}
	if want := "导入第3行 · sha256:15c70cdb…#二月 · 操作员 小王"; got.zh != want {
		t.Errorf("zh %q, want %q", got.zh, want)
	}
	if got := sourceText(store.Submission{Source: store.SourceSubmit}); got.en != "custdesk submit" {
		t.Errorf("submit: %q", got.en)
	}
}

// The entry says where it came from.
func TestEntryShowsItsSource(t *testing.T) {
	e := newEnv(t)
	d := drive(t, e.model(t, "en"), 100, 30)
	d.settle()
	d.enter("王小二", "13455555555")
	d.press("ctrl+s")
	d.settle()
	d.press("ctrl+o", "enter")
	d.settle()
	if !strings.Contains(d.screen(), "source") || !strings.Contains(d.screen(), "console") {
		t.Fatalf("the entry does not say where it came from:\n%s", d.screen())
	}
}
