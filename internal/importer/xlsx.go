package importer

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/custdesk/custdesk/platforms"
)

// xlsxInMemory is the largest sheet (or shared-string table) excelize keeps
// in memory; bigger parts are unzipped to a temporary file and streamed from
// there, so a 100,000-row workbook does not sit in the heap. It is small
// because a table kept in memory is decoded whole, at some ten times its
// size: at 4 MiB a 10,000-row import peaked at 81 MB, at 1 MiB at 53 MB
// (the CSV's: 47). A variable so that a test can reach the temporary files
// with a small workbook.
var xlsxInMemory int64 = 1 << 20

// openXLSX reads one sheet of a workbook (the first unless sheet names one)
// as rows, like a CSV (findHeader says which row is the header). Each row is
// read twice in step, as stored and as Excel shows it: the stored value keeps
// numbers whole (a mobile typed as a number is 13411110001, never 1.34E+10),
// and the shown value tells which numbers are dates, which are then written
// as YYYY-MM-DD from the serial, whatever the cell's date format.
func openXLSX(path, sheet string, co ColumnOptions) (*Reader, error) {
	if err := checkWorkbook(path); err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(path, excelize.Options{UnzipXMLSizeLimit: xlsxInMemory, UnzipSizeLimit: max(xlsxUnzipLimit, xlsxInMemory)})
	if err != nil {
		return nil, fmt.Errorf("not a readable .xlsx workbook: %w", err)
	}
	rd, err := xlsxReader(f, sheet, co)
	if err != nil {
		f.Close()
		return nil, err
	}
	return rd, nil
}

func xlsxReader(f *excelize.File, sheet string, co ColumnOptions) (*Reader, error) {
	sheets := f.GetSheetList()
	switch {
	case len(sheets) == 0:
		return nil, errors.New("the workbook has no sheet")
	case sheet == "":
		sheet = sheets[0]
	case !slices.Contains(sheets, sheet):
		return nil, fmt.Errorf("the workbook has no sheet %q; its sheets are %s", sheet, strings.Join(sheets, ", "))
	}
	props, err := f.GetWorkbookProps()
	if err != nil {
		return nil, err
	}
	date1904 := props.Date1904 != nil && *props.Date1904
	stored, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	shown, err := f.Rows(sheet)
	if err != nil {
		stored.Close()
		return nil, err
	}
	s := &sheetRows{stored: stored, shown: shown, date1904: date1904}
	closeAll := func() error {
		return errors.Join(stored.Close(), shown.Close(), f.Close())
	}
	src := &rowSource{read: func() readRow {
		line, rec, err := s.next()
		return readRow{line: line, rec: rec, err: err}
	}}
	header, titles, err := findHeader(src, co)
	if errors.Is(err, io.EOF) {
		closeAll()
		return nil, fmt.Errorf("sheet %q is empty: expected a header row of customer field names (name,mobile,… or 姓名,手机号,…)", sheet)
	}
	if err != nil {
		closeAll()
		return nil, err
	}
	cols, maps, err := mapHeader(header.rec, co)
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("sheet %q: %w", sheet, err)
	}
	next := func() (Row, error) {
		for {
			r := src.next()
			if r.err != nil {
				return Row{}, r.err
			}
			if !blank(r.rec) {
				return csvRow(r.line, cols, r.rec), nil
			}
		}
	}
	return &Reader{next: next, format: FormatXLSX, columns: maps, titles: titles, close: closeAll, sheet: sheet}, nil
}

// sheetRows walks a sheet's rows twice in step: stored values and shown ones.
type sheetRows struct {
	stored, shown *excelize.Rows
	line          int
	date1904      bool
}

// next returns the next row (rows the sheet skips come back empty) and its
// number as Excel shows it; io.EOF after the last.
func (s *sheetRows) next() (int, []string, error) {
	if !s.stored.Next() || !s.shown.Next() {
		if err := errors.Join(s.stored.Error(), s.shown.Error()); err != nil {
			return 0, nil, err
		}
		return 0, nil, io.EOF
	}
	s.line++
	raw, err := s.stored.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return 0, nil, fmt.Errorf("row %d: %w", s.line, err)
	}
	vis, err := s.shown.Columns()
	if err != nil {
		return 0, nil, fmt.Errorf("row %d: %w", s.line, err)
	}
	for i, v := range raw {
		if i < len(vis) {
			raw[i] = cellText(v, vis[i], s.date1904)
		}
	}
	return s.line, raw, nil
}

// cellText is what a cell holds as the importer reads it: a date cell's date,
// a number's digits, else its text as stored.
func cellText(stored, shown string, date1904 bool) string {
	v, err := strconv.ParseFloat(stored, 64)
	if err != nil || stored == shown {
		return stored
	}
	// The last serial Excel can show as a date is 9999-12-31.
	if v >= 1 && v < 2958466 && showsDate(shown, v, date1904) {
		return platforms.ExcelSerialDate(v, date1904)
	}
	if strings.ContainsAny(stored, "eE") && v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return stored
}

// showsDate reports whether a number is shown as the date its serial stands
// for: the shown text holds the date's year (four digits, or two beside a
// date separator). A number in a number format (0.00, #,##0, a mobile's
// 000-0000-0000, which is past the last date anyway) never does.
func showsDate(shown string, v float64, date1904 bool) bool {
	iso := platforms.ExcelSerialDate(v, date1904)
	if strings.Contains(shown, iso[:4]) {
		return true
	}
	return strings.Contains(shown, iso[2:4]) && strings.ContainsAny(shown, "/-年月日") && !strings.ContainsAny(shown, ",.%")
}
