package central

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// Records from other terminals are input from elsewhere: text and JSON let
// no control sequence reach the terminal; CSV keeps the data exact, as the
// local history's does, but no cell is a formula.
func TestEntriesFromElsewhereAreWrittenSafely(t *testing.T) {
	hostile := "王\x1b]52;c;cHduZWQ=\x07小二\u202e"
	e := Entry{Terminal: "store-007/pos-1\x1b[2J", Store: "store-007", Submission: store.Submission{ID: 7,
		Created: time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC), Platforms: []string{"p1"},
		Customer: platforms.Customer{Name: hostile, Mobile: "=HYPERLINK(\"x\")"}}}
	for _, format := range []string{"text", "json", "csv"} {
		var b bytes.Buffer
		if err := WriteEntries(&b, []Entry{e}, format); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if format != "csv" && strings.ContainsAny(out, "\x1b\x07\u202e") {
			t.Errorf("%s output lets a control character through: %q", format, out)
		}
		if format == "csv" && strings.Contains(out, ",=HYPERLINK") {
			t.Errorf("csv output keeps a formula cell: %q", out)
		}
	}
}

func TestTerminalNamesAreCheckedForWhatHeadOfficePrints(t *testing.T) {
	for _, bad := range []string{"", " store-1", "store 1", "/pos-1", "store-1/", "store-1\x1b[2J", "store\u200b-1", "store-\xff"} {
		if CheckTerminal(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for _, good := range []string{"store-012/pos-1", "hq", "门店-7/收银1"} {
		if err := CheckTerminal(good); err != nil {
			t.Errorf("%q: %v", good, err)
		}
	}
}
