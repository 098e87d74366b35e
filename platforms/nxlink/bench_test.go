package nxlink_test

import (
	"testing"

	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/internal/platformtest"
	"github.com/custdesk/custdesk/platforms/nxlink"
)

// BenchmarkSend is one send of one customer: build, sign, the loopback round
// trip to the in-process sandbox and the parse of its answer. Its allocations
// include the sandbox's own, which the client's changes leave alone.
func BenchmarkSend(b *testing.B) {
	srv := platformtest.StartSandbox(b)
	c, err := nxlink.New(demoConfig(srv))
	if err != nil {
		b.Fatal(err)
	}
	sub := platforms.Submission{RequestID: "bench", Customers: []platforms.Customer{wang()}}
	platformtest.BenchSend(b, c, func(int) platforms.Submission { return sub })
}

// BenchmarkBuild is the request alone, without the network.
func BenchmarkBuild(b *testing.B) {
	cfg := nxlink.DefaultConfig()
	cfg.BaseURL, cfg.AccessKey, cfg.AccessSecret, cfg.TenantID, cfg.AppKey = "http://127.0.0.1:1", "ak", "secret", 1, "app"
	c, err := nxlink.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	sub := platforms.Submission{RequestID: "bench", Customers: []platforms.Customer{wang()}}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := c.Build(sub); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse is the reading of a one-customer success answer.
func BenchmarkParse(b *testing.B) {
	body := []byte(`{"code":0,"message":null,"traceId":"7c1e","data":{"totalCount":1,"successCount":1,"failCount":0,` +
		`"failItems":[],"successItems":[{"index":0,"customerId":9007199254740993,"whatsAppPhone":""}]}}`)
	b.ReportAllocs()
	for b.Loop() {
		if r := nxlink.Parse(body); r.Outcome != platforms.OK {
			b.Fatalf("%+v", r)
		}
	}
}
