package importer

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var benchInline = flag.Bool("import.xlsx-inline", false, "BenchmarkImportXLSX's workbook keeps its text in the cells (excelize's stream writer) instead of a shared-string table as Excel writes it")

// BenchmarkImportXLSX is BenchmarkImport with a workbook instead of a CSV:
// the same customers under Chinese headers, mobiles stored as numbers and
// birthdays as date cells, so every row goes through the date and number
// handling and the normaliser. The workbook's text is in a shared-string
// table, as Excel and POS exports write it, so the table's temporary file
// and index are part of the figure (-import.xlsx-inline for cells holding
// their text). The peak RSS is reset once the workbook is written, so it is
// the import's. Compare the two at the same size, each in its own process:
//
//	go test -run '^$' -bench 'Import$' -benchtime 1x ./internal/importer -import.rows 100000 -import.sandbox-apart
//	go test -run '^$' -bench ImportXLSX -benchtime 1x ./internal/importer -import.rows 100000 -import.sandbox-apart
func BenchmarkImportXLSX(b *testing.B) {
	dir := b.TempDir()
	var path string
	if *benchInline {
		path = generateXLSX(b, dir, *benchRows)
	} else {
		path = generateSharedXLSX(b, dir, *benchRows)
	}
	resetPeakRSS(b)
	var url string
	if *benchApart {
		url, _ = sandboxProcess(b)
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

// benchCustomer is row i of the generated workbooks: the customers of
// generate's CSV, as a POS export holds them.
func benchCustomer(i int, date int) []any {
	email := ""
	if i%3 == 0 {
		email = fmt.Sprintf("c%d@example.com", i)
	}
	birthday := time.Date(1950+i%50, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
	var day any = birthday
	if date != 0 {
		day = excelize.Cell{StyleID: date, Value: birthday}
	}
	return []any{surnames[i%len(surnames)] + "客户" + strconv.Itoa(i), 13400000000 + i, email, []string{"男", "女", "", "保密"}[i%4],
		day, "浙江省", "杭州市", "文三路 " + strconv.Itoa(i) + " 号",
		"导入;批次" + strconv.Itoa(i%7), 1 + i%5, "第 " + strconv.Itoa(i) + " 位", "C" + strconv.Itoa(i)}
}

var benchHeader = []any{"会员姓名", "手机号码", "电子邮件", "性别", "出生日期", "省份", "城市", "详细地址", "标签", "会员等级", "备注", "custom.会员卡"}

// generateSharedXLSX writes rows customers cell by cell, so that excelize
// puts their text in the shared-string table as Excel does. The workbook
// is built in memory; resetPeakRSS forgets that peak.
func generateSharedXLSX(tb testing.TB, dir string, rows int) string {
	tb.Helper()
	f := excelize.NewFile()
	if err := f.SetSheetRow("Sheet1", "A1", &benchHeader); err != nil {
		tb.Fatal(err)
	}
	for i := 1; i <= rows; i++ {
		row := benchCustomer(i, 0)
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			tb.Fatal(err)
		}
	}
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		tb.Fatal(err)
	}
	if err := f.SetCellStyle("Sheet1", "E2", "E"+strconv.Itoa(rows+1), date); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(dir, fmt.Sprintf("customers-shared-%d.xlsx", rows))
	if err := f.SaveAs(path); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// resetPeakRSS forgets the process's peak resident set so far (Linux's
// clear_refs 5), after returning the freed heap to the system, so a later
// peakRSS is what came after.
func resetPeakRSS(tb testing.TB) {
	runtime.GC()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		tb.Logf("peak RSS not reset (%v): it includes writing the workbook", err)
	}
}

// generateXLSX writes rows customers with excelize's stream writer, which
// keeps each cell's text in the cell.
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
	if err := sw.SetRow("A1", benchHeader); err != nil {
		tb.Fatal(err)
	}
	for i := 1; i <= rows; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, benchCustomer(i, date)); err != nil {
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
	if *benchInline {
		benchCheck(b, generateXLSX(b, b.TempDir(), *benchRows))
		return
	}
	benchCheck(b, generateSharedXLSX(b, b.TempDir(), *benchRows))
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
