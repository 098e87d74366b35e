// Package textcol lays out tab-separated text in columns padded by display
// width, so that Chinese names (two columns each) line up where
// text/tabwriter, which counts runes, would push the rest of their row out.
package textcol

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// gap is the space between two columns.
const gap = 2

// Writer buffers lines of tab-separated cells until Flush writes them as a
// table, as text/tabwriter does. A line without a tab is a table's end: it
// is written as it is, and the lines after it are laid out on their own.
type Writer struct {
	w   io.Writer
	buf bytes.Buffer
}

// NewWriter returns a Writer that writes its tables to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

func (t *Writer) Write(p []byte) (int, error) { return t.buf.Write(p) }

// Flush writes everything written so far.
func (t *Writer) Flush() error {
	text := t.buf.String()
	t.buf.Reset()
	var out strings.Builder
	var block [][]string
	for len(text) > 0 {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		if !strings.Contains(line, "\t") {
			layout(&out, block)
			block = block[:0]
			out.WriteString(line + "\n")
			continue
		}
		block = append(block, strings.Split(line, "\t"))
	}
	layout(&out, block)
	_, err := io.WriteString(t.w, out.String())
	return err
}

// layout writes rows with every column but the last padded to its widest
// cell; trailing spaces are not written.
func layout(out *strings.Builder, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	for _, r := range rows {
		var line strings.Builder
		for i, c := range r {
			line.WriteString(c)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(c)+gap))
			}
		}
		out.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}

// Duration is a time taken as the console and the CLI's tables write it:
// tenths of a millisecond under 10 ms (a loopback answer takes 0.4 ms, which
// rounding to the millisecond would show as 0s), whole milliseconds under a
// second, tenths of a second above.
func Duration(d time.Duration) string {
	switch {
	case d < 10*time.Millisecond:
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + "ms"
	case d < time.Second:
		return strconv.Itoa(int(d/time.Millisecond)) + "ms"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + "s"
}
