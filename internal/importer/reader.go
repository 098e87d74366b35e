package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/custdesk/custdesk/internal/csvsafe"
	"github.com/custdesk/custdesk/platforms"
)

// Format is the layout of an import file.
type Format string

const (
	FormatCSV   Format = "csv"   // a header row of customer field names, then one customer per row
	FormatJSONL Format = "jsonl" // one customer JSON object per line
	FormatXLSX  Format = "xlsx"  // an Excel workbook: one sheet read like a CSV
)

// FormatOf infers the format from the file name: .jsonl, .ndjson and .json
// are JSONL; .csv, .tsv and .txt are CSV; .xlsx and .xlsm are Excel
// workbooks. Anything else is "" (sniff).
func FormatOf(path string) Format {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		return FormatXLSX
	case ".jsonl", ".ndjson", ".json":
		return FormatJSONL
	case ".csv", ".tsv", ".txt":
		return FormatCSV
	}
	return ""
}

// MaxLine bounds one JSONL line or one CSV record. A record this long is not a
// customer; refusing it keeps memory flat whatever the file holds.
const MaxLine = 1 << 20

// Row is one customer read from the file.
type Row struct {
	// Line is where the record starts in the file (1-based, the header is line
	// 1 of a CSV). It is what a spreadsheet shows as the row number and, with
	// the file's digest, what identifies the row across runs.
	Line     int
	Customer platforms.Customer
	// Problems are what made the row unreadable as a customer (bad encoding,
	// a value the model cannot hold, malformed JSON, a value the normaliser
	// refused); platform rules come later.
	Problems []Problem
	// Changes are what the normaliser rewrote in the row.
	Changes []platforms.Change
}

// Problem is one reason a row is not imported, as the report lists it.
type Problem struct {
	Row      int    `json:"row"`
	Field    string `json:"field"`
	Platform string `json:"platform"` // "" when the row is unreadable for every platform
	Rule     string `json:"rule"`
	Zh       string `json:"zh"`
	En       string `json:"en"`
}

// Message is the problem in lang ("zh" or English), naming the platform whose
// rule failed.
func (p Problem) Message(lang string) string {
	msg := p.En
	if lang == "zh" {
		msg = p.Zh
	}
	return msg
}

// Rules of problems found while reading, beside the platforms' own rules.
const (
	RuleEncoding = "encoding"
	RuleJSON     = "json"
	RuleValue    = "value"
	RuleColumns  = "columns"
	RuleTooLong  = "too_long"
)

// Reader yields the rows of an import file as a stream.
type Reader struct {
	next    func() (Row, error)
	decoded decoded
	format  Format
	columns []ColumnMap
	titles  []TitleRow
	close   func() error
	sheet   string // a workbook's sheet being read
}

// NewReader reads customers from r. An empty format is sniffed from the first
// non-blank character ('{' means JSONL). Problems with the file as a whole (an
// unknown column, a duplicate header) are errors here; problems with one row
// are in that Row's Problems. Headers are matched by the synonym table.
func NewReader(r io.Reader, format Format, enc Encoding) (*Reader, error) {
	return NewReaderColumns(r, format, enc, ColumnOptions{})
}

// NewReaderColumns is NewReader with --map and --strict's say on columns.
// It reads text formats only; an Excel workbook is opened by path
// (openXLSX), since a zip file is read from its end.
func NewReaderColumns(r io.Reader, format Format, enc Encoding, co ColumnOptions) (*Reader, error) {
	d, err := decode(r, enc)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(d, 64<<10)
	if format == "" {
		format = sniffFormat(br)
	}
	rd := &Reader{decoded: d, format: format}
	switch format {
	case FormatJSONL:
		rd.next = jsonlRows(br)
	case FormatCSV:
		next, cols, titles, err := csvRows(br, co)
		if err != nil {
			return nil, err
		}
		rd.next, rd.columns, rd.titles = next, cols, titles
	default:
		return nil, fmt.Errorf("unknown import format %q (csv or jsonl)", format)
	}
	return rd, nil
}

// Next returns the next row with any content, skipping blank lines; io.EOF
// ends the file.
func (r *Reader) Next() (Row, error) { return r.next() }

// Format is the file's format, sniffed or given.
func (r *Reader) Format() Format { return r.format }

// Columns is how the header's columns were mapped (nil for JSONL).
func (r *Reader) Columns() []ColumnMap { return r.columns }

// TitleRows are the rows above the header, skipped as the sheet's title.
func (r *Reader) TitleRows() []TitleRow { return r.titles }

// Encoding is the encoding in effect: for auto, what was detected so far.
// A workbook's text is Unicode by definition: it reads as UTF-8.
func (r *Reader) Encoding() Encoding {
	if r.decoded.used == nil {
		return EncodingUTF8
	}
	return r.decoded.used()
}

// keySuffix is added to the file's digest to key its rows in history: a
// workbook's sheets number their rows independently, so the sheet is part
// of the key ("sha256:…#会员").
func (r *Reader) keySuffix() string {
	if r.sheet == "" {
		return ""
	}
	return "#" + r.sheet
}

// Close releases what the reader holds (a workbook's temporary files).
func (r *Reader) Close() error {
	if r.close == nil {
		return nil
	}
	return r.close()
}

// normalize puts the row's customer in canonical form and records what
// changed; refusals join the row's problems, with no platform.
func normalize(row *Row) {
	n, changes, errs := platforms.Normalize(row.Customer)
	row.Customer, row.Changes = n, changes
	for _, e := range errs {
		row.Problems = append(row.Problems, Problem{Row: row.Line, Field: e.Field, Rule: e.Rule, Zh: e.Zh, En: e.En})
	}
}

func sniffFormat(br *bufio.Reader) Format {
	for n := 64; n <= 4096; n *= 4 {
		b, err := br.Peek(n)
		if t := bytes.TrimLeft(b, " \t\r\n"); len(t) > 0 {
			if t[0] == '{' {
				return FormatJSONL
			}
			return FormatCSV
		}
		if err != nil {
			break
		}
	}
	return FormatCSV
}

// readLine reads one line without its line ending. A line longer than MaxLine
// is consumed and reported as too long instead of being held in memory.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > MaxLine {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && (len(buf) > 0 || tooLong) && errors.Is(err, io.EOF) {
			err = nil // a last line without a newline is still a line
		}
		buf = bytes.TrimSuffix(bytes.TrimSuffix(buf, []byte("\n")), []byte("\r"))
		return buf, tooLong, err
	}
}

func jsonlRows(br *bufio.Reader) func() (Row, error) {
	lineNo := 0
	return func() (Row, error) {
		for {
			line, tooLong, err := readLine(br)
			if err != nil {
				return Row{}, err
			}
			lineNo++
			if tooLong {
				return Row{Line: lineNo, Problems: []Problem{tooLongProblem(lineNo)}}, nil
			}
			line = bytes.TrimSpace(line)
			if len(line) == 0 {
				continue
			}
			row := Row{Line: lineNo}
			if p, bad := encodingProblem(lineNo, "", line); bad {
				row.Problems = append(row.Problems, p)
				return row, nil
			}
			dec := json.NewDecoder(bytes.NewReader(line))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&row.Customer); err != nil {
				row.Problems = append(row.Problems, jsonProblem(lineNo, err))
			} else if dec.More() {
				row.Problems = append(row.Problems, Problem{Row: lineNo, Rule: RuleJSON,
					Zh: "一行只能有一个 JSON 对象", En: "more than one JSON value on the line"})
			} else {
				normalize(&row)
			}
			return row, nil
		}
	}
}

func jsonProblem(line int, err error) Problem {
	p := Problem{Row: line, Rule: RuleJSON}
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr):
		p.Field = typeErr.Field
		p.Zh = "类型不对：应为 " + typeErr.Type.String()
		p.En = "wrong type: expected " + typeErr.Type.String()
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		p.Field = name
		p.Zh = "未知字段 " + strconv.Quote(name)
		p.En = "unknown field " + strconv.Quote(name)
	default:
		p.Zh = "不是一个客户 JSON 对象：" + err.Error()
		p.En = "not a customer JSON object: " + err.Error()
	}
	return p
}

func tooLongProblem(line int) Problem {
	n := strconv.Itoa(MaxLine)
	return Problem{Row: line, Rule: RuleTooLong, Zh: "这一行超过 " + n + " 字节", En: "the row is longer than " + n + " bytes"}
}

// encodingProblem reports text that did not decode: invalid UTF-8 survives
// a UTF-8 read as is, and GB18030 decoding turns undecodable bytes into U+FFFD.
func encodingProblem(line int, field string, b []byte) (Problem, bool) {
	if utf8.Valid(b) && !bytes.ContainsRune(b, utf8.RuneError) {
		return Problem{}, false
	}
	return Problem{Row: line, Field: field, Rule: RuleEncoding,
		Zh: "含有无法解码的字节（文件编码不对？试试 --encoding gbk 或 --encoding utf-8）",
		En: "holds bytes that do not decode (wrong file encoding? try --encoding gbk or --encoding utf-8)"}, true
}

// column is one CSV header cell.
type column struct {
	field  string // a customer field key, or "" for custom.KEY and unnamed columns
	custom string // the KEY of a custom.KEY column
	header string // as written, for messages
	ignore bool   // a named column that maps to nothing, or one --map ignores
}

const customPrefix = "custom."

func csvRows(br *bufio.Reader, co ColumnOptions) (func() (Row, error), []ColumnMap, []TitleRow, error) {
	delim := sniffDelimiter(br)
	limit := &recordLimit{r: br}
	cr := csv.NewReader(limit)
	cr.Comma = delim
	cr.FieldsPerRecord = -1 // ragged rows are checked here, with a row number
	cr.ReuseRecord = true

	src := &rowSource{read: func() readRow {
		limit.reset()
		rec, err := cr.Read()
		if err != nil {
			return readRow{err: err}
		}
		line, _ := cr.FieldPos(0)
		return readRow{line: line, rec: rec}
	}}
	header, titles, err := findHeader(src, co)
	if errors.Is(err, io.EOF) {
		return nil, nil, nil, errEmpty
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("reading the header row: %w", err)
	}
	cols, maps, err := mapHeader(header.rec, co)
	if err != nil {
		return nil, nil, nil, err
	}
	lastLine := header.line
	return func() (Row, error) {
		for {
			r := src.next()
			if errors.Is(r.err, io.EOF) {
				return Row{}, io.EOF
			}
			if errors.Is(r.err, errRecordTooLong) {
				return Row{}, fmt.Errorf("the record after line %d is longer than %d bytes (an unclosed quote?); nothing after it can be read", lastLine, MaxLine)
			}
			var perr *csv.ParseError
			if errors.As(r.err, &perr) {
				lastLine = perr.StartLine
				return Row{Line: perr.StartLine, Problems: []Problem{{Row: perr.StartLine, Rule: RuleColumns,
					Zh: "CSV 格式错误：" + perr.Err.Error(), En: "malformed CSV: " + perr.Err.Error()}}}, nil
			}
			if r.err != nil {
				return Row{}, r.err
			}
			if blank(r.rec) {
				continue // empty spreadsheet rows export as ",,,"
			}
			lastLine = r.line
			return csvRow(r.line, cols, r.rec), nil
		}
	}, maps, titles, nil
}

var errEmpty = errors.New("the file is empty: expected a header row of customer field names (name,mobile,… or 姓名,手机号,…)")

// sniffDelimiter picks tab for a header with tabs and no commas (Excel's
// "Unicode text" and .tsv files), comma otherwise.
func sniffDelimiter(br *bufio.Reader) rune {
	b, _ := br.Peek(min(br.Size(), 4096))
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	if bytes.IndexByte(b, '\t') >= 0 && bytes.IndexByte(b, ',') < 0 {
		return '\t'
	}
	return ','
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func csvRow(line int, cols []column, rec []string) Row {
	row := Row{Line: line}
	for i, raw := range rec {
		// An exported history comes back as typed: its ' before a cell
		// that looked like a formula goes.
		v := csvsafe.Restore(strings.TrimSpace(raw))
		if v == "" {
			continue
		}
		if i < len(cols) && cols[i].ignore {
			continue // a column that maps to nothing, reported once with the mapping
		}
		if i >= len(cols) || (cols[i].field == "" && cols[i].custom == "") {
			row.Problems = append(row.Problems, Problem{Row: line, Rule: RuleColumns,
				Zh: fmt.Sprintf("第 %d 列有值但没有表头", i+1),
				En: fmt.Sprintf("column %d has a value but no header", i+1)})
			continue
		}
		c := cols[i]
		field := c.field
		if field == "" {
			field = customPrefix + c.custom
		}
		if p, bad := encodingProblem(line, field, []byte(v)); bad {
			row.Problems = append(row.Problems, p)
			continue
		}
		if c.custom != "" {
			setCustom(&row.Customer, c.custom, v)
			continue
		}
		if field == "custom" {
			// Merged rather than Set: custom.KEY columns may come before it.
			m, err := platforms.ParseCustom(v)
			if err != nil {
				row.Problems = append(row.Problems, Problem{Row: line, Field: field, Rule: RuleValue,
					Zh: "值无效：" + err.Error(), En: "invalid value: " + err.Error()})
			}
			for k, val := range m {
				setCustom(&row.Customer, k, val)
			}
			continue
		}
		if err := row.Customer.Set(field, v); err != nil {
			row.Problems = append(row.Problems, Problem{Row: line, Field: field, Rule: RuleValue,
				Zh: "值无效：" + err.Error(), En: "invalid value: " + err.Error()})
		}
	}
	normalize(&row)
	return row
}

func setCustom(c *platforms.Customer, key, value string) {
	if c.Custom == nil {
		c.Custom = map[string]string{}
	}
	c.Custom[key] = value
}

var errRecordTooLong = errors.New("record too long")

// recordLimit fails a read once the bytes read since the last record pass
// MaxLine, so a runaway quoted field (an unclosed quote) cannot pull the rest
// of the file into memory. The count runs a buffer ahead of the CSV parser,
// which only makes the limit a little stricter.
type recordLimit struct {
	r    io.Reader
	read int
}

func (l *recordLimit) Read(p []byte) (int, error) {
	if l.read > MaxLine+64<<10 {
		return 0, errRecordTooLong
	}
	n, err := l.r.Read(p)
	l.read += n
	return n, err
}

func (l *recordLimit) reset() { l.read = 0 }
