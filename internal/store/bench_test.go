package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// benchSize is how many submissions the benchmarks' history holds:
// CUSTDESK_BENCH_SIZE (the issues' budgets are stated for 100000 and
// 1000000), else a small history so a benchmark smoke run in CI stays fast.
var benchSize = func() int {
	if n, err := strconv.Atoi(os.Getenv("CUSTDESK_BENCH_SIZE")); err == nil && n > 0 {
		return n
	}
	return 10_000
}()

var (
	benchOnce sync.Once
	benchDir  string
	benchErr  error
)

// benchHistory returns a data directory holding benchSize submissions, each
// to one to three platforms with a realistic exchange apiece. Building it
// takes a while, so it is kept in the temp folder between runs
// (CUSTDESK_BENCH_DIR overrides where).
func benchHistory(b *testing.B) string {
	b.Helper()
	benchOnce.Do(func() {
		benchDir = os.Getenv("CUSTDESK_BENCH_DIR")
		if benchDir == "" {
			benchDir = filepath.Join(os.TempDir(), fmt.Sprintf("custdesk-bench-v%d-%d", len(migrations), benchSize))
		}
		done := filepath.Join(benchDir, "complete")
		if _, err := os.Stat(done); err == nil {
			return
		}
		os.RemoveAll(benchDir)
		start := time.Now()
		seed := seedBench
		if benchSize > growBase {
			seed = seedLarge
		}
		if benchErr = seed(benchDir, benchSize); benchErr == nil {
			benchErr = os.WriteFile(done, nil, 0o600)
		}
		b.Logf("seeded %d submissions in %s", benchSize, time.Since(start).Round(time.Second))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDir
}

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
	given    = []rune("小伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国红梅志文")
	allNames = []string{"alsc", "youzan", "nxlink"}
)

func benchCustomer(r *rand.Rand, i int) platforms.Customer {
	name := string(surnames[r.IntN(len(surnames))]) + string(given[r.IntN(len(given))])
	if r.IntN(3) > 0 {
		name += string(given[r.IntN(len(given))])
	}
	return platforms.Customer{Name: name, Mobile: fmt.Sprintf("13%d%08d", r.IntN(10), i), Gender: platforms.GenderFemale,
		Province: "浙江省", City: "杭州市", District: "西湖区", Address: "文三路 100 号", Tags: []string{"爱吃辣"}}
}

func benchExchange(r *rand.Rand, platform, requestID string, c platforms.Customer, id int64) platforms.Exchange {
	ex := platforms.Exchange{Platform: platform, RequestID: requestID, Status: 200, Started: time.Now(),
		FirstByte: 80 * time.Millisecond, Duration: 95 * time.Millisecond,
		Request: platforms.Trace{Method: "POST", URL: "https://sandbox.example/" + platform,
			Headers: map[string]string{"Content-Type": "application/json;charset=utf-8", "sign": platforms.MaskString},
			Body: []byte(fmt.Sprintf(`{"request_id":%q,"name":%q,"mobile":%q,"gender":"0","address":"浙江省杭州市西湖区 文三路 100 号","tag_id_list":["爱吃辣"],"channel":"2","customer_type":1,"outer_id":%q,"outer_type":"mobile","shop_id":"2019093647836487563"}`,
				requestID, c.Name, c.Mobile, c.Mobile)),
			Signed: "app_key=sandbox-alsc-key&format=json&method=alibaba.alsc.crm.customer.create&sign_method=hmac-sha256&timestamp=2026-03-01 09:00:00&v=2.0"},
		ResponseHeaders: map[string]string{"Content-Type": "application/json;charset=UTF-8", "Date": "Sun, 01 Mar 2026 01:00:00 GMT"},
	}
	switch n := r.IntN(100); {
	case n < 90:
		cid := strconv.FormatInt(1214631327620775936+id, 10)
		ex.Response = []byte(fmt.Sprintf(`{"alibaba_alsc_crm_customer_create_response":{"result":{"result":%q,"result_code":"0","result_desc":"成功","biz_success":true},"request_id":%q}}`, cid, requestID))
		ex.Result = platforms.Result{Outcome: platforms.OK, CustomerIDs: []string{cid}, Code: "0", Message: "成功"}
	case n < 96:
		ex.Response = []byte(fmt.Sprintf(`{"error_response":{"code":50,"msg":"Remote service error","sub_code":"isv.invalid-parameter","sub_msg":"非法参数","request_id":%q}}`, requestID))
		ex.Result = platforms.Result{Outcome: platforms.Rejected, Code: "50", SubCode: "isv.invalid-parameter", Message: "非法参数 (Remote service error)"}
	case n < 99:
		ex.Status = 503
		ex.Response = []byte(`<html><head><title>503 Service Temporarily Unavailable</title></head></html>`)
		ex.Result = platforms.Result{Outcome: platforms.Failed, Code: "HTTP 503", Retryable: true, Message: "HTTP 503"}
	default:
		ex.Status, ex.Response = 0, nil
		ex.Result = platforms.Result{Outcome: platforms.Unknown, Code: "TIMEOUT", Retryable: true, Message: "no answer within 10s after sending"}
	}
	return ex
}

func seedBench(dir string, n int) error {
	ctx := context.Background()
	st, err := Open(dir)
	if err != nil {
		return err
	}
	defer st.Close()
	r := rand.New(rand.NewPCG(1, 2))
	start := time.Now().Add(-time.Duration(n) * time.Minute)
	const batch = 2000
	for done := 0; done < n; done += batch {
		subs := make([]*Submission, 0, batch)
		for i := done; i < min(done+batch, n); i++ {
			k := 1 + r.IntN(3)
			off := r.IntN(3)
			var ps []string
			for j := range k {
				ps = append(ps, allNames[(off+j)%3])
			}
			subs = append(subs, &Submission{Customer: benchCustomer(r, i), Platforms: ps, Source: SourceConsole,
				Created: start.Add(time.Duration(i) * time.Minute)})
		}
		if err := st.BeginMany(ctx, subs); err != nil {
			return err
		}
		var recs []Recording
		for _, sub := range subs {
			for _, p := range sub.Platforms {
				recs = append(recs, Recording{SubmissionID: sub.ID, Exchange: benchExchange(r, p, sub.RequestID, sub.Customer, sub.ID)})
			}
		}
		if _, err := st.RecordMany(ctx, recs); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkOpenFirstPage: start the console on a full history and show the
// first page of the history pane.
func BenchmarkOpenFirstPage(b *testing.B) {
	dir := benchHistory(b)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		st, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.Recover(ctx); err != nil {
			b.Fatal(err)
		}
		page, err := st.List(ctx, Query{Limit: 50})
		if err != nil || len(page) != 50 {
			b.Fatalf("first page: %d rows, %v", len(page), err)
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
}

// searchCases are the searches of the history pane the budgets are about.
func searchCases(b *testing.B, st *Store) []searchCase {
	ctx := context.Background()
	last, err := st.List(ctx, Query{Limit: 1})
	if err != nil {
		b.Fatal(err)
	}
	newest := last[0]
	var cid string
	for _, s := range newest.States {
		if len(s.Result.CustomerIDs) > 0 {
			cid = s.Result.CustomerIDs[0]
		}
	}
	return []searchCase{
		{"name3", Query{Text: "王小明"}},
		{"name2", Query{Text: "王芳"}},
		{"surname1", Query{Text: "王"}},
		{"mobile-full", Query{Text: newest.Customer.Mobile}},
		{"mobile-fragment", Query{Text: "8888"}},
		{"mobile-prefix-common", Query{Text: "138"}},
		{"customer-id", Query{Text: cid}},
		{"nomatch", Query{Text: "zzzzzz"}},
		{"outcome-unknown", Query{Outcome: platforms.Unknown}},
		{"outcome-ok", Query{Outcome: platforms.OK}},
		{"platform-outcome", Query{Platform: "youzan", Outcome: platforms.Failed}},
		{"last-week", Query{Since: newest.Created.Add(-7 * 24 * time.Hour)}},
		{"name-and-range", Query{Text: "王小", Since: newest.Created.Add(-30 * 24 * time.Hour)}},
		{"surname-outcome-range", Query{Text: "王", Outcome: platforms.OK, Since: newest.Created.Add(-30 * 24 * time.Hour)}},
		{"surname-rare-outcome", Query{Text: "王", Outcome: platforms.Unknown}},
	}
}

type searchCase struct {
	name string
	q    Query
}

// BenchmarkSearch: one search from the history pane, a page of 50 and the
// total beside it. page-ms is the first page (what the pane waits for),
// count-ms the exact total.
func BenchmarkSearch(b *testing.B) {
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
			var page, count time.Duration
			for b.Loop() {
				q := c.q
				q.Limit = 50
				t0 := time.Now()
				if _, err := st.List(ctx, q); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if n, err = st.Count(ctx, c.q); err != nil {
					b.Fatal(err)
				}
				page, count = page+t1.Sub(t0), count+time.Since(t1)
			}
			b.ReportMetric(float64(n), "matches")
			b.ReportMetric(float64(page.Microseconds())/1000/float64(b.N), "page-ms")
			b.ReportMetric(float64(count.Microseconds())/1000/float64(b.N), "count-ms")
		})
	}
}

// BenchmarkRecord: commit one exchange (synchronous=FULL) into the full
// history.
func BenchmarkRecord(b *testing.B) {
	dir := benchHistory(b)
	ctx := context.Background()
	st, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	r := rand.New(rand.NewPCG(3, 4))
	sub := Submission{Customer: benchCustomer(r, benchSize+1), Platforms: allNames, Source: SourceConsole}
	if err := st.Begin(ctx, &sub); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := st.Record(ctx, sub.ID, benchExchange(r, "alsc", sub.RequestID, sub.Customer, sub.ID)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAttempt: the whole write path of one send: claim before, record
// after (two commits).
func BenchmarkAttempt(b *testing.B) {
	dir := benchHistory(b)
	ctx := context.Background()
	st, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	r := rand.New(rand.NewPCG(5, 6))
	sub := Submission{Customer: benchCustomer(r, benchSize+2), Platforms: allNames, Source: SourceConsole}
	if err := st.Begin(ctx, &sub); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := st.StartAttempt(ctx, sub.ID, "youzan"); err != nil {
			b.Fatal(err)
		}
		if _, err := st.Record(ctx, sub.ID, benchExchange(r, "youzan", sub.RequestID, sub.Customer, sub.ID)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStats: the status bar's queue counts on the full history.
func BenchmarkStats(b *testing.B) {
	st, err := Open(benchHistory(b))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	for b.Loop() {
		if _, err := st.Stats(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
