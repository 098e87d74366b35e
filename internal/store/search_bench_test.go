package store

import (
	"context"
	"testing"
)

// BenchmarkSearchCapped: the count the history pane shows once the first
// page is up, capped as the pane shows it ("1,000+").
func BenchmarkSearchCapped(b *testing.B) {
	dir := benchHistory(b)
	ctx := context.Background()
	st, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	for _, c := range searchCases(b, st) {
		b.Run(c.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				if n, err = st.CountUpTo(ctx, c.q, 1000); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "matches")
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "capped-ms")
		})
	}
}
