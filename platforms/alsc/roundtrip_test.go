package alsc_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/alsc"
	"github.com/custdesk/custdesk/platforms/internal/platformtest"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

// The real client against the real sandbox over loopback.

func demoConfig(srv *sandbox.Running) alsc.Config {
	return alsc.Config{Gateway: srv.URL + sandbox.PathALSC, AppKey: sandbox.DemoALSCAppKey,
		AppSecret: sandbox.DemoALSCAppSecret, ShopID: sandbox.DemoALSCShopID, Timeout: 5 * time.Second}
}

func client(t *testing.T, cfg alsc.Config) *alsc.Client {
	t.Helper()
	c, err := alsc.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func wang() platforms.Customer {
	return platforms.Customer{Name: "王小二", Mobile: "13411111111", Gender: "male", Birthday: "2010-01-01",
		Email: "xxx@gmail.com", Phone: "0571-87658765", Province: "浙江省", City: "杭州市", Address: "文三路 100 号",
		Tags: []string{"爱吃辣"}, Remark: "老板的朋友", Level: "1", Invoice: "口碑(杭州)电子商务有限公司"}
}

var ids sync.Map

func requestID(t *testing.T) string {
	n, _ := ids.LoadOrStore(t.Name(), new(int))
	p := n.(*int)
	*p++
	return fmt.Sprintf("%s-%d-%d", strings.ReplaceAll(t.Name(), "/", "-"), *p, time.Now().UnixNano())
}

func send(t *testing.T, c *alsc.Client, sub platforms.Submission) platforms.Exchange {
	t.Helper()
	ex := c.Send(context.Background(), sub)
	platformtest.NoSecret(t, ex, sandbox.DemoALSCAppSecret)
	return ex
}

func TestRoundTripOKEachSignMethod(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	for i, method := range alsc.SignMethods {
		t.Run(method, func(t *testing.T) {
			cfg := demoConfig(srv)
			cfg.SignMethod = method
			ex := send(t, client(t, cfg), platforms.Single(requestID(t), wang()))
			platformtest.Expect(t, ex, platforms.OK, "0", "处理成功")
			if len(ex.Result.CustomerIDs) != 1 || !platforms.IsDigits(ex.Result.CustomerIDs[0]) {
				t.Errorf("IDs = %q, want one decimal ID", ex.Result.CustomerIDs)
			}
			if ex.Status != 200 || ex.Platform != "alsc" || ex.Duration <= 0 {
				t.Errorf("exchange = status %d platform %q duration %s", ex.Status, ex.Platform, ex.Duration)
			}
			if got := srv.Created(sandbox.PathALSC); got != int64(i+1) {
				t.Errorf("sandbox created %d, want %d", got, i+1)
			}
		})
	}
}

func TestRoundTripReplayReturnsTheFirstAnswer(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	c := client(t, demoConfig(srv))
	rid := requestID(t)
	first := send(t, c, platforms.Single(rid, wang()))
	platformtest.Expect(t, first, platforms.OK, "0", "")
	changed := wang()
	changed.Name = "王小三"
	again := send(t, c, platforms.Submission{RequestID: rid, Customers: []platforms.Customer{changed}, Time: time.Now().Add(time.Minute)})
	platformtest.Expect(t, again, platforms.OK, "0", "")
	if !bytes.Equal(first.Response, again.Response) {
		t.Errorf("replay answer differs:\nfirst %s\nagain %s", first.Response, again.Response)
	}
	if len(first.Result.CustomerIDs) != 1 || fmt.Sprint(first.Result.CustomerIDs) != fmt.Sprint(again.Result.CustomerIDs) {
		t.Errorf("IDs %v then %v, want the same one", first.Result.CustomerIDs, again.Result.CustomerIDs)
	}
	if got := srv.Created(sandbox.PathALSC); got != 1 {
		t.Errorf("created %d, want 1", got)
	}
	other := send(t, c, platforms.Single(requestID(t), wang()))
	platformtest.Expect(t, other, platforms.OK, "0", "")
	if fmt.Sprint(other.Result.CustomerIDs) == fmt.Sprint(first.Result.CustomerIDs) {
		t.Errorf("a new request_id got the old ID %v", other.Result.CustomerIDs)
	}
}

func TestRoundTripConcurrentReplaysCreateOnce(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	c := client(t, demoConfig(srv))
	sub := platforms.Single(requestID(t), wang())
	var wg sync.WaitGroup
	results := make([]platforms.Exchange, 8)
	for i := range results {
		wg.Go(func() { results[i] = c.Send(context.Background(), sub) })
	}
	wg.Wait()
	for _, ex := range results {
		if ex.Result.Outcome != platforms.OK || !bytes.Equal(ex.Response, results[0].Response) {
			t.Errorf("concurrent replay answered %+v: %s", ex.Result, ex.Response)
		}
	}
	if got := srv.Created(sandbox.PathALSC); got != 1 {
		t.Errorf("created %d, want 1", got)
	}
}

func TestRoundTripRefusals(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	tests := []struct {
		name    string
		mod     func(*alsc.Config)
		cu      func(*platforms.Customer)
		at      time.Duration // signing time relative to now
		code    string
		subCode string
		msg     string
	}{
		{name: "wrong secret", mod: func(c *alsc.Config) { c.AppSecret = "not-the-secret" }, code: "25", msg: "Invalid signature"},
		{name: "wrong secret, md5", mod: func(c *alsc.Config) { c.AppSecret = "x"; c.SignMethod = alsc.SignMD5 }, code: "25", msg: "Invalid signature"},
		{name: "unknown app key", mod: func(c *alsc.Config) { c.AppKey = "nobody" }, code: "29", subCode: "isv.appkey-not-exists", msg: "Invalid app Key"},
		{name: "stale timestamp", at: -11 * time.Minute, code: "31", msg: "10 分钟"},
		{name: "timestamp from the future", at: 11 * time.Minute, code: "31", msg: "Invalid Timestamp"},
		{name: "missing outer_id (no mobile)", cu: func(c *platforms.Customer) { c.Mobile = "" },
			code: "50", subCode: "isv.missing-parameter", msg: "outer_id"},
		{name: "mobile not a mobile", cu: func(c *platforms.Customer) { c.Mobile = "12345" },
			code: "50", subCode: "isv.invalid-parameter", msg: "outer_id"},
		{name: "birthday not a date", cu: func(c *platforms.Customer) { c.Birthday = "2010-02-30" },
			code: "50", subCode: "isv.invalid-parameter", msg: "birthday"},
		{name: "email not an address", cu: func(c *platforms.Customer) { c.Email = "xxx@" },
			code: "50", subCode: "isv.invalid-parameter", msg: "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := demoConfig(srv)
			if tt.mod != nil {
				tt.mod(&cfg)
			}
			cu := wang()
			if tt.cu != nil {
				tt.cu(&cu)
			}
			before := srv.Created(sandbox.PathALSC)
			ex := send(t, client(t, cfg), platforms.Submission{RequestID: requestID(t), Customers: []platforms.Customer{cu}, Time: time.Now().Add(tt.at)})
			platformtest.Expect(t, ex, platforms.Rejected, tt.code, tt.msg)
			if ex.Result.SubCode != tt.subCode || ex.Result.Retryable {
				t.Errorf("sub-code %q retryable %v, want %q and not retryable", ex.Result.SubCode, ex.Result.Retryable, tt.subCode)
			}
			if srv.Created(sandbox.PathALSC) != before {
				t.Error("a refused request created a customer")
			}
		})
	}
}

// A refusal is not remembered under its request_id: the corrected customer,
// sent again with the same request_id, is created.
func TestRoundTripCorrectedRetryAfterRefusal(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	c := client(t, demoConfig(srv))
	rid := requestID(t)
	bad := wang()
	bad.Mobile = ""
	platformtest.Expect(t, send(t, c, platforms.Single(rid, bad)), platforms.Rejected, "50", "outer_id")
	platformtest.Expect(t, send(t, c, platforms.Single(rid, wang())), platforms.OK, "0", "")
}

func TestRoundTripFaults(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	c := client(t, demoConfig(srv))
	tests := []struct {
		kind      string
		outcome   platforms.Outcome
		codes     []string
		msg       string
		retryable bool
	}{
		{sandbox.FaultError, platforms.Failed, []string{"7", "15"}, "", true},
		{sandbox.Fault5xx, platforms.Failed, []string{"HTTP 503"}, "503 Service Temporarily Unavailable", true},
		{sandbox.FaultMalformed, platforms.Failed, []string{"BAD_BODY"}, "truncated JSON", false},
		{sandbox.FaultDrop, platforms.Unknown, []string{"CONN_LOST"}, "may have applied", true},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			srv.SetFaults(sandbox.Faults{Rate: 1, Kinds: []string{tt.kind}})
			t.Cleanup(func() { srv.SetFaults(sandbox.Faults{}) })
			before := srv.Created(sandbox.PathALSC)
			// Several sends so the error fault shows both of its codes' handling.
			for range 6 {
				ex := send(t, c, platforms.Single(requestID(t), wang()))
				r := ex.Result
				if r.Outcome != tt.outcome || !containsString(tt.codes, r.Code) || !strings.Contains(r.Message, tt.msg) || r.Message == "" || r.Retryable != tt.retryable {
					t.Errorf("result = %+v\nwant %s, code in %v, retryable %v, message with %q\nresponse %s, error %q",
						r, tt.outcome, tt.codes, tt.retryable, tt.msg, ex.Response, ex.Error)
				}
				if tt.kind == sandbox.FaultMalformed && !strings.HasPrefix(string(ex.Response), `{"alibaba_alsc_crm_customer_create_response":`) {
					t.Errorf("the cut answer is not ALSC's: %s", ex.Response)
				}
				switch r.Code {
				case "7":
					if !r.RateLimited || r.SubCode != "accesscontrol.limited-by-app-access-count" || r.RetryAfter != time.Second {
						t.Errorf("app call limit = %+v, want rate limited with a 1 s pause", r)
					}
				case "15":
					if r.RateLimited || r.SubCode != "isp.remote-service-timeout" {
						t.Errorf("remote timeout = %+v, want an isp fault, not a rate limit", r)
					}
				}
			}
			if srv.Created(sandbox.PathALSC) != before {
				t.Error("a faulted request created a customer")
			}
		})
	}
}

func TestRoundTripLatencyBeyondTimeoutIsUnknown(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	srv.SetFaults(sandbox.Faults{Latency: 2 * time.Second})
	cfg := demoConfig(srv)
	cfg.Timeout = 150 * time.Millisecond
	start := time.Now()
	ex := send(t, client(t, cfg), platforms.Single(requestID(t), wang()))
	platformtest.Expect(t, ex, platforms.Unknown, "TIMEOUT", "150ms")
	if !ex.Result.Retryable {
		t.Errorf("a timeout should be retryable under the same request_id: %+v", ex.Result)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("send took %s, the timeout is 150ms", d)
	}
}

func TestRoundTripConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	c := client(t, alsc.Config{Gateway: "http://" + addr + sandbox.PathALSC, AppKey: "k", AppSecret: "s"})
	platformtest.Expect(t, send(t, c, platforms.Single(requestID(t), wang())), platforms.Failed, "CONN_REFUSED", addr)
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
