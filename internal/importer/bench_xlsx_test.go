package importer

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// BenchmarkImportXLSX is BenchmarkImport with a workbook instead of a CSV:
// the same customers under Chinese headers, mobiles stored as numbers and
// birthdays as date cells, so every row goes through the date and number
// handling and the normaliser. Compare the two at the same size, each in
// its own process:
//
//	go test -run '^$' -bench 'Import$' -benchtime 1x ./internal/importer -import.rows 100000
//	go test -run '^$' -bench ImportXLSX -benchtime 1x ./internal/importer -import.rows 100000
func BenchmarkImportXLSX(b *testing.B) {
	dir := b.TempDir()
	path := generateXLSX(b, dir, *benchRows)
	var url string
	if *benchApart {
		url = sandboxProcess(b)
	} else {
		url = startSandbox(b).URL
	}
	ps := sandboxPlatforms(b, url)
	b.ResetTimer()
	var sends int
	var elapsed time.Duration
	for i := range b.N {
		st := openStore(b, filepath.Join(dir, "data"+strconv.Itoa(i)))
		start := time.Now()
		c, sum, err := importFile(b, context.Background(), Input{Path: path}, Options{Platforms: ps, Store: st, Concurrency: *benchConcurrency}, filepath.Join(dir, "report.csv"))
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if c.Valid != *benchRows || !sum.AllOK() {
			b.Fatalf("%d of %d rows valid, summary %+v", c.Valid, *benchRows, sum.Platforms)
		}
		for _, p := range sum.Platforms {
			sends += p.OK
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(sends)/elapsed.Seconds(), "sends/s")
	b.ReportMetric(float64(peakRSS(b))/(1<<20), "peak-RSS-MB")
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap-sys-MB")
}

// generateXLSX writes rows customers with excelize's stream writer, as a
// POS export would hold them.
func generateXLSX(tb testing.TB, dir string, rows int) string {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		tb.Fatal(err)
	}
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		tb.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"会员姓名", "手机号码", "电子邮件", "性别", "出生日期", "省份", "城市", "详细地址", "标签", "会员等级", "备注", "custom.会员卡"}); err != nil {
		tb.Fatal(err)
	}
	for i := 1; i <= rows; i++ {
		email := ""
		if i%3 == 0 {
			email = fmt.Sprintf("c%d@example.com", i)
		}
		birthday := time.Date(1950+i%50, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
		row := []any{surnames[i%len(surnames)] + "客户" + strconv.Itoa(i), 13400000000 + i, email, []string{"男", "女", "", "保密"}[i%4],
			excelize.Cell{StyleID: date, Value: birthday}, "浙江省", "杭州市", "文三路 " + strconv.Itoa(i) + " 号",
			"导入;批次" + strconv.Itoa(i%7), 1 + i%5, "第 " + strconv.Itoa(i) + " 位", "C" + strconv.Itoa(i)}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, row); err != nil {
			tb.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(dir, fmt.Sprintf("customers-%d.xlsx", rows))
	if err := f.SaveAs(path); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkCheckXLSX and BenchmarkCheckCSV time the reading side alone: one
// checking pass (read, map, normalise, validate for three platforms) over
// the same -import.rows customers, as a workbook and as a GBK CSV. Sending
// dominates an import; these show what the workbook costs on top.
func BenchmarkCheckXLSX(b *testing.B) {
	benchCheck(b, generateXLSX(b, b.TempDir(), *benchRows))
}

func BenchmarkCheckCSV(b *testing.B) {
	benchCheck(b, generate(b, genOptions{rows: *benchRows, dir: b.TempDir(), gbk: true}).path)
}

func benchCheck(b *testing.B, path string) {
	ps := sandboxPlatforms(b, "http://127.0.0.1:1")
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		c, err := Check(context.Background(), Input{Path: path}, ps, nil)
		if err != nil || c.Valid != *benchRows {
			b.Fatalf("%+v %v", c, err)
		}
	}
	b.ReportMetric(float64(*benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
