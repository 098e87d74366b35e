package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// history --output csv neutralises formulas and starts with a byte order
// mark; a plain number stays a number.
func TestHistoryCSVIsSpreadsheetSafe(t *testing.T) {
	isolate(t)
	in := `{"name":"=HYPERLINK(\"http://evil.example\",\"x\")","mobile":"13411111111","remark":"@SUM(1)","address":"+cmd|' /C calc'!A0"}`
	if r := runCLI(t, in, "submit"); r.code != exitOK {
		t.Fatalf("submit: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r := runCLI(t, "", "history", "--output", "csv")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "\ufeff") {
		t.Fatalf("history csv: exit %d, starts %q", r.code, r.stdout[:min(len(r.stdout), 8)])
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.stdout, "\ufeff"))).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	untouched := 0
	for _, row := range rows[1:] {
		for _, c := range row {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				untouched++
			}
		}
		if !strings.Contains(strings.Join(row, "|"), `'=HYPERLINK("http://evil.example","x")`) {
			t.Errorf("row %q", row)
		}
	}
	if untouched != 0 {
		t.Errorf("%d formula cells left as they were", untouched)
	}
}

// A CSV written by a spreadsheet-safe export imports as what was typed: the
// ' before "+86-…" goes, so the mobile number is valid (and normalised to
// its 11 digits; with the ' left on, the normaliser would refuse it).
func TestImportRestoresNeutralisedCells(t *testing.T) {
	dir := isolate(t)
	file := filepath.Join(dir, "back.csv")
	body := append([]byte("\ufeff"), "name,mobile,remark\n王小二,'+86-13411111111,'=1+1\n"...)
	if err := os.WriteFile(file, body, 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "import", file, "--platform", "nxlink")
	if r.code != exitOK {
		t.Fatalf("import: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	h := runCLI(t, "", "history", "--output", "json")
	if !strings.Contains(h.stdout, `"mobile": "13411111111"`) || !strings.Contains(h.stdout, `"remark": "=1+1"`) {
		t.Errorf("history:\n%s", h.stdout)
	}
}

// Excel's "Unicode text" export: UTF-16 with a byte order mark, tab
// separated. The check pass and the sending pass read it alike, and a
// re-run resumes instead of refusing the file.
func TestImportUTF16BothPassesAndRerun(t *testing.T) {
	for _, order := range []string{"le", "be"} {
		t.Run(order, func(t *testing.T) {
			dir := isolate(t)
			file := filepath.Join(dir, "unicode.txt")
			if err := os.WriteFile(file, utf16Text(order == "be", "name\tmobile\r\n王小二\t13411111111\r\n李四\t13411111112\r\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			for run := 1; run <= 2; run++ {
				r := runCLI(t, "", "import", file, "--platform", "alsc")
				if r.code != exitOK || !strings.Contains(r.stderr, "2 rows, 2 valid, 0 invalid (csv, utf-16)") {
					t.Fatalf("run %d: exit %d\n%s\n%s", run, r.code, r.stdout, r.stderr)
				}
			}
			h := runCLI(t, "", "history", "--output", "json")
			if n := strings.Count(h.stdout, `"request_id"`); n != 2 || !strings.Contains(h.stdout, "李四") {
				t.Errorf("%d submissions after two runs:\n%s", n, h.stdout)
			}
		})
	}
}

func utf16Text(bigEndian bool, s string) []byte {
	units := utf16.Encode([]rune(s))
	out := []byte{0xFF, 0xFE}
	if bigEndian {
		out = []byte{0xFE, 0xFF}
	}
	for _, u := range units {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}
