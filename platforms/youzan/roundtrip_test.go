package youzan_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/internal/platformtest"
	"github.com/custdesk/custdesk/platforms/sandbox"
	"github.com/custdesk/custdesk/platforms/youzan"
)

// The real client against the real sandbox over loopback.

// demoConfig points at base with the sandbox's demo credentials; the trailing
// slash is how people paste URLs.
func demoConfig(base string) youzan.Config {
	return youzan.Config{
		BaseURL:    base + "/",
		AppID:      sandbox.DemoYouzanAppID,
		RootKdtID:  sandbox.DemoYouzanRootKdtID,
		OutStoreID: sandbox.DemoYouzanOutStoreID,
		Headers:    map[string]string{"Authorization": sandbox.DemoYouzanToken},
		Timeout:    5 * time.Second,
	}
}

func client(t *testing.T, cfg youzan.Config) *youzan.Client {
	t.Helper()
	c, err := youzan.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func send(t *testing.T, c *youzan.Client, cu platforms.Customer) platforms.Exchange {
	t.Helper()
	return c.Send(context.Background(), platforms.Single(platforms.NewRequestID(), cu))
}

func wang() platforms.Customer {
	return platforms.Customer{
		Name: "王小二", Mobile: "13411111111", Gender: platforms.GenderMale, Birthday: "1990-05-17",
		Province: "浙江省", City: "杭州市", District: "西湖区", Address: "文三路 90 号",
		Nickname: "小二", Wechat: "wx_wang2", Level: "VIP1", Custom: map[string]string{"偏好": "茶"},
	}
}

func TestRoundTripOK(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	c := client(t, demoConfig(srv.URL))
	if errs := c.Validate(wang()); len(errs) > 0 {
		t.Fatalf("the test customer is invalid: %v", errs)
	}
	ex := send(t, c, wang())
	r := ex.Result
	if r.Outcome != platforms.OK || len(r.CustomerIDs) != 1 || !platforms.IsDigits(r.CustomerIDs[0]) {
		t.Fatalf("result %+v, response %s", r, ex.Response)
	}
	// The sandbox's IDs are above 2^53: the ID must be the answer's text exactly.
	var env struct {
		Data struct {
			OutOpenID json.RawMessage `json:"outOpenId"`
		} `json:"data"`
	}
	if err := json.Unmarshal(ex.Response, &env); err != nil {
		t.Fatal(err)
	}
	if want := `"` + r.CustomerIDs[0] + `"`; string(env.Data.OutOpenID) != want {
		t.Errorf("ID %s, answer had %s", r.CustomerIDs[0], env.Data.OutOpenID)
	}
	if ex.Status != 200 || ex.Platform != "youzan" || ex.Duration <= 0 {
		t.Errorf("exchange status %d platform %q duration %s", ex.Status, ex.Platform, ex.Duration)
	}
	if got := srv.Created(sandbox.PathYouzan); got != 1 {
		t.Errorf("sandbox created %d members, want 1", got)
	}
	if ex.Request.Headers["Authorization"] != "Bearer ******" || strings.Contains(string(ex.Request.Body), "sandbox-youzan-token") {
		t.Errorf("token not masked in the trace: %+v", ex.Request)
	}
}

func TestRoundTripHongKongMobile(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	ex := send(t, client(t, demoConfig(srv.URL)), platforms.Customer{Name: "陳大文", Mobile: "+852 1234 4567"})
	if ex.Result.Outcome != platforms.OK || len(ex.Result.CustomerIDs) != 1 {
		t.Fatalf("result %+v, response %s", ex.Result, ex.Response)
	}
	if !strings.Contains(string(ex.Request.Body), `"mobile":"+852-12344567"`) {
		t.Errorf("body %s does not carry +852-12344567", ex.Request.Body)
	}
}

// rejected checks an answer the sandbox refuses: nothing created, the platform's
// code, and a message that says what was wrong.
func rejected(t *testing.T, srv *sandbox.Running, ex platforms.Exchange, status int, code, msgHas string) {
	t.Helper()
	r := ex.Result
	if r.Outcome != platforms.Rejected || r.Retryable || r.Code != code || !strings.Contains(r.Message, msgHas) {
		t.Errorf("result %+v (HTTP %d, %s), want rejected, code %s, message containing %q", r, ex.Status, ex.Response, code, msgHas)
	}
	if ex.Status != status {
		t.Errorf("HTTP %d, want %d", ex.Status, status)
	}
	if n := srv.Created(sandbox.PathYouzan); n != 0 {
		t.Errorf("sandbox created %d members on a refused request", n)
	}
}

func TestRoundTripWrongToken(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	cfg := demoConfig(srv.URL)
	cfg.Headers = map[string]string{"Authorization": "Bearer not-the-token"}
	ex := send(t, client(t, cfg), wang())
	rejected(t, srv, ex, 401, "401", "请求头 Authorization 的值不正确")
	if strings.Contains(string(ex.Response), sandbox.DemoYouzanToken) {
		t.Error("the sandbox echoed the expected token")
	}
}

func TestRoundTripMissingAuthorization(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	cfg := demoConfig(srv.URL)
	cfg.Headers = nil
	rejected(t, srv, send(t, client(t, cfg), wang()), 401, "401", "缺少请求头 Authorization")
}

func TestRoundTripWrongAppID(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	cfg := demoConfig(srv.URL)
	cfg.AppID = "someone-elses-app"
	rejected(t, srv, send(t, client(t, cfg), wang()), 200, "403", "appId 无效")
}

// Validate catches a missing mobile in the form; Send does not re-validate, so
// the platform's own refusal is what comes back.
func TestRoundTripMissingMobile(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	cu := wang()
	cu.Mobile = ""
	c := client(t, demoConfig(srv.URL))
	if len(c.Validate(cu)) == 0 {
		t.Fatal("Validate accepted a customer without mobile")
	}
	rejected(t, srv, send(t, c, cu), 200, "400", `mobile 不能为空 (errorData {"field":"mobile"})`)
}

func TestRoundTripBadBirthday(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	cu := wang()
	cu.Birthday = "1990-02-30"
	c := client(t, demoConfig(srv.URL))
	if len(c.Validate(cu)) == 0 {
		t.Fatal("Validate accepted 1990-02-30")
	}
	ex := c.Send(context.Background(), platforms.Single("r", cu))
	rejected(t, srv, ex, 200, "400", "birthday 格式应为 yyyy-MM-dd")
}

// Youzan's contract carries no timestamp, so an old signing time changes
// nothing: the same request is accepted whenever it is sent.
func TestRoundTripStaleTimeIsIrrelevant(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	c := client(t, demoConfig(srv.URL))
	sub := platforms.Single("r", wang())
	sub.Time = time.Now().Add(-2 * time.Hour)
	ex := c.Send(context.Background(), sub)
	if ex.Result.Outcome != platforms.OK {
		t.Fatalf("result %+v", ex.Result)
	}
	fresh, _, err := c.Build(platforms.Single("r", wang()))
	if err != nil {
		t.Fatal(err)
	}
	sent := ex.Request.Body
	now, err := io.ReadAll(fresh.Body)
	if err != nil {
		t.Fatal(err)
	}
	if string(sent) != string(now) {
		t.Errorf("the body depends on Submission.Time:\n%s\n%s", sent, now)
	}
}

func TestRoundTripFaults(t *testing.T) {
	cases := []struct {
		kind      string
		outcome   platforms.Outcome
		code      string
		msgHas    string
		retryable bool
	}{
		{sandbox.FaultError, platforms.Failed, "500", "系统繁忙,请稍后重试", true},
		{sandbox.Fault5xx, platforms.Failed, "HTTP 503", "503 Service Temporarily Unavailable", true},
		{sandbox.FaultMalformed, platforms.Failed, "BAD_BODY", "truncated JSON", false},
		{sandbox.FaultDrop, platforms.Unknown, "CONN_LOST", "may have applied it", true},
	}
	for _, tc := range cases {
		t.Run(tc.kind, func(t *testing.T) {
			srv := platformtest.StartSandbox(t)
			srv.SetFaults(sandbox.Faults{Rate: 1, Kinds: []string{tc.kind}})
			ex := send(t, client(t, demoConfig(srv.URL)), wang())
			r := ex.Result
			if r.Outcome != tc.outcome || r.Code != tc.code || !strings.Contains(r.Message, tc.msgHas) || r.Retryable != tc.retryable {
				t.Errorf("result %+v (HTTP %d, error %q), want %s, code %s, retryable %v, message containing %q",
					r, ex.Status, ex.Error, tc.outcome, tc.code, tc.retryable, tc.msgHas)
			}
			if tc.kind == sandbox.FaultMalformed && !strings.HasPrefix(string(ex.Response), `{"success":true,"code":200,"message":"success"`) {
				t.Errorf("the cut answer is not this platform's: %s", ex.Response)
			}
			if n := srv.Created(sandbox.PathYouzan); n != 0 {
				t.Errorf("sandbox created %d members under a fault", n)
			}
		})
	}
}

func TestRoundTripRecoversAfterFault(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	srv.SetFaults(sandbox.Faults{Rate: 1, Kinds: []string{sandbox.FaultError}, Limit: 1})
	c := client(t, demoConfig(srv.URL))
	sub := platforms.Single("r", wang())
	if r := c.Send(context.Background(), sub).Result; r.Outcome != platforms.Failed || !r.Retryable {
		t.Fatalf("first send %+v, want a retryable failure", r)
	}
	if r := c.Send(context.Background(), sub).Result; r.Outcome != platforms.OK {
		t.Fatalf("retry %+v, want ok", r)
	}
}

func TestRoundTripTimeout(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	srv.SetFaults(sandbox.Faults{Latency: 2 * time.Second})
	cfg := demoConfig(srv.URL)
	cfg.Timeout = 100 * time.Millisecond
	start := time.Now()
	ex := send(t, client(t, cfg), wang())
	if r := ex.Result; r.Outcome != platforms.Unknown || r.Code != "TIMEOUT" || !r.Retryable || !strings.Contains(r.Message, "100ms") {
		t.Errorf("result %+v, want unknown TIMEOUT naming the 100ms limit", r)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("send took %s, the timeout is 100ms", d)
	}
}

func TestRoundTripConnectionRefused(t *testing.T) {
	// A listener nobody accepts on closes at once; a closed sandbox's port can
	// still take a connection for a moment while its accept loop winds down.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := demoConfig("http://" + l.Addr().String())
	_ = l.Close()
	ex := send(t, client(t, cfg), wang())
	if r := ex.Result; r.Outcome != platforms.Failed || r.Code != "CONN_REFUSED" || !r.Retryable || ex.Status != 0 {
		t.Errorf("result %+v, HTTP %d, want failed CONN_REFUSED, retryable", r, ex.Status)
	}
}

func TestRoundTripConcurrent(t *testing.T) {
	srv := platformtest.StartSandbox(t)
	c := client(t, demoConfig(srv.URL))
	const n = 16
	ids := make(chan string, n)
	for i := 0; i < n; i++ {
		go func() {
			r := c.Send(context.Background(), platforms.Single(platforms.NewRequestID(), wang())).Result
			if r.Outcome != platforms.OK || len(r.CustomerIDs) != 1 {
				t.Errorf("result %+v", r)
				ids <- ""
				return
			}
			ids <- r.CustomerIDs[0]
		}()
	}
	seen := map[string]bool{}
	for i := 0; i < n; i++ {
		id := <-ids
		if id != "" && seen[id] {
			t.Errorf("ID %s given twice", id)
		}
		seen[id] = true
	}
	if got := srv.Created(sandbox.PathYouzan); got != n {
		t.Errorf("sandbox created %d, want %d", got, n)
	}
}
