package ui

import (
	"strconv"
	"strings"

	"github.com/custdesk/custdesk/internal/store"
)

// sourceText says where a submission came from, for a person tracing it: the
// console (and who was at it), custdesk submit, or the row of an import with
// the file it was read from, named by its digest (the history keeps no file
// names) and, for a workbook, its sheet.
func sourceText(sub store.Submission) text {
	var t text
	switch sub.Source {
	case store.SourceConsole:
		t = text{"控制台", "console"}
	case store.SourceSubmit:
		t = text{"命令行 custdesk submit", "custdesk submit"}
	case store.SourceImport:
		row := strconv.Itoa(sub.ImportRow)
		file := shortDigest(sub.ImportFile)
		t = text{"导入第" + row + "行 · " + file, "import row " + row + " · " + file}
	default:
		t = text{sub.Source, sub.Source}
	}
	if sub.Operator != "" {
		t = text{t.zh + " · 操作员 " + sub.Operator, t.en + " · operator " + sub.Operator}
	}
	return t
}

// shortDigest keeps "sha256:" and 8 hex digits of an import's digest, and
// the sheet after it: enough to tell files apart on screen.
func shortDigest(d string) string {
	digest, sheet, hasSheet := strings.Cut(d, "#")
	if algo, hex, ok := strings.Cut(digest, ":"); ok && len(hex) > 8 {
		digest = algo + ":" + hex[:8] + "…"
	}
	if hasSheet {
		return digest + "#" + sheet
	}
	return digest
}
