package importer

import (
	"errors"
	"io"
	"os"
	"strconv"
	"testing"
	"time"
)

// A workbook whose sheet and shared-string table are over xlsxInMemory is
// read from excelize's temporary files, and reads the same as a small one:
// text from the shared strings, mobiles as digits, date cells as dates.
func TestLargeWorkbookReadsFromTemporaryFiles(t *testing.T) {
	const rows = 1500
	defer func(was int64) { xlsxInMemory = was }(xlsxInMemory)
	xlsxInMemory = 32 << 10
	path := generateSharedXLSX(t, t.TempDir(), rows)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	rd, err := openXLSX(path, "", ColumnOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	n := 0
	for {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 1 {
			if temps, _ := os.ReadDir(tmp); len(temps) < 2 {
				t.Errorf("%d temporary files while reading; want the sheet's and the shared strings'", len(temps))
			}
		}
		if n == 1 || n == rows {
			c := row.Customer
			want := benchCustomer(n, 0)
			if len(row.Problems) != 0 || c.Name != want[0] || c.Mobile != strconv.Itoa(want[1].(int)) || c.Birthday != want[4].(time.Time).Format(time.DateOnly) || c.Custom["会员卡"] != want[11] {
				t.Errorf("row %d: %+v, problems %v", row.Line, c, row.Problems)
			}
		}
	}
	if n != rows {
		t.Errorf("%d rows read, want %d", n, rows)
	}
}
