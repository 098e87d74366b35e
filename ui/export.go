package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/internal/private"
	"github.com/custdesk/custdesk/internal/store"
)

// exportedMsg reports an export of the history pane's rows.
type exportedMsg struct {
	jsonl, csv string // the files written
	n          int    // submissions written
	err        error
}

// exportCmd writes the submissions q selects to two new files in dir:
// history-<stamp>.jsonl (one record per line, with every exchange, for
// archiving and for support) and history-<stamp>.csv (a row per submission
// and platform, for a spreadsheet). It runs until done or until the console
// quits (ctx), however large the history: the store streams it.
func exportCmd(ctx context.Context, hs historyStore, q store.Query, dir, stamp string) tea.Cmd {
	return func() tea.Msg {
		base, err := freeName(dir, "history-"+stamp)
		if err != nil {
			return exportedMsg{err: err}
		}
		var n int
		jsonl := base + ".jsonl"
		if err := private.ReplaceWith(jsonl, func(w io.Writer) error {
			lc := &lineCounter{w: w}
			err := hs.ExportContext(ctx, lc, q, "jsonl")
			n = lc.lines
			return err
		}); err != nil {
			return exportedMsg{err: err}
		}
		csv := base + ".csv"
		if err := private.ReplaceWith(csv, func(w io.Writer) error { return hs.ExportContext(ctx, w, q, "csv") }); err != nil {
			return exportedMsg{jsonl: jsonl, err: err}
		}
		return exportedMsg{jsonl: jsonl, csv: csv, n: n}
	}
}

// freeName is dir/name, or dir/name-2, -3… when an export of the same second
// is already there: an export never overwrites another.
func freeName(dir, name string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	base := filepath.Join(dir, name)
	for i := 2; ; i++ {
		_, errJ := os.Stat(base + ".jsonl")
		_, errC := os.Stat(base + ".csv")
		if errors.Is(errJ, os.ErrNotExist) && errors.Is(errC, os.ErrNotExist) {
			return base, nil
		}
		if i > 1000 {
			return "", fmt.Errorf("%s: too many exports with this name", filepath.Join(dir, name))
		}
		base = filepath.Join(dir, name+"-"+strconv.Itoa(i))
	}
}

// lineCounter counts the lines written through it: one per JSONL record.
type lineCounter struct {
	w     io.Writer
	lines int
}

func (c *lineCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.lines += bytes.Count(p[:n], []byte{'\n'})
	return n, err
}

// shortPath abbreviates the home directory as ~ for the status line.
func shortPath(p string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return p
	}
	if rest, ok := strings.CutPrefix(p, home+string(filepath.Separator)); ok {
		return "~" + string(filepath.Separator) + rest
	}
	return p
}
