package importer

import (
	"slices"
	"strings"
)

// maxTitleRows is how many rows a sheet may hold above its header: a POS
// export's title ("会员名单 2026年11月"), the store and the date it was
// exported, a blank line between.
const maxTitleRows = 10

// TitleRow is a row above the header that was skipped as the sheet's title.
type TitleRow struct {
	Row  int    `json:"row"`
	Text string `json:"text"` // its cells, joined by spaces
}

// readRow is one row as a file's reader returns it: its line (a sheet's row
// number), its cells, or the error reading it (io.EOF after the last).
type readRow struct {
	line int
	rec  []string
	err  error
}

// rowSource gives back the rows the header search read past the header
// before reading on.
type rowSource struct {
	read    func() readRow
	pending []readRow
}

func (s *rowSource) next() readRow {
	if len(s.pending) > 0 {
		r := s.pending[0]
		s.pending = s.pending[1:]
		return r
	}
	return s.read()
}

// findHeader reads the header row: the first non-blank row with a cell
// that names a field (its key, a known name, custom.KEY, or a --map
// header). The rows above it name none; they are the sheet's title rows,
// returned so the import can say it skipped them. When none of the first
// maxTitleRows+1 rows names a field, the first is the header, as it always
// was, and mapHeader says what it does not know. Rows read past the header
// are read again from s. io.EOF means no row had any content.
func findHeader(s *rowSource, co ColumnOptions) (readRow, []TitleRow, error) {
	var seen []readRow // non-blank rows before the header, cells cloned
	for len(seen) <= maxTitleRows {
		r := s.next()
		if r.err != nil {
			if len(seen) == 0 {
				return readRow{}, nil, r.err
			}
			s.pending = append(s.pending, r) // the rows' reader says it again
			break
		}
		if blank(r.rec) {
			continue
		}
		if namesField(r.rec, co) {
			titles := make([]TitleRow, len(seen))
			for i, t := range seen {
				titles[i] = TitleRow{Row: t.line, Text: titleText(t.rec)}
			}
			r.rec = slices.Clone(r.rec)
			return r, titles, nil
		}
		r.rec = slices.Clone(r.rec) // a CSV reader reuses its record
		seen = append(seen, r)
	}
	s.pending = append(seen[1:], s.pending...)
	return seen[0], nil, nil
}

// namesField reports a row with a cell that a header would map: what makes
// it the header rather than a title above it. A --map by position (Col7)
// says nothing about which row is the header, so only --map's headers count.
func namesField(rec []string, co ColumnOptions) bool {
	for _, cell := range rec {
		name := strings.TrimSpace(strings.TrimPrefix(cell, "\ufeff"))
		if name == "" {
			continue
		}
		key := headerKey(name)
		if f, _ := knownField(name, key); f != "" {
			return true
		}
		for k := range co.Map {
			if key != "" && headerKey(k) == key {
				return true
			}
		}
	}
	return false
}

func titleText(rec []string) string {
	var parts []string
	for _, c := range rec {
		if c = strings.TrimSpace(c); c != "" {
			parts = append(parts, c)
		}
	}
	return strings.Join(parts, " ")
}
