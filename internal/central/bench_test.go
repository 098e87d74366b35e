package central

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/custdesk/custdesk/internal/central/pgtest"
	"github.com/custdesk/custdesk/internal/store"
)

// Central search over many submissions from 200 terminals, seeded with
// COPY. CUSTDESK_BENCH_ROWS sets how many (default 20,000 so that -bench
// stays quick; the 1,000,000 takes minutes to seed on 2 cores):
//
//	CUSTDESK_BENCH_ROWS=1000000 go test -run '^$' -bench CentralSearch -benchtime 50x ./internal/central
//
// With -v it logs each query's plan (EXPLAIN ANALYZE).
func BenchmarkCentralSearch(b *testing.B) {
	pool, seeded := benchCentral(b)
	ctx := context.Background()
	for _, c := range []struct{ name, text string }{
		{"name-3", seeded.name3},
		{"name-2", seeded.name2},
		{"mobile", seeded.mobile},
		{"mobile-fragment", seeded.mobile[3:9]},
		{"customer-id", seeded.customerID},
	} {
		b.Run(c.name, func(b *testing.B) {
			q := Query{Query: store.Query{Text: c.text, Limit: 50}}
			es, err := Search(ctx, pool, q)
			if err != nil || len(es) == 0 {
				b.Fatalf("%q: %v, %d entries", c.text, err, len(es))
			}
			logPlan(b, pool, q)
			b.ResetTimer()
			for b.Loop() {
				if _, err := Search(ctx, pool, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

type seededRow struct{ name2, name3, mobile, customerID string }

var (
	benchOnce sync.Once
	benchURL  string
	benchRow  seededRow
	benchErr  error
)

func benchCentral(b *testing.B) (*pgxpool.Pool, seededRow) {
	b.Helper()
	rows := 20000
	if v, err := strconv.Atoi(os.Getenv("CUSTDESK_BENCH_ROWS")); err == nil && v > 0 {
		rows = v
	}
	benchOnce.Do(func() {
		pool, url := newCentralB(b)
		benchURL = url
		start := time.Now()
		benchRow, benchErr = seed(context.Background(), pool, rows)
		b.Logf("seeded %d submissions (%d states) from 200 terminals in %s", rows, 3*rows, time.Since(start).Round(time.Second))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	pool, err := Connect(context.Background(), benchURL)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	return pool, benchRow
}

func newCentralB(b *testing.B) (*pgxpool.Pool, string) {
	url := pgtest.NewDB(b)
	pool, err := Connect(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	if _, _, err := Init(context.Background(), pool); err != nil {
		b.Fatal(err)
	}
	return pool, url
}

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红梅鹏飞鑫波斌宇浩凯健俊帆帅旭宁龙林欣佳琳晨婷雪慧颖琪瑶雨萱怡博文轩睿哲思源嘉")
)

// seed writes rows submissions spread over 200 terminals, three platform
// states each (ok, with a customer ID), and returns one row to look for.
func seed(ctx context.Context, pool *pgxpool.Pool, rows int) (seededRow, error) {
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var pick seededRow
	name := func() string {
		n := []rune{surnames[rng.IntN(len(surnames))], given[rng.IntN(len(given))]}
		if rng.IntN(2) == 0 {
			n = append(n, given[rng.IntN(len(given))])
		}
		return string(n)
	}
	i := 0
	_, err := pool.CopyFrom(ctx, pgx.Identifier{"custdesk", "submissions"},
		[]string{"terminal", "local_id", "store", "request_id", "customer", "name", "mobile", "member", "platforms", "created", "search", "version"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i == rows {
				return nil, nil
			}
			term := fmt.Sprintf("store-%03d/pos-1", i%200)
			nm, mobile := name(), fmt.Sprintf("1%010d", 3000000000+i*7)
			rid := fmt.Sprintf("%032x", rng.Uint64())
			if i == rows/2 {
				pick.mobile = mobile
			}
			if i >= rows/2 {
				switch n := len([]rune(nm)); {
				case n == 2 && pick.name2 == "":
					pick.name2 = nm
				case n == 3 && pick.name3 == "":
					pick.name3 = nm
				}
			}
			i++
			return []any{term, int64(i), StoreOf(term), rid, fmt.Sprintf(`{"name":%q,"mobile":%q}`, nm, mobile), nm, mobile,
				"m:+86" + mobile, "p1,p2,p3", base.Add(time.Duration(i) * time.Second),
				" " + strings.Join([]string{nm, mobile, "+86" + mobile, rid}, " "), int64(i)}, nil
		}))
	if err != nil {
		return pick, err
	}
	j := 0
	_, err = pool.CopyFrom(ctx, pgx.Identifier{"custdesk", "states"},
		[]string{"terminal", "submission_id", "platform", "outcome", "state", "attempts", "result", "customer_ids", "customer_id_list", "version"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if j == 3*rows {
				return nil, nil
			}
			k := j / 3
			id := strconv.FormatUint(1796000000000000000+uint64(j)*13, 10)
			if k == rows/2 && j%3 == 1 {
				pick.customerID = id
			}
			j++
			return []any{fmt.Sprintf("store-%03d/pos-1", k%200), int64(k + 1), fmt.Sprintf("p%d", j%3+1), "ok", "settled", 1,
				`{"outcome":"ok","customer_ids":["` + id + `"]}`, id, []string{id}, int64(k + 1)}, nil
		}))
	if err != nil {
		return pick, err
	}
	// The exact-match table, as replication fills it (one ID per state).
	if _, err := pool.Exec(ctx, `INSERT INTO custdesk.customer_ids (id, terminal, submission_id)
		SELECT unnest(customer_id_list), terminal, submission_id FROM custdesk.states`); err != nil {
		return pick, err
	}
	// VACUUM merges the trigram indexes' pending lists, as autovacuum does
	// on a live server, and ANALYZE gives the planner the new sizes.
	for _, t := range []string{"submissions", "states", "customer_ids"} {
		if _, err := pool.Exec(ctx, `VACUUM ANALYZE custdesk.`+t); err != nil {
			return pick, err
		}
	}
	return pick, nil
}

func logPlan(b *testing.B, pool *pgxpool.Pool, q Query) {
	if !testing.Verbose() {
		return
	}
	sql, args := searchSQL(q)
	rows, err := pool.Query(context.Background(), `EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF) `+sql, args...)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			b.Fatal(err)
		}
		plan = append(plan, line)
	}
	b.Logf("plan for %q:\n%s", q.Text, strings.Join(plan, "\n"))
}
