package central

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// Replication throughput: local histories written beforehand (each
// submission with three platform states and one answered exchange of about
// 1 KiB), then shipped to PostgreSQL, by one terminal and by 20 at once.
// The metric is submissions/s from the first batch to the last commit.
func BenchmarkReplication(b *testing.B) {
	for _, c := range []struct{ terminals, each int }{{1, 1000}, {20, 100}} {
		b.Run(fmt.Sprintf("terminals=%d", c.terminals), func(b *testing.B) {
			ctx := context.Background()
			for b.Loop() {
				b.StopTimer()
				pool, _ := newCentralB(b)
				reps := make([]*Replicator, c.terminals)
				for t := range c.terminals {
					reps[t] = seedLocal(b, fmt.Sprintf("store-%03d/pos-1", t), c.each, pool)
				}
				b.StartTimer()
				start := time.Now()
				var wg sync.WaitGroup
				for _, r := range reps {
					wg.Go(func() {
						if err := r.Drain(ctx); err != nil {
							b.Error(err)
						}
					})
				}
				wg.Wait()
				b.ReportMetric(float64(c.terminals*c.each)/time.Since(start).Seconds(), "submissions/s")
				pool.Close()
			}
		})
	}
}

func seedLocal(b *testing.B, terminal string, n int, pool *pgxpool.Pool) *Replicator {
	b.Helper()
	ctx := context.Background()
	dir := b.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	l, err := OpenLocal(ctx, dir, terminal)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	body := []byte(`{"alibaba_alsc_crm_customer_create_response":{"result":{"success":true,"customer_id":"1796"},"pad":"` + strings.Repeat("x", 900) + `"}}`)
	subs := make([]*store.Submission, n)
	for i := range subs {
		subs[i] = &store.Submission{Customer: platforms.Customer{Name: "王小二", Mobile: fmt.Sprintf("135%08d", i)},
			Platforms: []string{"p1", "p2", "p3"}, Source: store.SourceImport, AllowDuplicate: true}
	}
	if err := st.BeginMany(ctx, subs); err != nil {
		b.Fatal(err)
	}
	for _, sub := range subs {
		if _, err := st.StartAttempt(ctx, sub.ID, "p1"); err != nil {
			b.Fatal(err)
		}
		ex := platforms.Exchange{Platform: "p1", RequestID: sub.RequestID, Started: time.Now(), Status: 200, Response: body,
			Result: platforms.Result{Outcome: platforms.OK, CustomerIDs: []string{fmt.Sprint(sub.ID)}}}
		if _, err := st.Record(ctx, sub.ID, ex); err != nil {
			b.Fatal(err)
		}
	}
	return NewReplicator(l, pool)
}
