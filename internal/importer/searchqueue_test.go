package importer

import (
	"context"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// Every row of an import ends in the search index with its platforms'
// customer IDs, whether its text was written when 512 rows had gathered,
// when the journal stopped, or in between (searchQueue).
func TestImportedRowsAreSearchable(t *testing.T) {
	const rows = 1300
	g := generate(t, genOptions{rows: rows, dir: t.TempDir()})
	st := openStore(t, t.TempDir())
	ps := []platforms.Platform{&fakePlatform{name: "alsc", answer: ok}, &fakePlatform{name: "youzan", answer: ok},
		&fakePlatform{name: "nxlink", batch: 100, answer: ok}}
	sum := run1(t, context.Background(), g, st, Options{Platforms: ps})
	if !sum.AllOK() {
		t.Fatalf("summary %+v", sum.Platforms)
	}
	ctx := context.Background()
	// Fragments of the fakes' customer IDs ("alsc-N-i"): only the trigram
	// index over the search text finds them.
	for _, word := range []string{"lsc-", "ouzan-", "xlink-"} {
		if n, err := st.Count(ctx, store.Query{Text: word}); err != nil || n != rows {
			t.Errorf("%q found in %d submissions (%v), want %d", word, n, err, rows)
		}
	}
	subs, err := st.List(ctx, store.Query{Limit: rows})
	if err != nil || len(subs) != rows {
		t.Fatalf("%d submissions (%v)", len(subs), err)
	}
	for _, sub := range subs[:50] {
		found, err := st.List(ctx, store.Query{Text: sub.RequestID[4:16]})
		if err != nil || len(found) != 1 || found[0].ID != sub.ID {
			t.Errorf("request ID fragment of submission %d: %d found (%v)", sub.ID, len(found), err)
		}
	}
}

func TestSearchQueueWaitsForCountOrTime(t *testing.T) {
	q := searchQueue{wake: make(chan struct{}, 1)}
	if d := q.due(time.Now()); d >= 0 || q.take(false) != nil {
		t.Fatalf("empty queue: due %v", d)
	}
	q.add([]store.SearchAdd{{SubmissionID: 1}})
	if d := q.due(time.Now()); d <= 0 || d > searchWait || q.take(false) != nil {
		t.Fatalf("one row: due in %v, or taken before it is due", d)
	}
	if d := q.due(time.Now().Add(searchWait)); d != 0 {
		t.Fatalf("one row after searchWait: due in %v", d)
	}
	for i := range searchBatch - 1 {
		q.add([]store.SearchAdd{{SubmissionID: int64(i + 2)}})
	}
	select {
	case <-q.wake:
	default:
		t.Fatal("a full batch did not wake the journal")
	}
	if got := q.take(false); len(got) != searchBatch || q.due(time.Now()) >= 0 {
		t.Fatalf("full batch: took %d", len(got))
	}
	q.add([]store.SearchAdd{{SubmissionID: 9}})
	if got := q.take(true); len(got) != 1 {
		t.Fatalf("take all: %d", len(got))
	}
}
