package alsc_test

import (
	"strconv"
	"testing"

	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/alsc"
	"github.com/custdesk/custdesk/platforms/internal/platformtest"
)

// BenchmarkSend is one import send: build, sign, the loopback round trip to
// the in-process sandbox and the parse of its answer. Its allocations include
// the sandbox's own, which the client's changes leave alone.
func BenchmarkSend(b *testing.B) {
	srv := platformtest.StartSandbox(b)
	c, err := alsc.New(demoConfig(srv))
	if err != nil {
		b.Fatal(err)
	}
	cu := wang()
	platformtest.BenchSend(b, c, func(i int) platforms.Submission { return platforms.Single("bench-"+strconv.Itoa(i), cu) })
}

// BenchmarkBuild is the request alone, without the network.
func BenchmarkBuild(b *testing.B) {
	c, err := alsc.New(alsc.Config{Gateway: "http://127.0.0.1:1/router/rest", AppKey: "12345678",
		AppSecret: "secret-secret", Session: "session-token", ShopID: "S1"})
	if err != nil {
		b.Fatal(err)
	}
	sub := platforms.Single("bench-1", wang())
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := c.Build(sub); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse is the reading of a success answer.
func BenchmarkParse(b *testing.B) {
	body := []byte(`{"alibaba_alsc_crm_customer_create_response":{"result":{"result":"9007199254740993",` +
		`"result_code":"0","result_desc":"处理成功","biz_success":true},"request_id":"abc"}}`)
	b.ReportAllocs()
	for b.Loop() {
		if r := alsc.Parse(body); r.Outcome != platforms.OK {
			b.Fatalf("%+v", r)
		}
	}
}
