package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/internal/importer"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

// checkRows is how many rows `import --check` shows.
const checkRows = 5

// runImportCheck is `import --check`: the columns as mapped, the first rows
// as they would be sent, and the whole file's counts. It sends nothing.
func runImportCheck(ctx context.Context, in importer.Input, chosen []platforms.Platform, output, lang string, stdout io.Writer) error {
	cols, rows, err := importer.Preview(ctx, in, chosen, checkRows)
	if err != nil {
		return &exitError{exitBadInput, err}
	}
	checked, err := importer.Check(ctx, in, chosen, nil)
	if err != nil {
		return &exitError{exitBadInput, err}
	}
	// Headers and cells are the file's text: they reach a terminal only
	// through termsafe, as the history's output does.
	if output == "json" {
		enc := json.NewEncoder(termsafe.JSONWriter(stdout))
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(struct {
			TitleRows  []importer.TitleRow   `json:"title_rows,omitempty"`
			Columns    []importer.ColumnMap  `json:"columns,omitempty"`
			Rows       []importer.PreviewRow `json:"rows"`
			Total      int                   `json:"total_rows"`
			Valid      int                   `json:"valid"`
			Invalid    int                   `json:"invalid"`
			Normalised []importer.Normalised `json:"normalised,omitempty"`
		}{checked.TitleRows, cols, rows, checked.Rows, checked.Valid, checked.Invalid, checked.Normalised})
	}
	stdout = termsafe.TextWriter(stdout)
	reportTitles(stdout, checked.TitleRows, "")
	writeColumns(stdout, cols)
	fmt.Fprintf(stdout, "first %d row(s) as they would be sent:\n", len(rows))
	for _, r := range rows {
		b, _ := json.Marshal(r.Customer)
		fmt.Fprintf(stdout, "  row %d: %s\n", r.Row, strings.ReplaceAll(string(b), `\u0026`, "&"))
		for _, ch := range r.Changes {
			if !ch.TrimOnly() {
				fmt.Fprintf(stdout, "    %s %q -> %q\n", ch.Field, ch.From, ch.To)
			}
		}
		for _, p := range r.Problems {
			fmt.Fprintf(stdout, "    ✗ %s: %s\n", orAll(p.Field), p.Message(lang))
		}
	}
	fmt.Fprintf(stdout, "%d rows, %d valid, %d invalid (%s, %s)\n", checked.Rows, checked.Valid, checked.Invalid, checked.Format, checked.Encoding)
	importer.WriteNormalised(stdout, checked.Normalised)
	_, err = fmt.Fprintln(stdout, "nothing was sent (--check)")
	return err
}

func writeColumns(w io.Writer, cols []importer.ColumnMap) {
	if len(cols) == 0 {
		return
	}
	fmt.Fprintln(w, "columns:")
	// Padded by display width: tabwriter counts a Chinese character as one column.
	hw, fw := 0, 0
	for i := range cols {
		cols[i].Header = termsafe.Line(cols[i].Header) // padded as shown
	}
	for _, c := range cols {
		hw = max(hw, ansi.StringWidth(c.Header))
		fw = max(fw, len(c.Field))
	}
	for _, c := range cols {
		to := c.Field
		switch {
		case c.Field == "" && c.By == "map":
			to = "(ignored by --map)"
		case c.Field == "" && c.Header == "":
			to = "(no header)"
		case c.Field == "":
			to = "(ignored: no such field; --map '" + c.Header + "=FIELD' keeps it)"
		case c.By == "table":
			to += strings.Repeat(" ", fw-len(c.Field)) + "  (known name)"
		case c.By == "map":
			to += strings.Repeat(" ", fw-len(c.Field)) + "  (--map)"
		}
		fmt.Fprintf(w, "  %-3d %s%s  -> %s\n", c.Column, c.Header, strings.Repeat(" ", hw-ansi.StringWidth(c.Header)), to)
	}
}

// reportUnmapped says once, before sending, which columns are ignored.
func reportUnmapped(stderr io.Writer, c importer.Checked) {
	for _, m := range c.Unmapped() {
		fmt.Fprintf(stderr, "custdesk: column %d %q fills no customer field and is ignored (--map '%s=FIELD' keeps it, --strict refuses the file)\n", m.Column, m.Header, m.Header)
	}
}

// reportTitles says which rows above the header were skipped as the
// sheet's title, so that a header found lower than expected is seen.
func reportTitles(w io.Writer, titles []importer.TitleRow, prefix string) {
	for _, t := range titles {
		fmt.Fprintf(w, "%srow %d %q is above the header: skipped as the sheet's title\n", prefix, t.Row, platforms.Clip(t.Text, 60))
	}
}

func orAll(field string) string {
	if field == "" {
		return "row"
	}
	return field
}
