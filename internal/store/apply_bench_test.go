package store

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// BenchmarkApplyImport is the import's writer alone, without senders or a
// sandbox competing for the cores: an empty history, and group commits as
// the importer's journal makes them. Each commit writes ahead a group of
// rows to three platforms, claims the group written ahead by the commit
// before, records the answers to the claims of the commit before that, and
// indexes the rows answered, 512 at a time as the journal does. One op is one row; writer-µs/send is
// the wall time of the commits, cpu-µs/send the process's CPU during them
// (the figure to read on a busy machine). Answers are encoded outside them,
// as the importer's senders do.
func BenchmarkApplyImport(b *testing.B) {
	const group = 32
	ctx := context.Background()
	st, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	r := rand.New(rand.NewPCG(1, 2))
	var begun, claimed []*Submission
	var claims []Started
	var answered []SearchAdd
	b.ResetTimer()
	var wall, cpu time.Duration
	for done := 0; done < b.N+2*group; done += group {
		var batch Batch
		batch.SearchLater = true
		if len(answered) >= 512 {
			// as the importer's journal gathers them (its searchQueue)
			batch.Search, answered = answered, nil
		}
		for i, sub := range claimed {
			for j, p := range sub.Platforms {
				cid := strconv.FormatInt(1214631327620775936+sub.ID*3+int64(j), 10)
				ex := benchExchange(r, p, sub.RequestID, sub.Customer, sub.ID)
				ex.Result = platforms.Result{Outcome: platforms.OK, CustomerIDs: []string{cid}}
				rec, err := st.Encode(Recording{SubmissionID: sub.ID, Exchange: ex, SearchLater: true, Claimed: claims[3*i+j].Exchange})
				if err != nil {
					b.Fatal(err)
				}
				batch.Records = append(batch.Records, rec)
			}
			answered = append(answered, SearchAdd{SubmissionID: sub.ID, IDs: []string{"x" + strconv.FormatInt(sub.ID, 10)}})
		}
		for _, sub := range begun {
			for _, p := range sub.Platforms {
				batch.Claims = append(batch.Claims, AttemptKey{SubmissionID: sub.ID, Platform: p, Known: true})
			}
		}
		next := make([]*Submission, 0, group)
		for i := done; i < done+group && i < b.N; i++ {
			next = append(next, &Submission{Customer: benchCustomer(r, i), Platforms: allNames, Source: SourceImport, ImportFile: "f", ImportRow: i})
		}
		batch.Begin = next
		start, cpu0 := time.Now(), processCPU()
		_, started, err := st.Apply(ctx, batch)
		wall, cpu = wall+time.Since(start), cpu+processCPU()-cpu0
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range started {
			if s.Err != nil {
				b.Fatal(s.Err)
			}
		}
		claimed, claims, begun = begun, started, next
	}
	start, cpu0 := time.Now(), processCPU()
	if _, _, err := st.Apply(ctx, Batch{Search: answered}); err != nil {
		b.Fatal(err)
	}
	wall, cpu = wall+time.Since(start), cpu+processCPU()-cpu0
	b.ReportMetric(float64(wall.Microseconds())/float64(3*b.N), "writer-µs/send")
	b.ReportMetric(float64(cpu.Microseconds())/float64(3*b.N), "cpu-µs/send")
}
