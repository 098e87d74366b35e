package platformtest

import (
	"context"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

// Sender is a platform client's send.
type Sender interface {
	Send(context.Context, platforms.Submission) platforms.Exchange
}

// BenchSend is one import send per op through c: build, sign, the loopback
// round trip to the in-process sandbox and the parse of its answer; sub
// gives the op's submission. Its allocations include the sandbox's own.
func BenchSend(b *testing.B, c Sender, sub func(i int) platforms.Submission) {
	b.Helper()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ex := c.Send(context.Background(), sub(i))
		if ex.Result.Outcome != platforms.OK {
			b.Fatalf("result %+v, response %s", ex.Result, ex.Response)
		}
	}
}
