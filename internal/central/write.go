package central

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/custdesk/custdesk/internal/csvsafe"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

// Record is an entry in the public shape of `custdesk history`, with its
// terminal.
type Record struct {
	Terminal string `json:"terminal"`
	Store    string `json:"store"`
	store.Record
}

// WriteEntries writes central search results as `custdesk history
// --central` does: "text" (a table naming each entry's terminal), "json"
// or "csv" (a row per submission and platform). Every terminal's records
// are input from elsewhere: text is made terminal-safe and JSON escapes what
// a terminal would obey, as the local history does; CSV is spreadsheet-safe.
func WriteEntries(w io.Writer, entries []Entry, format string) error {
	switch format {
	case "", "text":
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TERMINAL\tID\tCREATED\tMOBILE\tPLATFORMS\tNAME")
		for _, e := range entries {
			r := store.NewRecord(e.Submission)
			var marks []string
			for _, p := range r.Platforms {
				m := p.Platform + ":" + p.Outcome
				if len(p.CustomerIDs) > 0 {
					m += "(" + strings.Join(p.CustomerIDs, ",") + ")"
				}
				marks = append(marks, m)
			}
			// The name goes last: tabwriter counts runes, not display columns.
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\n", termsafe.Line(e.Terminal), e.ID, e.Created.Local().Format("2006-01-02 15:04:05"),
				termsafe.Line(e.Customer.Mobile), termsafe.Line(strings.Join(marks, " ")), termsafe.Line(e.Customer.Name))
		}
		return tw.Flush()
	case "json":
		recs := make([]Record, len(entries))
		for i, e := range entries {
			recs[i] = Record{Terminal: e.Terminal, Store: e.Store, Record: store.NewRecord(e.Submission)}
		}
		enc := json.NewEncoder(termsafe.JSONWriter(w))
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(recs)
	case "csv":
		cw, err := csvsafe.NewWriter(w)
		if err != nil {
			return err
		}
		_ = cw.Write([]string{"terminal", "id", "created", "name", "mobile", "platform", "outcome", "customer_ids", "code", "message", "attempts"})
		for _, e := range entries {
			r := store.NewRecord(e.Submission)
			for _, p := range r.Platforms {
				_ = cw.Write([]string{e.Terminal, strconv.FormatInt(e.ID, 10), r.Created, e.Customer.Name, e.Customer.Mobile,
					p.Platform, p.Outcome, strings.Join(p.CustomerIDs, " "), p.Code, p.Message, strconv.Itoa(p.Attempts)})
			}
		}
		return cw.Flush()
	}
	return fmt.Errorf("unknown output format %q (want text, json or csv)", format)
}
