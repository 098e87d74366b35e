package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A workbook whose parts unzip to more than xlsxUnzipLimit is refused
// before anything is unzipped: a few kilobytes on disk that declare
// megabytes (at the real limit, gigabytes) of sheet.
func TestXLSXZipBombIsRefused(t *testing.T) {
	defer func(was int64) { xlsxUnzipLimit = was }(xlsxUnzipLimit)
	xlsxUnzipLimit = 4 << 20
	path := filepath.Join(t.TempDir(), "bomb.xlsx")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(bytes.Repeat([]byte(" "), 8<<20)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > 64<<10 {
		t.Fatalf("the bomb is %d bytes on disk", buf.Len())
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Check(context.Background(), Input{Path: path}, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "unzips to more than 4 MiB") {
		t.Fatalf("err %v", err)
	}
}
