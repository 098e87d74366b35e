package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// The claim and record that skip reading the state (claimExpected,
// recordClaimed) must leave the history exactly as the general path does,
// and refuse what it refuses. One scenario runs on two histories, one with
// the hints (AttemptKey.Known, Recording.Claimed) and one without, and the
// two must end the same, row for row.
func TestClaimHintsChangeNothing(t *testing.T) {
	hinted, plain := claimScenario(t, true), claimScenario(t, false)
	if !reflect.DeepEqual(hinted, plain) {
		t.Fatalf("with hints:\n%s\nwithout:\n%s", strings.Join(hinted, "\n"), strings.Join(plain, "\n"))
	}
}

func claimScenario(t *testing.T, hints bool) []string {
	ctx := context.Background()
	st, _ := openTemp(t)
	subs := []*Submission{
		{Customer: platforms.Customer{Name: "甲", Mobile: "13800000001"}, Platforms: []string{"alsc", "youzan"}, Source: SourceImport},
		{Customer: platforms.Customer{Name: "乙", Mobile: "13800000002"}, Platforms: []string{"alsc", "youzan"}, Source: SourceImport},
		{Customer: platforms.Customer{Name: "丙", Mobile: "13800000003"}, Platforms: []string{"alsc", "youzan"}, Source: SourceImport},
	}
	if _, _, err := st.Apply(ctx, Batch{Begin: subs, SearchLater: true}); err != nil {
		t.Fatal(err)
	}
	a, b, c := subs[0].ID, subs[1].ID, subs[2].ID
	// c was written ahead but is no longer held as it was: alsc released
	// (owner ''), youzan queued for a retry. Both are still claimed.
	if err := st.Release(ctx, []AttemptKey{{SubmissionID: c, Platform: "alsc"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.write.ExecContext(ctx, `UPDATE states SET queued = 1, next_retry = 42 WHERE submission_id = ? AND platform = 'youzan'`, c); err != nil {
		t.Fatal(err)
	}
	key := func(id int64, p string, expect platforms.Outcome, attempts int) AttemptKey {
		return AttemptKey{SubmissionID: id, Platform: p, Expect: expect, Attempts: attempts, Known: hints}
	}
	held := claimAll(t, st, key(c, "alsc", "", 0), key(c, "youzan", "", 0))
	record(t, st, hints, c, "alsc", held[0], platforms.OK)
	// First attempts; b/youzan's hint is wrong (the claim is still made).
	got := claimAll(t, st, key(a, "alsc", "", 0), key(a, "youzan", "", 0), key(b, "alsc", "", 0), key(b, "youzan", "", 3))
	record(t, st, hints, a, "alsc", got[0], platforms.OK)
	record(t, st, hints, a, "youzan", got[1], platforms.Failed)
	record(t, st, hints, b, "alsc", got[2], platforms.Unknown)
	// b/youzan is recorded under a wrong exchange: the general path decides.
	record(t, st, hints, b, "youzan", Started{Attempt: got[3].Attempt, Exchange: got[3].Exchange + 100}, platforms.OK)
	// Refusals: still in flight (claimed again below), outcome moved on,
	// dropped, no such platform.
	again := claimAll(t, st, key(a, "youzan", platforms.Failed, 1), key(a, "alsc", "", 1), key(b, "nxlink", "", 0))
	if _, err := st.write.ExecContext(ctx, `UPDATE states SET dropped = 1 WHERE submission_id = ? AND platform = 'alsc'`, b); err != nil {
		t.Fatal(err)
	}
	refused := claimAll(t, st, key(a, "youzan", platforms.Failed, 2), key(b, "alsc", platforms.Unknown, 1))
	record(t, st, hints, a, "youzan", again[0], platforms.OK)
	out := []string{fmt.Sprintf("claims %v %v %v %v", held, got, again, refused)}
	return append(out, dumpRows(t, st)...)
}

func claimAll(t *testing.T, st *Store, keys ...AttemptKey) []Started {
	t.Helper()
	started, err := st.StartAttempts(context.Background(), keys)
	if err != nil {
		t.Fatal(err)
	}
	for i := range started {
		if started[i].Err != nil {
			started[i] = Started{Err: errorKind(started[i].Err)}
		}
	}
	return started
}

func errorKind(err error) error {
	for _, kind := range []error{ErrInFlight, ErrChanged, ErrNotFound} {
		if errors.Is(err, kind) {
			return kind
		}
	}
	return err
}

func record(t *testing.T, st *Store, hints bool, subID int64, platform string, claim Started, o platforms.Outcome) {
	t.Helper()
	ex := okExchange(platform, fmt.Sprintf("c%d-%s", subID, platform))
	ex.Started, ex.Result.Outcome = time.Unix(1_700_000_000, 0), o
	rec := Recording{SubmissionID: subID, Exchange: ex, SearchLater: true}
	if hints {
		rec.Claimed = claim.Exchange
	}
	if _, err := st.RecordMany(context.Background(), []Recording{rec}); err != nil {
		t.Fatal(err)
	}
}

// dumpRows is every state and exchange, without what differs between two
// histories by nature (the owner's ID, the clock at a claim).
func dumpRows(t *testing.T, st *Store) []string {
	t.Helper()
	rows, err := st.write.Query(`SELECT 'state', submission_id, platform, outcome, result, attempts, status, exchange_id, queued,
		next_retry, in_flight, owner = ?, dropped FROM states
		UNION ALL SELECT 'exchange', id, platform, attempt, in_flight, outcome, meta, coalesce(request_body, ''), coalesce(response, ''),
		submission_id, '', '', '' FROM exchanges ORDER BY 1, 2, 3`, st.owner.id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		vals := make([]any, 13)
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%v", vals))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
