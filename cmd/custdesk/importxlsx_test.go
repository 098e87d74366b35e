package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/custdesk/custdesk/internal/store"
)

// writeWorkbook writes a POS export: Chinese headers, a numeric mobile, a
// date cell, a column no field takes, and members on a second sheet too,
// which has its title above its header.
func writeWorkbook(t *testing.T, dir string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	set := func(sheet, cell string, row []any) {
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	set("Sheet1", "A1", []any{"会员姓名", "手机号码", "性别", "出生日期", "会员卡号", "积分"})
	set("Sheet1", "A2", []any{"王小二", 13411110001, "男", time.Date(1990, 1, 2, 0, 0, 0, 0, time.UTC), "C1", 10})
	set("Sheet1", "A3", []any{"李四", "134 1111 0002", "女", "1991/2/3", "C2", 20})
	if err := f.SetCellStyle("Sheet1", "D2", "D2", date); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("门店B"); err != nil {
		t.Fatal(err)
	}
	set("门店B", "A1", []any{"门店B 会员名单"})
	set("门店B", "A2", []any{"姓名", "手机"})
	set("门店B", "A3", []any{"张三", 13411110003})
	path := filepath.Join(dir, "会员.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportCheckShowsMappingAndSendsNothing(t *testing.T) {
	dir := isolate(t)
	file := writeWorkbook(t, dir)
	data := filepath.Join(dir, "history")
	r := runCLI(t, "", "import", "--check", file, "--map", "会员卡号=custom.card", "--data-dir", data, "--lang", "en")
	if r.code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"会员姓名  -> name", "手机号码  -> mobile", "出生日期  -> birthday", "会员卡号  -> custom.card", "积分      -> (ignored: no such field",
		`row 2: {"name":"王小二","mobile":"13411110001","gender":"male","birthday":"1990-01-02","custom":{"card":"C1"}}`,
		`mobile "134 1111 0002" -> "13411110002"`, `gender "女" -> "female"`, `birthday "1991/2/3" -> "1991-02-03"`,
		"2 rows, 2 valid, 0 invalid (xlsx", "normalised 手机号码 (mobile): 1 row(s)", "normalised 性别 (gender): 2 row(s)", "nothing was sent",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--check output lacks %q:\n%s", want, r.stdout)
		}
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("--check opened a history: %v", err)
	}
}

func TestImportWorkbookSheets(t *testing.T) {
	dir := isolate(t)
	file := writeWorkbook(t, dir)
	data := filepath.Join(dir, "history")
	r := runCLI(t, "", "import", file, "--data-dir", data, "--output", "json")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{`column 5 "会员卡号" fills no customer field and is ignored`, `column 6 "积分"`, "2 rows, 2 valid, 0 invalid (xlsx, utf-8)"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Count(r.stderr, "column 6") != 1 {
		t.Errorf("the unmapped column is not reported once:\n%s", r.stderr)
	}
	r = runCLI(t, "", "import", file, "--sheet", "门店B", "--data-dir", data, "--strict")
	if r.code != exitOK || !strings.Contains(r.stderr, `custdesk: row 1 "门店B 会员名单" is above the header: skipped as the sheet's title`) {
		t.Fatalf("--sheet: exit %d\n%s", r.code, r.stderr)
	}
	if r := runCLI(t, "", "import", file, "--strict", "--data-dir", data); r.code != exitBadInput || !strings.Contains(r.stderr, `"会员卡号" is not a customer field (--strict)`) {
		t.Errorf("--strict with unmapped columns: exit %d\n%s", r.code, r.stderr)
	}
	st, err := store.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	subs, err := st.List(context.Background(), store.Query{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range subs {
		b, _ := json.Marshal(s.Customer)
		got[s.Customer.Name] = string(b)
	}
	for name, want := range map[string]string{
		"王小二": `{"name":"王小二","mobile":"13411110001","gender":"male","birthday":"1990-01-02"}`,
		"李四":  `{"name":"李四","mobile":"13411110002","gender":"female","birthday":"1991-02-03"}`,
		"张三":  `{"name":"张三","mobile":"13411110003"}`,
	} {
		if got[name] != want {
			t.Errorf("history holds %s as %s, want %s", name, got[name], want)
		}
	}
}

func TestSubmitNormalisesAndSaysSo(t *testing.T) {
	isolate(t)
	typed := `{"name":" 王小二 ","mobile":"１３４ １１１１ １１１１","gender":"女士","birthday":"1990年1月2日"}`
	if r := runCLI(t, typed, "submit"); r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	r := runCLI(t, typed, "submit", "--dry-run", "--output", "json", "--platform", "youzan")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{`mobile "１３４ １１１１ １１１１" normalised to "13411111111"`, `gender "女士" normalised to "female"`, `birthday "1990年1月2日" normalised to "1990-01-02"`} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "name") {
		t.Errorf("a trim is reported:\n%s", r.stderr)
	}
	if !strings.Contains(r.stdout, `\"mobile\":\"13411111111\"`) || !strings.Contains(r.stdout, `\"birthday\":\"1990-01-02\"`) {
		t.Errorf("the request does not carry the canonical values:\n%s", r.stdout)
	}
	for _, c := range []struct{ in, want string }{
		{`{"name":"a","mobile":"13411111111","gender":"1"}`, "gender: gender 1 is ambiguous"},
		{`{"name":"a","mobile":"13411111111","birthday":"2099-01-01"}`, "birthday: a birthday cannot be in the future"},
		{`{"name":"a","mobile":"+852 1234 567"}`, "+852 (HK) numbers have 8 digits after the country code (this one has 7)"},
	} {
		r := runCLI(t, c.in, "submit", "--lang", "en")
		if r.code != exitBadInput || !strings.Contains(r.stderr, c.want) || !strings.Contains(r.stderr, "1 field error(s)") {
			t.Errorf("%s: exit %d\n%s\nwant exit 2, one error: %q", c.in, r.code, r.stderr, c.want)
		}
	}
}

// The CSV and the workbook of one list, and two sheets of one workbook,
// each get their own report of invalid rows.
func TestImportReportsDoNotOverwriteEachOther(t *testing.T) {
	dir := isolate(t)
	data := filepath.Join(dir, "history")
	f := excelize.NewFile()
	defer f.Close()
	if _, err := f.NewSheet("二月"); err != nil {
		t.Fatal(err)
	}
	for sheet, bad := range map[string]string{"Sheet1": "1341111", "二月": "13422222"} {
		for i, row := range [][]any{{"姓名", "手机"}, {"王小二", 13411119001}, {"坏行", bad}} {
			if err := f.SetSheetRow(sheet, "A"+strconv.Itoa(i+1), &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	book := filepath.Join(dir, "会员.xlsx")
	if err := f.SaveAs(book); err != nil {
		t.Fatal(err)
	}
	csvFile := filepath.Join(dir, "会员.csv")
	if err := os.WriteFile(csvFile, []byte("姓名,手机\n王小三,13411119002\n坏行,134333\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	runs := []struct {
		args   []string
		report string
		digits string // how long its bad mobile is
	}{
		{[]string{csvFile}, "会员.invalid.csv", "6"},
		{[]string{book}, "会员.xlsx.invalid.csv", "7"},
		{[]string{book, "--sheet", "二月"}, "会员.xlsx.二月.invalid.csv", "8"},
	}
	for _, run := range runs {
		r := runCLI(t, "", append([]string{"import", "--data-dir", data}, run.args...)...)
		if r.code != exitOK && r.code != exitNotOK {
			t.Fatalf("%v: exit %d\n%s", run.args, r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "written to "+filepath.Join(dir, run.report)) {
			t.Errorf("%v: the report is not %s:\n%s", run.args, run.report, r.stderr)
		}
	}
	for _, run := range runs {
		b, err := os.ReadFile(filepath.Join(dir, run.report))
		if err != nil || !strings.Contains(string(b), "this one has "+run.digits+")") {
			t.Errorf("%s: %v\n%s", run.report, err, b)
		}
	}
}
