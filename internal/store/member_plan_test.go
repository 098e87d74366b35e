package store

import (
	"context"
	"strings"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

// The duplicate guard runs for every submission Begin writes, an import's
// included: it must find the member through submissions_member, not scan
// the history.
func TestEnrolmentsQueryUsesMemberIndex(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	for i := range 20 {
		sub := Submission{Customer: platforms.Customer{Name: "王小二", Mobile: "1341111111" + string(rune('0'+i%10))},
			Platforms: []string{"alsc", "youzan"}, Source: SourceImport, AllowDuplicate: true}
		if err := st.Begin(ctx, &sub); err != nil {
			t.Fatal(err)
		}
	}
	filter, fargs := platformFilter([]string{"alsc", "youzan", "nxlink"})
	steps := queryPlan(t, st, enrolmentsSQL(filter), append([]any{"m:13411111111", int64(0)}, fargs...)...)
	found := false
	for _, s := range steps {
		if strings.HasPrefix(s, "SCAN s") || strings.Contains(s, "SCAN submissions") {
			t.Errorf("the guard scans submissions: %q", steps)
		}
		found = found || strings.Contains(s, "INDEX submissions_member")
	}
	if !found {
		t.Errorf("plan %q does not read submissions_member", steps)
	}
}
