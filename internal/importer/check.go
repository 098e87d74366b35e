package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/custdesk/custdesk/internal/csvsafe"
	"github.com/custdesk/custdesk/platforms"
)

// Input is an import file and how to read it.
type Input struct {
	Path     string
	Format   Format   // "": from the extension, else sniffed
	Encoding Encoding // "": auto; a workbook has none
	Sheet    string   // a workbook's sheet; "": the first
	Columns  ColumnOptions
}

// Checked is what the first pass over a file found.
type Checked struct {
	Input
	// Digest identifies the file's exact bytes ("sha256:…", and "#SHEET"
	// for a workbook's sheet). With a row's line number it is the row's key
	// in history, so a re-run of the same file resumes and a changed file
	// starts afresh.
	Digest   string
	Format   Format
	Encoding Encoding // as detected: auto becomes utf-8, gbk or utf-16
	Rows     int      // rows with content (blank lines are not rows)
	Valid    int
	Invalid  int
	Problems int // one invalid row can have several
	// Size and ModTime let the sending pass notice the file changing under it.
	Size    int64
	ModTime time.Time
	// Columns is how the header was read (nil for JSONL): the field each
	// column fills, and those that fill none.
	Columns []ColumnMap
	// TitleRows are the rows above the header, skipped as the sheet's title.
	TitleRows []TitleRow
	// Normalised counts, per column, the rows whose value the normaliser
	// rewrote (beyond trimming), in column order.
	Normalised []Normalised
}

// Normalised is one column's normalisations.
type Normalised struct {
	Field   string           `json:"field"`
	Header  string           `json:"header,omitempty"`
	Rows    int              `json:"rows"`
	Example platforms.Change `json:"example"` // the first one
}

// Unmapped lists the named columns that fill no field and are ignored.
func (c Checked) Unmapped() []ColumnMap {
	var out []ColumnMap
	for _, m := range c.Columns {
		if m.Field == "" && m.Header != "" && m.By == "" {
			out = append(out, m)
		}
	}
	return out
}

// Check reads the whole file once, before anything is sent: it computes the
// digest, reads every row and validates it for every given platform. Each
// problem goes to report (nil: discarded) as soon as it is found, so memory
// does not grow with the number of invalid rows.
func Check(ctx context.Context, in Input, ps []platforms.Platform, report func(Problem) error) (Checked, error) {
	f, err := os.Open(in.Path)
	if err != nil {
		return Checked{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Checked{}, err
	}
	if fi.IsDir() {
		return Checked{}, fmt.Errorf("%s is a directory, not an import file", in.Path)
	}
	h := sha256.New()
	rows, err := openRows(f, h, in)
	if err != nil {
		return Checked{}, fmt.Errorf("%s: %w", in.Path, err)
	}
	defer rows.Close()
	c := Checked{Input: in, Size: fi.Size(), ModTime: fi.ModTime(), Format: rows.Format(), Columns: rows.Columns(), TitleRows: rows.TitleRows()}
	norm := newNormTally(c.Columns)
	for {
		if c.Rows%1024 == 0 && ctx.Err() != nil {
			return Checked{}, ctx.Err()
		}
		row, err := rows.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Checked{}, fmt.Errorf("%s: %w", in.Path, err)
		}
		c.Rows++
		norm.add(row.Changes)
		problems := rowProblems(row, ps)
		if len(problems) == 0 {
			c.Valid++
			continue
		}
		c.Invalid++
		c.Problems += len(problems)
		if report != nil {
			for _, p := range problems {
				if err := report(p); err != nil {
					return Checked{}, fmt.Errorf("writing the report: %w", err)
				}
			}
		}
	}
	c.Digest = digestString(h) + rows.keySuffix()
	c.Normalised = norm.list()
	c.Encoding = rows.Encoding()
	if c.Encoding == EncodingAuto || c.Encoding == "" {
		c.Encoding = EncodingUTF8 // all ASCII (or undecided): the same in every supported encoding
	}
	return c, nil
}

func digestString(h hash.Hash) string { return "sha256:" + hex.EncodeToString(h.Sum(nil)) }

// openRows reads f's rows, feeding its bytes to h: as they are read for a
// text file, all at once first for a workbook (a zip is read from its end).
func openRows(f *os.File, h hash.Hash, in Input) (*Reader, error) {
	format := in.Format
	if format == "" {
		format = FormatOf(in.Path)
	}
	if format == FormatXLSX {
		if _, err := io.Copy(h, f); err != nil {
			return nil, err
		}
		return openXLSX(in.Path, in.Sheet, in.Columns)
	}
	enc := in.Encoding
	if enc == "" {
		enc = EncodingAuto
	}
	return NewReaderColumns(io.TeeReader(f, h), format, enc, in.Columns)
}

// rowProblems is everything that keeps a row from being sent: what reading
// found, then every platform's rules. A row that could not be read at all
// (bad encoding, malformed JSON) is not validated further: its fields would
// only produce noise.
func rowProblems(row Row, ps []platforms.Platform) []Problem {
	problems := row.Problems
	var refused map[string]bool // fields already refused: the platforms would only repeat it
	for _, p := range row.Problems {
		switch p.Rule {
		case RuleEncoding, RuleJSON, RuleTooLong, RuleColumns:
			return problems
		}
		if p.Field != "" {
			if refused == nil {
				refused = map[string]bool{}
			}
			refused[p.Field] = true
		}
	}
	for _, fe := range platforms.ValidateAll(row.Customer, ps) {
		if refused[fe.Field] {
			continue
		}
		problems = append(problems, Problem{Row: row.Line, Field: fe.Field, Platform: fe.Platform, Rule: fe.Rule,
			Zh: fe.Message("zh"), En: fe.Message("en")})
	}
	return problems
}

// ReportWriter writes problems as CSV: row, field, platform, rule, message.
// It is spreadsheet-safe (csvsafe): it starts with a UTF-8 byte order mark
// so spreadsheet programs that assume GBK without one (Chinese Excel) show
// the messages right, and no cell is evaluated as a formula.
type ReportWriter struct {
	w    *csvsafe.Writer
	lang string
}

// NewReportWriter writes the header row; messages are in lang ("zh" or English).
func NewReportWriter(w io.Writer, lang string) (*ReportWriter, error) {
	cw, err := csvsafe.NewWriter(w)
	if err != nil {
		return nil, err
	}
	if err := cw.Write([]string{"row", "field", "platform", "rule", "message"}); err != nil {
		return nil, err
	}
	return &ReportWriter{w: cw, lang: lang}, nil
}

// Add writes one problem.
func (r *ReportWriter) Add(p Problem) error {
	return r.w.Write([]string{strconv.Itoa(p.Row), p.Field, p.Platform, p.Rule, p.Message(r.lang)})
}

// Flush writes out what is buffered and reports any write error.
func (r *ReportWriter) Flush() error { return r.w.Flush() }
