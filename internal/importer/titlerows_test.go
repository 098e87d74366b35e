package importer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A CSV exported with a title and a date line above its header: the header
// is the first row naming a field, the rows above are reported, and the
// members keep their own line numbers.
func TestCSVTitleRowsAboveTheHeader(t *testing.T) {
	data := "会员名单\n导出时间：2026-11-30,门店：西湖店,\n,,\n姓名,手机号,积分\n张三,13800138000,5\n\n李四,13800138001,\n"
	rows, r := readAll(t, []byte(data), FormatCSV, EncodingAuto)
	if got := r.TitleRows(); !slices.Equal(got, []TitleRow{{1, "会员名单"}, {2, "导出时间：2026-11-30 门店：西湖店"}}) {
		t.Errorf("title rows %+v", got)
	}
	if len(r.Columns()) != 3 || r.Columns()[0].Field != "name" || r.Columns()[1].Field != "mobile" {
		t.Errorf("columns %+v", r.Columns())
	}
	if len(rows) != 2 || rows[0].Line != 5 || rows[0].Customer.Name != "张三" || rows[1].Line != 7 || rows[1].Customer.Mobile != "13800138001" {
		t.Errorf("rows %+v", rows)
	}
}

// A header naming no field is still the first row, as before, and the rows
// read while looking for another come back as members, in order: a row the
// CSV reader refuses among them stays that row's problem.
func TestCSVWithoutAKnownHeaderKeepsTheFirstRow(t *testing.T) {
	data := "Kundenname,Telefon\nAnna,1\n\"Bo\"x,2\nCarl,3\n"
	rows, r := readAll(t, []byte(data), FormatCSV, EncodingAuto)
	if len(r.TitleRows()) != 0 || r.Columns()[0].Header != "Kundenname" {
		t.Errorf("titles %+v, columns %+v", r.TitleRows(), r.Columns())
	}
	var lines []int
	for _, row := range rows {
		lines = append(lines, row.Line)
	}
	if !slices.Equal(lines, []int{2, 3, 4}) || len(rows[1].Problems) != 1 || rows[1].Problems[0].Rule != RuleColumns {
		t.Errorf("lines %v, rows %+v", lines, rows)
	}
	// --map names the header row, wherever it is.
	r2, err := NewReaderColumns(strings.NewReader("Liste\nKundenname,Telefon\nAnna,13800138000\n"), FormatCSV, EncodingAuto,
		ColumnOptions{Map: map[string]string{"Kundenname": "name", "Telefon": "mobile"}})
	if err != nil {
		t.Fatal(err)
	}
	row, err := r2.Next()
	if err != nil || row.Line != 3 || row.Customer.Name != "Anna" || len(r2.TitleRows()) != 1 {
		t.Errorf("row %+v (%v), titles %+v", row, err, r2.TitleRows())
	}
}

// A workbook as a POS exports it: a merged title across the header, a
// blank row, the header on row 3. Check finds every member and says what it
// skipped.
func TestXLSXTitleRowsAboveTheHeader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "会员.xlsx")
	f := excelize.NewFile()
	for _, err := range []error{
		f.SetCellValue("Sheet1", "A1", "会员名单 2026年11月"),
		f.MergeCell("Sheet1", "A1", "C1"),
		f.SetSheetRow("Sheet1", "A3", &[]any{"姓名", "手机号", "备注"}),
		f.SetSheetRow("Sheet1", "A4", &[]any{"王芳", 13800138000, "ok"}),
		f.SetSheetRow("Sheet1", "A5", &[]any{"李强", 13800138001}),
		f.SaveAs(path),
		f.Close(),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	c, err := Check(context.Background(), Input{Path: path}, sandboxPlatforms(t, "http://127.0.0.1:9"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Rows != 2 || c.Valid != 2 || !slices.Equal(c.TitleRows, []TitleRow{{1, "会员名单 2026年11月"}}) {
		t.Errorf("checked %d rows, %d valid, titles %+v", c.Rows, c.Valid, c.TitleRows)
	}
}

// Ten title rows may stand above the header; an eleventh makes the first
// row the header, as before.
func TestTitleRowsAreBounded(t *testing.T) {
	titles := strings.Repeat("标题\n", maxTitleRows)
	_, r := readAll(t, []byte(titles+"姓名,手机\n张三,13800138000\n"), FormatCSV, EncodingAuto)
	if len(r.TitleRows()) != maxTitleRows || r.Columns()[0].Field != "name" {
		t.Errorf("%d titles, columns %+v", len(r.TitleRows()), r.Columns())
	}
	_, r = readAll(t, []byte("标题\n"+titles+"姓名,手机\n张三,13800138000\n"), FormatCSV, EncodingAuto)
	if len(r.TitleRows()) != 0 || r.Columns()[0].Header != "标题" {
		t.Errorf("%d titles, columns %+v", len(r.TitleRows()), r.Columns())
	}
}

// An all-ASCII file says which encoding it was read in, JSONL too (its
// summary said "(jsonl, )").
func TestCheckNamesTheEncodingOfAnASCIIFile(t *testing.T) {
	for name, data := range map[string]string{
		"members.jsonl": `{"name":"Ann","mobile":"13800138000"}` + "\n",
		"members.csv":   "name,mobile\nAnn,13800138000\n",
	} {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Check(context.Background(), Input{Path: path}, nil, nil)
		if err != nil || c.Encoding != EncodingUTF8 {
			t.Errorf("%s: encoding %q (%v)", name, c.Encoding, err)
		}
	}
}
