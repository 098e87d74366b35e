package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/alsc"
	"github.com/custdesk/custdesk/platforms/nxlink"
)

// The in-process sandbox lives as long as an import and remembers every
// customer it creates (ALSC to replay answers, NXLink to deduplicate), so what
// it keeps per customer decides whether an import's memory stays flat as the
// file grows. These measure the live heap the sandbox holds per created
// customer, as an import of name,mobile,email,gender rows sends them.

// memClock is the sandbox clock for the measurements, so requests signed once
// stay within both platforms' timestamp windows.
var memClock = time.Date(2026, 3, 1, 12, 0, 0, 0, alsc.GMT8)

func memServer() *Server {
	cfg := Demo()
	cfg.Now = func() time.Time { return memClock }
	return New(cfg)
}

// liveHeap is the heap still reachable after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// heapPerCustomer creates n customers on a fresh sandbox with create and
// returns the live heap it holds afterwards, per customer created.
func heapPerCustomer(tb testing.TB, n int, path string, create func(s *Server, from, to int)) float64 {
	tb.Helper()
	s := memServer()
	before := liveHeap()
	const chunk = 100
	for from := 0; from < n; from += chunk {
		create(s, from, min(from+chunk, n))
	}
	after := liveHeap()
	if got := s.Created(path); got != int64(n) {
		tb.Fatalf("created %d customers on %s, want %d", got, path, n)
	}
	runtime.KeepAlive(s)
	return float64(int64(after)-int64(before)) / float64(n)
}

func memMobile(i int) string { return "134" + strconv.Itoa(10_000_000+i) }

// memALSCCreate sends one create per customer, as the ALSC client does.
func memALSCCreate(tb testing.TB) func(s *Server, from, to int) {
	return func(s *Server, from, to int) {
		for i := from; i < to; i++ {
			biz, _ := json.Marshal(map[string]any{
				"channel": "2", "customer_type": 1, "outer_id": memMobile(i), "outer_type": "mobile",
				"request_id": "custdesk-import-" + strconv.Itoa(i) + "-0123456789abcdef", "mobile": memMobile(i),
				"name": "客户" + strconv.Itoa(i), "gender": "1", "email": "c" + strconv.Itoa(i) + "@example.com",
				"shop_id": DemoALSCShopID,
			})
			params := map[string]string{
				"method": alsc.Method, "app_key": DemoALSCAppKey, "sign_method": alsc.SignHMACSHA256,
				"timestamp": memClock.Format(alsc.TimestampLayout), "v": alsc.Version, "format": "json",
				alsc.BusinessParam: string(biz),
			}
			params["sign"], _, _ = alsc.Sign(params, DemoALSCAppSecret, alsc.SignHMACSHA256)
			form := url.Values{}
			for k, v := range params {
				form.Set(k, v)
			}
			req := httptest.NewRequest(http.MethodPost, PathALSC, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", alsc.ContentType)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if r := alsc.Parse(rec.Body.Bytes()); r.Outcome != "ok" {
				tb.Fatalf("ALSC create %d: %s", i, rec.Body)
			}
		}
	}
}

// memPlain is a row of name,mobile,email,gender, the smallest useful import.
func memPlain(i int) platforms.Customer {
	return platforms.Customer{Name: "客户" + strconv.Itoa(i), Mobile: memMobile(i),
		Email: "c" + strconv.Itoa(i) + "@example.com", Gender: platforms.GenderMale}
}

// memRich is a row with most fields filled, like internal/importer's
// generated benchmark file.
func memRich(i int) platforms.Customer {
	c := memPlain(i)
	c.Birthday = "1980-01-02"
	c.Province, c.City, c.Address = "浙江省", "杭州市", "文三路 "+strconv.Itoa(i)+" 号"
	c.Tags, c.Level = []string{"导入", "批次" + strconv.Itoa(i%7)}, strconv.Itoa(1+i%5)
	c.Remark, c.Custom = "第 "+strconv.Itoa(i)+" 位", map[string]string{"会员卡": "C" + strconv.Itoa(i)}
	return c
}

// memNXLinkCreate sends the customers as one batch, as the NXLink client does.
func memNXLinkCreate(row func(int) platforms.Customer) func(testing.TB) func(*Server, int, int) {
	return func(tb testing.TB) func(*Server, int, int) {
		return func(s *Server, from, to int) {
			body := nxlink.Body{Type: 1, TenantID: DemoNXLinkTenantID, AppKey: DemoNXLinkAppKey, StrictBinding: true}
			for i := from; i < to; i++ {
				w, err := nxlink.Wire(row(i))
				if err != nil {
					tb.Fatal(err)
				}
				body.Customers = append(body.Customers, w)
			}
			raw, _ := json.Marshal(body)
			headers := map[string]string{
				nxlink.HeaderAccessKey: DemoNXLinkAccessKey, nxlink.HeaderTS: strconv.FormatInt(memClock.UnixMilli(), 10),
				nxlink.HeaderBizType: nxlink.BizType, nxlink.HeaderAction: nxlink.Action,
			}
			sign, _ := nxlink.Sign(headers, raw, DemoNXLinkSecret, "")
			req := httptest.NewRequest(http.MethodPost, PathNXLink, strings.NewReader(string(raw)))
			for k, v := range headers {
				req.Header.Set(k, v)
			}
			req.Header.Set(nxlink.HeaderSign, sign)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if r := nxlink.Parse(rec.Body.Bytes()); r.Outcome != "ok" {
				tb.Fatalf("NXLink batch %d..%d: %s", from, to, rec.Body)
			}
		}
	}
}

func BenchmarkSandboxHeapPerCustomer(b *testing.B) {
	const n = 100_000
	for _, c := range []struct {
		name   string
		path   string
		create func(testing.TB) func(*Server, int, int)
	}{
		{"alsc", PathALSC, memALSCCreate},
		{"nxlink", PathNXLink, memNXLinkCreate(memPlain)},
		{"nxlink-rich", PathNXLink, memNXLinkCreate(memRich)},
	} {
		b.Run(c.name, func(b *testing.B) {
			var perCustomer float64
			for b.Loop() {
				perCustomer = heapPerCustomer(b, n, c.path, c.create(b))
			}
			b.ReportMetric(perCustomer, "heapB/customer")
			b.ReportMetric(0, "ns/op") // the run time is the requests', not what this measures
		})
	}
}

// TestSandboxHeapPerCustomer bounds what the sandbox keeps per created
// customer. Kept as answer bytes and decoded structs it was about 370 bytes on
// ALSC and 510 on NXLink (610 with most fields given), and 350 for the latter
// as JSON; the bounds leave room for the maps' growth steps.
func TestSandboxHeapPerCustomer(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 60,000 customers")
	}
	const n = 20_000
	for _, c := range []struct {
		name  string
		path  string
		limit float64
		make  func(testing.TB) func(*Server, int, int)
	}{
		{"alsc", PathALSC, 100, memALSCCreate},
		{"nxlink", PathNXLink, 220, memNXLinkCreate(memPlain)},
		{"nxlink-rich", PathNXLink, 300, memNXLinkCreate(memRich)},
	} {
		got := heapPerCustomer(t, n, c.path, c.make(t))
		t.Logf("%s: %.0f bytes of live heap per created customer", c.name, got)
		if got > c.limit {
			t.Errorf("%s keeps %.0f bytes per created customer, want at most %.0f", c.name, got, c.limit)
		}
	}
}
