package nxlink_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/internal/platformtest"
	"github.com/custdesk/custdesk/platforms/nxlink"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

// These tests run the real client against the real sandbox over loopback.

func demoConfig(srv *sandbox.Running) nxlink.Config {
	cfg := nxlink.DefaultConfig()
	cfg.BaseURL = srv.URL
	cfg.AccessKey = sandbox.DemoNXLinkAccessKey
	cfg.AccessSecret = sandbox.DemoNXLinkSecret
	cfg.TenantID = sandbox.DemoNXLinkTenantID
	cfg.AppKey = sandbox.DemoNXLinkAppKey
	cfg.Timeout = 5 * time.Second
	return cfg
}

func client(t *testing.T, cfg nxlink.Config) *nxlink.Client {
	t.Helper()
	c, err := nxlink.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func wang() platforms.Customer {
	return platforms.Customer{Name: "王小二", Mobile: "13411111111"}
}

func send(t *testing.T, c *nxlink.Client, cs ...platforms.Customer) platforms.Exchange {
	t.Helper()
	return c.Send(context.Background(), platforms.Submission{RequestID: "req-1", Customers: cs})
}

func isID(s string) bool {
	n, err := strconv.ParseUint(s, 10, 64)
	return err == nil && n > 1<<53
}

func TestRoundTripOK(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	c := client(t, demoConfig(srv))
	ex := send(t, c, wang())
	r := ex.Result
	if r.Outcome != platforms.OK || len(r.CustomerIDs) != 1 || !isID(r.CustomerIDs[0]) {
		t.Fatalf("result = %+v, response %s", r, ex.Response)
	}
	if len(r.Items) != 1 || r.Items[0].CustomerID != r.CustomerIDs[0] || ex.Status != 200 {
		t.Errorf("items = %+v, status %d", r.Items, ex.Status)
	}
	// The ID in the raw answer is the same text: no float64 on the way.
	if !bytes.Contains(ex.Response, []byte(`"customerId":`+r.CustomerIDs[0])) {
		t.Errorf("ID %s not found verbatim in %s", r.CustomerIDs[0], ex.Response)
	}
	if srv.Created(sandbox.PathNXLink) != 1 {
		t.Errorf("created = %d", srv.Created(sandbox.PathNXLink))
	}
	platformtest.NoSecret(t, ex, sandbox.DemoNXLinkSecret)
}

func TestRoundTripTwoCustomers(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	c := client(t, demoConfig(srv))
	li := platforms.Customer{Name: "li si", Mobile: "+852-12344567", WhatsApp: "85212344567", Email: "li@example.com",
		Gender: "female", Level: "3", Tags: []string{"88", "99"}, Agent: sandbox.DemoNXLinkSeatUser}
	r := send(t, c, wang(), li).Result
	if r.Outcome != platforms.OK || len(r.CustomerIDs) != 2 || r.CustomerIDs[0] == r.CustomerIDs[1] {
		t.Fatalf("result = %+v", r)
	}
	for i, it := range r.Items {
		if it.Index != i || it.Outcome != platforms.OK || it.CustomerID != r.CustomerIDs[i] {
			t.Errorf("item %d = %+v", i, it)
		}
	}
	if srv.Created(sandbox.PathNXLink) != 2 {
		t.Errorf("created = %d", srv.Created(sandbox.PathNXLink))
	}
}

func TestRoundTripWrongSecret(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	cfg := demoConfig(srv)
	cfg.AccessSecret = "not-the-secret"
	r := send(t, client(t, cfg), wang()).Result
	if r.Outcome != platforms.Rejected || r.Code != "1003" || r.Message != "签名错误" || r.Retryable {
		t.Errorf("result = %+v", r)
	}
	if srv.Created(sandbox.PathNXLink) != 0 {
		t.Error("a refused request created a customer")
	}
}

func TestRoundTripUnknownAccessKey(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	cfg := demoConfig(srv)
	cfg.AccessKey = "someone-else"
	r := send(t, client(t, cfg), wang()).Result
	if r.Outcome != platforms.Rejected || r.Code != "1005" {
		t.Errorf("result = %+v", r)
	}
}

func TestRoundTripStaleTimestamp(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	c := client(t, demoConfig(srv))
	for _, shift := range []time.Duration{-2 * time.Minute, 2 * time.Minute} {
		ex := c.Send(context.Background(), platforms.Submission{Customers: []platforms.Customer{wang()}, Time: time.Now().Add(shift)})
		if r := ex.Result; r.Outcome != platforms.Rejected || r.Code != "1004" || !strings.Contains(r.Message, "60秒") {
			t.Errorf("shift %s: result = %+v", shift, r)
		}
	}
	// Inside the ±60 s window is fine.
	ex := c.Send(context.Background(), platforms.Submission{Customers: []platforms.Customer{wang()}, Time: time.Now().Add(-30 * time.Second)})
	if ex.Result.Outcome != platforms.OK {
		t.Errorf("30 s old: %+v", ex.Result)
	}
}

// Build does not validate, so a customer the client's Validate would stop
// reaches the sandbox, which refuses it item by item as NXLink does.
func TestRoundTripMissingRequiredField(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	c := client(t, demoConfig(srv))
	noName := platforms.Customer{Mobile: "13411111111"}
	if len(c.Validate(noName)) == 0 {
		t.Fatal("Validate should refuse a customer without a name")
	}
	r := send(t, c, noName).Result
	if r.Outcome != platforms.Rejected || r.Code != "1002" || !strings.Contains(r.Message, "full_name 不能为空") {
		t.Errorf("no name: %+v", r)
	}
	if len(r.Items) != 1 || r.Items[0].Outcome != platforms.Rejected {
		t.Errorf("items = %+v", r.Items)
	}

	noContact := platforms.Customer{Name: "x", Country: "China"}
	r = send(t, c, noContact).Result
	if r.Outcome != platforms.Rejected || !strings.Contains(r.Message, "不能同时为空") {
		t.Errorf("no contact: %+v", r)
	}
	r = send(t, c, platforms.Customer{Name: "x", WhatsApp: "+86 134"}).Result
	if r.Outcome != platforms.Rejected || !strings.Contains(r.Message, "whats_app_phone 必须是纯数字") {
		t.Errorf("non-digit phone: %+v", r)
	}
	r = send(t, c, platforms.Customer{Name: "x", Zalo: "1", Level: "9"}).Result
	if r.Outcome != platforms.Rejected || !strings.Contains(r.Message, "weight") {
		t.Errorf("weight 9: %+v", r)
	}
	if srv.Created(sandbox.PathNXLink) != 0 {
		t.Error("a refused customer was created")
	}
}

func TestRoundTripFaults(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	c := client(t, demoConfig(srv))
	cases := []struct {
		kind      string
		outcome   platforms.Outcome
		code      string
		retryable bool
		message   string
	}{
		{sandbox.FaultError, platforms.Failed, "500", true, "系统繁忙"},
		{sandbox.Fault5xx, platforms.Failed, "HTTP 503", true, `HTTP 503, text/html; charset=utf-8: HTML page "503 Service Temporarily Unavailable"`},
		{sandbox.FaultMalformed, platforms.Failed, "BAD_BODY", false, "truncated JSON"},
		{sandbox.FaultDrop, platforms.Unknown, "CONN_LOST", true, "may have applied"},
	}
	for _, fc := range cases {
		t.Run(fc.kind, func(t *testing.T) {
			srv.SetFaults(sandbox.Faults{Rate: 1, Kinds: []string{fc.kind}})
			ex := send(t, c, wang())
			r := ex.Result
			if r.Outcome != fc.outcome || r.Code != fc.code || r.Retryable != fc.retryable || !strings.Contains(r.Message, fc.message) {
				t.Errorf("result = %+v", r)
			}
			if fc.kind == sandbox.FaultMalformed && !strings.HasPrefix(string(ex.Response), `{"code":0,"message":null,"traceId":`) {
				t.Errorf("the cut answer is not NXLink's: %s", ex.Response)
			}
		})
	}
	srv.SetFaults(sandbox.Faults{})
	if r := send(t, c, wang()).Result; r.Outcome != platforms.OK {
		t.Errorf("after faults: %+v", r)
	}
}

func TestRoundTripLatencyBeyondTimeout(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	cfg := demoConfig(srv)
	cfg.Timeout = 150 * time.Millisecond
	srv.SetFaults(sandbox.Faults{Latency: 2 * time.Second})
	r := send(t, client(t, cfg), wang()).Result
	if r.Outcome != platforms.Unknown || r.Code != "TIMEOUT" || !r.Retryable || !strings.Contains(r.Message, "150ms") {
		t.Errorf("result = %+v", r)
	}
}

func TestRoundTripUnknownSeatUser(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	known := platforms.Customer{Name: "zhang san", Mobile: "18163725558", Agent: sandbox.DemoNXLinkSeatUser}
	unknown := platforms.Customer{Name: "li si", Mobile: "18135539411", Agent: "agent1"}

	cfg := demoConfig(srv)
	cfg.StrictBinding = true
	r := send(t, client(t, cfg), known, unknown).Result
	if r.Outcome != platforms.Partial || len(r.CustomerIDs) != 1 || r.Code != "12148" {
		t.Fatalf("strict: %+v", r)
	}
	if it := r.Items[1]; it.Outcome != platforms.Rejected || it.Code != "12148" || it.Message != "归属坐席 agent1 不存在,请前往 管理->成员 确认" {
		t.Errorf("strict item = %+v", it)
	}
	if srv.Created(sandbox.PathNXLink) != 1 {
		t.Errorf("created = %d", srv.Created(sandbox.PathNXLink))
	}

	cfg.StrictBinding = false
	other := platforms.Customer{Name: "wang wu", Mobile: "18100000000"}
	ex := send(t, client(t, cfg), other, unknown)
	if r := ex.Result; r.Outcome != platforms.Rejected || r.Code != "12148" || r.Message != "归属坐席 agent1 不存在,请前往 管理->成员 确认" || len(r.Items) != 0 {
		t.Errorf("not strict: %+v", r)
	}
	if !bytes.Contains(ex.Response, []byte(`"data":null`)) {
		t.Errorf("not strict answer should have null data: %s", ex.Response)
	}
	if srv.Created(sandbox.PathNXLink) != 1 {
		t.Errorf("a whole-call failure created customers: %d", srv.Created(sandbox.PathNXLink))
	}
}

func TestRoundTripBatchOf101(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	cfg := demoConfig(srv)
	c := client(t, cfg)
	cs := make([]platforms.Customer, 101)
	for i := range cs {
		cs[i] = platforms.Customer{Name: "c" + strconv.Itoa(i), Zalo: strconv.Itoa(1000 + i)}
	}
	ex := send(t, c, cs...)
	if r := ex.Result; r.Outcome != platforms.Rejected || r.Code != "BUILD" || !strings.Contains(r.Message, "at most 100") {
		t.Errorf("client: %+v", r)
	}
	if srv.Requests(sandbox.PathNXLink) != 0 {
		t.Error("a batch Build refused was sent anyway")
	}

	// The sandbox refuses a 101-customer request that bypasses the client.
	wire := make([]nxlink.WireCustomer, 101)
	for i := range wire {
		wire[i] = nxlink.WireCustomer{FullName: "c", Zalo: strconv.Itoa(1000 + i)}
	}
	body, err := json.Marshal(nxlink.Body{Type: 1, TenantID: cfg.TenantID, AppKey: cfg.AppKey, Customers: wire})
	if err != nil {
		t.Fatal(err)
	}
	headers := map[string]string{
		"accessKey": cfg.AccessKey, "ts": strconv.FormatInt(time.Now().UnixMilli(), 10), "bizType": "2", "action": "mt",
	}
	sign, _ := nxlink.Sign(headers, body, cfg.AccessSecret, "md5")
	req, err := http.NewRequest(http.MethodPost, c.Endpoint(), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("sign", sign)
	req.Header.Set("Content-Type", "application/json")
	r := platforms.Caller{Timeout: 5 * time.Second}.Do(context.Background(), "nxlink", platforms.Submission{}, req, platforms.Trace{}, nxlink.Parse).Result
	if r.Outcome != platforms.Rejected || r.Code != "1002" || !strings.Contains(r.Message, "单次限制100") {
		t.Errorf("sandbox: %+v", r)
	}
	if srv.Created(sandbox.PathNXLink) != 0 {
		t.Error("an oversized batch created customers")
	}
}

func TestRoundTripSHA256(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	cfg := demoConfig(srv)
	cfg.SignAlgorithm = nxlink.AlgorithmSHA256
	ex := send(t, client(t, cfg), wang())
	if ex.Result.Outcome != platforms.OK || ex.Request.Headers["algorithm"] != "sha256" || len(ex.Request.Headers["sign"]) != 64 {
		t.Errorf("result = %+v, headers %v", ex.Result, ex.Request.Headers)
	}
}

// Re-sending a customer (a retry after a lost answer) finds the same record:
// the same ID comes back and nothing new is created.
func TestRoundTripResendIsIdempotent(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	cfg := demoConfig(srv)
	cfg.Type = nxlink.TypeMerge
	c := client(t, cfg)
	first := send(t, c, wang()).Result
	again := send(t, c, platforms.Customer{Name: "王小二", Mobile: "+8613411111111", Email: "wang@example.com"}).Result
	if first.Outcome != platforms.OK || again.Outcome != platforms.OK || first.CustomerIDs[0] != again.CustomerIDs[0] {
		t.Errorf("first %+v, again %+v", first, again)
	}
	if n := srv.Created(sandbox.PathNXLink); n != 1 {
		t.Errorf("created = %d, want 1", n)
	}
}

func TestRoundTripConcurrentSends(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	c := client(t, demoConfig(srv))
	const n = 8
	done := make(chan platforms.Result, n)
	for i := range n {
		go func() {
			done <- c.Send(context.Background(), platforms.Single("r", platforms.Customer{Name: "c", Zalo: strconv.Itoa(500 + i)})).Result
		}()
	}
	for range n {
		if r := <-done; r.Outcome != platforms.OK {
			t.Errorf("concurrent send: %+v", r)
		}
	}
	if got := srv.Created(sandbox.PathNXLink); got != n {
		t.Errorf("created = %d, want %d", got, n)
	}
}

// The hard edges of issue 2, each a clear Result from the real client.
func TestHardEdges(t *testing.T) {
	serve := func(status int, contentType string, body []byte) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			_, _ = w.Write(body)
		}))
		t.Cleanup(s.Close)
		return s
	}
	clientFor := func(base string) *nxlink.Client {
		cfg := nxlink.DefaultConfig()
		cfg.BaseURL, cfg.AccessKey, cfg.AccessSecret, cfg.TenantID, cfg.AppKey = base, "ak", "sk", 1, "app"
		cfg.Timeout = 2 * time.Second
		return client(t, cfg)
	}
	cases := []struct {
		name    string
		server  *httptest.Server
		outcome platforms.Outcome
		code    string
		message string
	}{
		{"html page", serve(200, "text/html", []byte("<html><head><title>Login</title></head></html>")), platforms.Failed, "BAD_BODY", `HTML instead of JSON: "Login"`},
		{"empty body", serve(200, "application/json", nil), platforms.Failed, "BAD_BODY", "empty body"},
		{"truncated", serve(200, "application/json", []byte(`{"code":0,"data":{"successItems":[`)), platforms.Failed, "BAD_BODY", "truncated JSON"},
		{"too large", serve(200, "application/json", bytes.Repeat([]byte(" "), platforms.MaxResponseBytes+10)), platforms.Unknown, "TOO_LARGE", "may have created"},
		{"too large 500", serve(500, "application/json", bytes.Repeat([]byte(" "), platforms.MaxResponseBytes+10)), platforms.Failed, "TOO_LARGE", "larger than"},
		{"1e400 id", serve(200, "application/json", []byte(`{"code":0,"data":{"successItems":[{"index":0,"customerId":1e400}]}}`)), platforms.Failed, "BAD_BODY", `"1e400" is not an integer`},
		{"padded success", serve(200, "application/json", append([]byte(`{"code":0,"data":{"successItems":[{"index":0,"customerId":1234567890123456789}]}}`), bytes.Repeat([]byte(" "), platforms.MaxResponseBytes)...)), platforms.Unknown, "TOO_LARGE", "customer ID 1234567890123456789"},
		{"wrong content type", serve(200, "text/plain", []byte(`{"code":1003,"message":"签名错误"}`)), platforms.Rejected, "1003", "签名错误"},
		{"404", serve(404, "text/html", []byte("<title>404 Not Found</title>")), platforms.Failed, "HTTP 404", "404 Not Found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ex := send(t, clientFor(c.server.URL), wang())
			if r := ex.Result; r.Outcome != c.outcome || r.Code != c.code || !strings.Contains(r.Message, c.message) {
				t.Errorf("result = %+v", r)
			}
		})
	}

	t.Run("connection refused", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		_ = l.Close()
		r := send(t, clientFor("http://"+addr), wang()).Result
		if r.Outcome != platforms.Failed || r.Code != "CONN_REFUSED" || !r.Retryable {
			t.Errorf("result = %+v", r)
		}
	})
	t.Run("TLS failure", func(t *testing.T) {
		s := httptest.NewUnstartedServer(http.NotFoundHandler())
		s.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
		s.StartTLS()
		t.Cleanup(s.Close)
		r := send(t, clientFor(s.URL), wang()).Result
		if r.Outcome != platforms.Failed || r.Code != "TLS" {
			t.Errorf("result = %+v", r)
		}
	})
}
