// Package csvsafe writes the CSV files custdesk produces (history exports,
// import reports) so that a spreadsheet program opens them as data:
//
//   - a cell that starts with =, +, -, @, TAB or CR would be read as a
//     formula (OWASP "CSV injection": =HYPERLINK(…), +cmd|' /C calc'!A0,
//     @SUM(1)), so it gets a leading ' which spreadsheets show as text;
//   - except a plain number (PlainNumber: an optional sign, digits, an
//     optional decimal part, nothing else, e.g. -12.5 or +8613411111111),
//     which no spreadsheet evaluates as anything but that number;
//   - the file starts with a UTF-8 byte order mark, without which Excel on a
//     Chinese Windows reads UTF-8 as GBK and shows every name garbled.
//
// The importer reads such files back with Restore, so an exported history
// imports as what was typed.
package csvsafe

import (
	"encoding/csv"
	"io"
	"regexp"
)

// BOM is the UTF-8 byte order mark every written file starts with.
var BOM = []byte{0xEF, 0xBB, 0xBF}

// PlainNumber is the strict form of a number left as it is.
var PlainNumber = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?$`)

// risky reports whether a spreadsheet could take a cell starting with c as
// a formula.
func risky(c byte) bool {
	switch c {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// Cell is s as written into a cell: with a leading ' when a spreadsheet
// would otherwise evaluate it.
func Cell(s string) string {
	if s == "" || !risky(s[0]) || PlainNumber.MatchString(s) {
		return s
	}
	return "'" + s
}

// Restore undoes Cell on a value read from a file: a ' followed by what
// Cell guards against is dropped.
func Restore(s string) string {
	if len(s) >= 2 && s[0] == '\'' && risky(s[1]) && !PlainNumber.MatchString(s[1:]) {
		return s[1:]
	}
	return s
}

// Writer is a csv.Writer that starts with the BOM and writes every cell
// through Cell.
type Writer struct {
	w   *csv.Writer
	rec []string
}

// NewWriter writes the byte order mark to w and returns a Writer on it.
func NewWriter(w io.Writer) (*Writer, error) {
	if _, err := w.Write(BOM); err != nil {
		return nil, err
	}
	return &Writer{w: csv.NewWriter(w)}, nil
}

// Write writes one record, its cells made safe.
func (w *Writer) Write(record []string) error {
	w.rec = w.rec[:0]
	for _, s := range record {
		w.rec = append(w.rec, Cell(s))
	}
	return w.w.Write(w.rec)
}

// Flush writes out what is buffered and reports any write error.
func (w *Writer) Flush() error {
	w.w.Flush()
	return w.w.Error()
}
