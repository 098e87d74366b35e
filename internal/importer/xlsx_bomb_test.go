package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeZip writes a zip of the given parts, each made by its function.
func writeZip(t *testing.T, parts map[string]func(io.Writer)) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hostile.xlsx")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, write := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		write(w)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// A cell longer than Excel writes, or a row or shared string of megabytes,
// is refused before excelize decodes it (it decodes a row whole, twice: a
// 300 KB file with one 300 MB cell took 5 GB). Each file is small on disk.
func TestXLSXHugeCellOrRowIsRefused(t *testing.T) {
	cell := strings.Repeat("x", MaxLine+1)
	row := strings.Repeat(`<c t="inlineStr"><is><t>`+strings.Repeat("y", 512<<10)+`</t></is></c>`, 17)
	for _, c := range []struct {
		part, xml, want string
	}{
		{"xl/worksheets/sheet1.xml", `<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>` + cell + `</t></is></c></row></sheetData></worksheet>`, "a text or tag longer than 1048576 bytes"},
		{"xl/worksheets/sheet1.xml", `<worksheet><sheetData><row r="1">` + row + `</row></sheetData></worksheet>`, "a row or shared string longer than 8 MiB"},
		// a tag whose name starts like a row's does not start a row
		{"xl/worksheets/sheet1.xml", `<worksheet><sheetData><row r="1">` + row[:len(row)/2] + `<rowBreaks/>` + row[len(row)/2:] + `</row></sheetData></worksheet>`, "a row or shared string longer than 8 MiB"},
		{"xl/sharedStrings.xml", `<sst><si>` + strings.Repeat(`<r><t>`+strings.Repeat("z", 512<<10)+`</t></r>`, 17) + `</si></sst>`, "a row or shared string longer than 8 MiB"},
		{"xl/worksheets/sheet1.xml", `<worksheet><sheetData><row r="1" spans="` + cell + `"></row></sheetData></worksheet>`, "a text or tag longer"},
	} {
		path := writeZip(t, map[string]func(io.Writer){c.part: func(w io.Writer) { _, _ = io.WriteString(w, c.xml) }})
		_, err := Check(context.Background(), Input{Path: path}, nil, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.part) {
			t.Errorf("%s with %d bytes: err %v, want %q", c.part, len(c.xml), err, c.want)
		}
	}
}

// A workbook whose parts unzip to more than xlsxUnzipLimit is refused
// before anything is unzipped: a few kilobytes on disk that declare
// megabytes (at the real limit, gigabytes) of sheet.
func TestXLSXZipBombIsRefused(t *testing.T) {
	defer func(was int64) { xlsxUnzipLimit = was }(xlsxUnzipLimit)
	xlsxUnzipLimit = 4 << 20
	path := writeZip(t, map[string]func(io.Writer){"xl/worksheets/sheet1.xml": func(w io.Writer) {
		_, _ = w.Write(bytes.Repeat([]byte(" "), 8<<20))
	}})
	if fi, err := os.Stat(path); err != nil || fi.Size() > 64<<10 {
		t.Fatalf("the bomb on disk: %v, %v", fi, err)
	}
	_, err := Check(context.Background(), Input{Path: path}, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "unzips to more than 4 MiB") {
		t.Fatalf("err %v", err)
	}
}
