package csvsafe

import (
	"bytes"
	"encoding/csv"
	"testing"
)

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://evil.example","x")`: `'=HYPERLINK("http://evil.example","x")`,
		`+cmd|' /C calc'!A0`:                    `'+cmd|' /C calc'!A0`,
		"@SUM(1)":                               "'@SUM(1)",
		"-2+3":                                  "'-2+3",
		"\t=1":                                  "'\t=1",
		"\r=1":                                  "'\r=1",
		"+86-13411111111":                       "'+86-13411111111",
		"-":                                     "'-",
		"-12.5":                                 "-12.5",
		"+8613411111111":                        "+8613411111111",
		"42":                                    "42",
		"王小二":                                   "王小二",
		"a=b":                                   "a=b",
		"":                                      "",
		"-1e5":                                  "'-1e5",
		"-.5":                                   "'-.5",
	} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
		if back := Restore(Cell(in)); back != in {
			t.Errorf("Restore(Cell(%q)) = %q", in, back)
		}
	}
	if got := Restore("'hello"); got != "'hello" {
		t.Errorf("Restore changed an ordinary apostrophe: %q", got)
	}
}

func TestWriterStartsWithBOMAndNeutralises(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rec := []string{"=1+1", "-3", "ok"}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), BOM) {
		t.Fatalf("no BOM: %q", buf.Bytes())
	}
	got, err := csv.NewReader(bytes.NewReader(buf.Bytes()[len(BOM):])).Read()
	if err != nil || got[0] != "'=1+1" || got[1] != "-3" || got[2] != "ok" {
		t.Fatalf("%q %v", got, err)
	}
	if rec[0] != "=1+1" {
		t.Error("the caller's record was changed")
	}
}
