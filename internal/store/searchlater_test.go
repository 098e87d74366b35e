package store

import (
	"context"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

func searchIDs(t *testing.T, st *Store, text string) []int64 {
	t.Helper()
	page, err := st.List(context.Background(), Query{Text: text, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, s := range page {
		ids = append(ids, s.ID)
	}
	return ids
}

// A row written ahead with SearchLater is indexed once, by its SearchAdd,
// with the customer IDs its platforms returned, and not before.
func TestSearchLaterIndexedOnceAnswered(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	sub := &Submission{Customer: platforms.Customer{Name: "欧阳娜娜", Mobile: "13411112222"}, Platforms: []string{"alsc", "youzan"}, Source: SourceImport}
	if _, _, err := st.Apply(ctx, Batch{Begin: []*Submission{sub}, SearchLater: true}); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, st, "欧阳娜"); len(got) != 0 {
		t.Fatalf("indexed before its platforms answered: %v", got)
	}
	recs := []Recording{{SubmissionID: sub.ID, Exchange: okExchange("alsc", "C-77001"), SearchLater: true},
		{SubmissionID: sub.ID, Exchange: okExchange("youzan", "Y-88002"), SearchLater: true}}
	if _, _, err := st.Apply(ctx, Batch{Records: recs}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Apply(ctx, Batch{Search: []SearchAdd{{SubmissionID: sub.ID, IDs: []string{"C-77001", "Y-88002"}}}}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"欧阳娜", "C-77001", "Y-88002", sub.RequestID, "1122"} {
		if got := searchIDs(t, st, q); len(got) != 1 || got[0] != sub.ID {
			t.Errorf("search %q = %v, want [%d]", q, got, sub.ID)
		}
	}
	var waiting, rows int
	if err := st.read.QueryRow(`SELECT (SELECT count(*) FROM search_later), (SELECT count(*) FROM search)`).Scan(&waiting, &rows); err != nil {
		t.Fatal(err)
	}
	if waiting != 0 || rows != 1 {
		t.Errorf("search_later %d rows, search %d rows; want 0 and 1", waiting, rows)
	}
}

// A row without answers (a rejected one, or one never sent) is indexed by a
// SearchAdd without IDs; what a process left waiting when it died is
// indexed by the next Recover, with the IDs already recorded; IndexWaiting
// indexes this process's own.
func TestSearchLaterLeftWaiting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	first, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := &Submission{Customer: platforms.Customer{Name: "司马相如", Mobile: "13411113333"}, Platforms: []string{"alsc"}, Source: SourceImport}
	b := &Submission{Customer: platforms.Customer{Name: "诸葛孔明", Mobile: "13411114444"}, Platforms: []string{"alsc"}, Source: SourceImport}
	if _, _, err := first.Apply(ctx, Batch{Begin: []*Submission{a, b}, SearchLater: true}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := first.Apply(ctx, Batch{Records: []Recording{{SubmissionID: a.ID, Exchange: okExchange("alsc", "C-99003"), SearchLater: true}}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := first.Apply(ctx, Batch{Search: []SearchAdd{{SubmissionID: b.ID}}}); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, first, "诸葛孔"); len(got) != 1 {
		t.Errorf("a SearchAdd without IDs did not index: %v", got)
	}
	// The process goes away with a's text still waiting.
	first.Close()
	next, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer next.Close()
	if got := searchIDs(t, next, "C-99003"); len(got) != 0 {
		t.Fatalf("found before Recover: %v", got)
	}
	if _, err := next.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"司马相", "C-99003"} {
		if got := searchIDs(t, next, q); len(got) != 1 || got[0] != a.ID {
			t.Errorf("after Recover, search %q = %v, want [%d]", q, got, a.ID)
		}
	}
	c := &Submission{Customer: platforms.Customer{Name: "上官婉儿", Mobile: "13411115555"}, Platforms: []string{"alsc"}, Source: SourceImport}
	if _, _, err := next.Apply(ctx, Batch{Begin: []*Submission{c}, SearchLater: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := next.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, next, "上官婉"); len(got) != 0 {
		t.Fatalf("Recover indexed a live process's waiting row: %v", got)
	}
	if err := next.IndexWaiting(ctx); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, next, "上官婉"); len(got) != 1 {
		t.Errorf("IndexWaiting did not index this process's row: %v", got)
	}
}
