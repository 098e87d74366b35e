package store

import (
	"context"
	"testing"
	"time"
)

// pollEvery is the dispatcher's default poll interval, to turn the cost of
// one poll into the idle console's CPU per second.
const pollEvery = 2 * time.Second

// BenchmarkPoll: one idle poll of the retry loop on the full history (the
// sweep for crashed processes, the claim of what is due, when the next one
// is due), with a few sends queued for later as at a till that was offline.
func BenchmarkPoll(b *testing.B) {
	dir := benchHistory(b)
	ctx := context.Background()
	st, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	// The same oldest sends every run, so the history stays as seeded
	// otherwise.
	old, err := st.querySubmissions(ctx, `SELECT `+submissionColumns+` FROM submissions ORDER BY id LIMIT 20`)
	if err != nil || len(old) == 0 {
		b.Fatalf("oldest: %d, %v", len(old), err)
	}
	later := time.Now().Add(24 * time.Hour)
	for _, sub := range old {
		if err := st.Queue(ctx, sub.ID, sub.Platforms[0], later); err != nil {
			b.Fatal(err)
		}
	}
	names := []string{"alsc", "youzan", "nxlink"}
	for b.Loop() {
		if _, err := st.Recover(ctx); err != nil {
			b.Fatal(err)
		}
		claims, err := st.ClaimDue(ctx, time.Now(), 4, names...)
		if err != nil || len(claims) != 0 {
			b.Fatalf("claimed %d, %v", len(claims), err)
		}
		if _, ok, err := st.NextDue(ctx, names...); err != nil || !ok {
			b.Fatalf("next due: %v, %v", ok, err)
		}
	}
	perPoll := float64(b.Elapsed().Microseconds()) / 1000 / float64(b.N)
	b.ReportMetric(perPoll, "ms/poll")
	b.ReportMetric(perPoll/pollEvery.Seconds(), "idle-ms/s")
}
