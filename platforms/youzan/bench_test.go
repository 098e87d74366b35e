package youzan_test

import (
	"testing"

	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/internal/platformtest"
	"github.com/custdesk/custdesk/platforms/youzan"
)

// BenchmarkSend is one import send: build, the loopback round trip to the
// in-process sandbox and the parse of its answer. Its allocations include the
// sandbox's own, which the client's changes leave alone.
func BenchmarkSend(b *testing.B) {
	srv := platformtest.StartSandbox(b)
	c, err := youzan.New(demoConfig(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	sub := platforms.Single("bench", wang())
	platformtest.BenchSend(b, c, func(int) platforms.Submission { return sub })
}

// BenchmarkBuild is the request alone, without the network.
func BenchmarkBuild(b *testing.B) {
	c, err := youzan.New(demoConfig("http://127.0.0.1:1"))
	if err != nil {
		b.Fatal(err)
	}
	sub := platforms.Single("bench", wang())
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := c.Build(sub); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse is the reading of a success answer as the sandbox writes it.
func BenchmarkParse(b *testing.B) {
	body := []byte(`{"success":true,"code":200,"message":"success","requestId":"3f2a9c","data":{"outOpenId":"9007199254740993"}}`)
	b.ReportAllocs()
	for b.Loop() {
		if r := youzan.Parse(body); r.Outcome != platforms.OK {
			b.Fatalf("%+v", r)
		}
	}
}
