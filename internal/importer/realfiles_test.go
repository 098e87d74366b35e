package importer

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/custdesk/custdesk/platforms"
)

// want is a row's customer as history must hold it, normalised.
type want struct {
	line                                    int
	name, mobile, gender, birthday, email   string
	province, city, address, remark, custom string
}

// writeMembersWorkbook builds a workbook as a POS export looks: Chinese
// headers, mobiles stored as numbers, birthdays as date cells in three date
// formats (and one typed as text), an unmapped column, styled empty cells
// past the data, and a second sheet of other members.
func writeMembersWorkbook(t *testing.T, path string) (first, second []want) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "会员"))
	isoDate, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	slashFmt := "yyyy/m/d"
	slash, err := f.NewStyle(&excelize.Style{CustomNumFmt: &slashFmt})
	must(err)
	cnFmt := `yyyy"年"m"月"d"日"`
	cn, err := f.NewStyle(&excelize.Style{CustomNumFmt: &cnFmt})
	must(err)
	must(f.SetSheetRow("会员", "A1", &[]any{"会员姓名", "手机号码", "性别", "出生日期", "电子邮件", "省份", "城市", "详细地址", "备注", "会员卡号", "积分"}))
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	rows := []struct {
		cells []any
		style int
		w     want
	}{
		{[]any{"王小二", 13411110001, "男", day(1990, 1, 2), "wang@example.com", "浙江省", "杭州市", "文三路 1 号", "老客户", "C001", 120}, isoDate,
			want{2, "王小二", "13411110001", "male", "1990-01-02", "wang@example.com", "浙江省", "杭州市", "文三路 1 号", "老客户", "C001"}},
		{[]any{"李四", 13411110002, "女", day(1985, 12, 31), "", "浙江省", "宁波市", "", "", "C002", 5}, slash,
			want{3, "李四", "13411110002", "female", "1985-12-31", "", "浙江省", "宁波市", "", "", "C002"}},
		{[]any{" 张三 ", 13411110003.0, "先生", day(2001, 7, 9), "ＺＨＡＮＧ＠ｅｘａｍｐｌｅ．ｃｏｍ", "", "", "", "", "C003", nil}, cn,
			want{4, "张三", "13411110003", "male", "2001-07-09", "ZHANG@example.com", "", "", "", "", "C003"}},
		{[]any{"赵六", "134 1111 0004", "F", "1979年3月4日", "", "", "", "", "", "C004", 0}, 0,
			want{5, "赵六", "13411110004", "female", "1979-03-04", "", "", "", "", "", "C004"}},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		must(f.SetSheetRow("会员", cell, &r.cells))
		if r.style != 0 {
			d, _ := excelize.CoordinatesToCellName(4, i+2)
			must(f.SetCellStyle("会员", d, d, r.style))
		}
		first = append(first, r.w)
	}
	// Formatting past the data: empty styled cells, rows and columns that
	// must not become rows or columns.
	must(f.SetCellStyle("会员", "A8", "P12", slash))
	must(f.SetCellStyle("会员", "L1", "N6", slash))

	_, err = f.NewSheet("新会员")
	must(err)
	must(f.SetSheetRow("新会员", "A1", &[]any{"姓名", "手机", "性别", "生日"}))
	must(f.SetSheetRow("新会员", "A2", &[]any{"孙七", 8613411110005, "女士", day(1999, 9, 9)}))
	must(f.SetCellStyle("新会员", "D2", "D2", isoDate))
	must(f.SetSheetRow("新会员", "A4", &[]any{"周八", "+86 134-1111-0006", "保密", 36161})) // a serial number typed as a number
	second = []want{
		{line: 2, name: "孙七", mobile: "13411110005", gender: "female", birthday: "1999-09-09"},
		{line: 4, name: "周八", mobile: "13411110006", gender: "unknown", birthday: "1999-01-01"},
	}
	must(f.SaveAs(path))
	return first, second
}

func gbkBytes(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The acceptance test: real files as stores have them, each
// imported to all three platforms on the sandbox, every row ok and history
// holding the normalised values.
func TestImportRealWorldFiles(t *testing.T) {
	dir := t.TempDir()
	xlsxPath := filepath.Join(dir, "会员导出.xlsx")
	first, second := writeMembersWorkbook(t, xlsxPath)

	gbkPath := filepath.Join(dir, "members-gbk.csv")
	if err := os.WriteFile(gbkPath, gbkBytes(t, "姓名,手机,性别,生日,邮箱,省份,城市,地址,备注\r\n"+
		"钱一,134 1111 2001,男,1990/1/2,,浙江省,杭州市,文三路 2 号,\r\n"+
		"孙二,(134) 1111-2002,女性,1990.1.2,sun@example.com,,,,会员\r\n"+
		",,,,,,,,\r\n"+
		"吴三,+86 13411112003,女,19900102,,,,,\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	utf8Path := filepath.Join(dir, "members-en.csv")
	if err := os.WriteFile(utf8Path, []byte("Full Name,Phone Number,Sex,Date of Birth,E-mail,Member Level,WeChat ID,Points\n"+
		"Li Lei,0086-134-1111-3001,M,1990-1-2,ＬＩ＠ｅｘａｍｐｌｅ．ｃｏｍ,2,ｗｘｉｄ＿ｌｉ,10\n"+
		"Han Meimei,１３４１１１１３００２,female,1990年1月2日,han@example.com,3,,20\n"+
		"Jim,134.1111.3003,Unknown,32875,,,,\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name     string
		in       Input
		rows     []want
		unmapped []string
		norm     map[string]int // field -> rows normalised
	}{
		{"xlsx first sheet", Input{Path: xlsxPath, Columns: ColumnOptions{Map: map[string]string{"会员卡号": "custom.card"}}},
			first, []string{"积分"}, map[string]int{"gender": 4, "mobile": 1, "email": 1}},
		{"xlsx second sheet", Input{Path: xlsxPath, Sheet: "新会员"}, second, nil, map[string]int{"mobile": 2, "gender": 2}},
		{"gbk csv", Input{Path: gbkPath}, []want{
			{line: 2, name: "钱一", mobile: "13411112001", gender: "male", birthday: "1990-01-02", province: "浙江省", city: "杭州市", address: "文三路 2 号"},
			{line: 3, name: "孙二", mobile: "13411112002", gender: "female", birthday: "1990-01-02", email: "sun@example.com", remark: "会员"},
			{line: 5, name: "吴三", mobile: "13411112003", gender: "female", birthday: "1990-01-02"},
		}, nil, map[string]int{"mobile": 3, "gender": 3, "birthday": 3}},
		{"utf-8 csv english", Input{Path: utf8Path}, []want{
			{line: 2, name: "Li Lei", mobile: "13411113001", gender: "male", birthday: "1990-01-02", email: "LI@example.com"},
			{line: 3, name: "Han Meimei", mobile: "13411113002", gender: "female", birthday: "1990-01-02", email: "han@example.com"},
			{line: 4, name: "Jim", mobile: "13411113003", gender: "unknown", birthday: "1990-01-02"},
		}, []string{"Points"}, map[string]int{"mobile": 3, "gender": 2, "birthday": 3, "email": 1, "wechat": 1}}, // "female" is already canonical
	}
	sb := startSandbox(t)
	ps := sandboxPlatforms(t, sb.URL)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t, filepath.Join(dir, "data"+string(rune('a'+i))))
			c, sum, err := importFile(t, context.Background(), tc.in, Options{Platforms: ps, Store: st, Backoff: fastBackoff}, filepath.Join(dir, "report.csv"))
			if err != nil {
				t.Fatal(err)
			}
			if c.Rows != len(tc.rows) || c.Valid != len(tc.rows) {
				t.Fatalf("checked %d rows, %d valid; want %d valid (see %s)", c.Rows, c.Valid, len(tc.rows), reportText(t, filepath.Join(dir, "report.csv")))
			}
			if !sum.AllOK() {
				t.Fatalf("not all ok: %+v %+v", sum.Platforms, sum.NotOK)
			}
			var unmapped []string
			for _, m := range c.Unmapped() {
				unmapped = append(unmapped, m.Header)
			}
			if !slices.Equal(unmapped, tc.unmapped) {
				t.Errorf("unmapped columns %v, want %v", unmapped, tc.unmapped)
			}
			got := map[string]int{}
			for _, n := range sum.Normalised {
				got[n.Field] = n.Rows
			}
			for f, n := range tc.norm {
				if got[f] != n {
					t.Errorf("normalised %s in %d rows, want %d (all: %+v)", f, got[f], n, sum.Normalised)
				}
			}
			var text bytes.Buffer
			if err := sum.WriteText(&text); err != nil || !strings.Contains(text.String(), "normalised ") {
				t.Errorf("summary does not list normalisations: %v\n%s", err, text.String())
			}
			lines := make([]int, len(tc.rows))
			for i, w := range tc.rows {
				lines[i] = w.line
			}
			found, err := st.FindImports(context.Background(), c.Digest, slices.Min(lines), slices.Max(lines))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.rows {
				subs := found[w.line]
				if len(subs) != 1 {
					t.Fatalf("row %d: %d submissions in history", w.line, len(subs))
				}
				checkCustomer(t, w, subs[0].Customer)
				for _, p := range []string{"alsc", "youzan", "nxlink"} {
					if s := subs[0].States[p]; s.Outcome != platforms.OK {
						t.Errorf("row %d %s: %+v", w.line, p, s)
					}
				}
			}
		})
	}
}

func checkCustomer(t *testing.T, w want, c platforms.Customer) {
	t.Helper()
	got := want{w.line, c.Name, c.Mobile, c.Gender, c.Birthday, c.Email, c.Province, c.City, c.Address, c.Remark, c.Custom["card"]}
	if got != w {
		t.Errorf("row %d in history:\n got %+v\nwant %+v", w.line, got, w)
	}
}

func reportText(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A workbook's cells as excelize reads them, stored and shown: dates in any
// date format become ISO dates from the serial, numbers in number formats
// keep their digits.
func TestCellText(t *testing.T) {
	for _, tc := range []struct{ stored, shown, want string }{
		{"32875", "1990/1/2", "1990-01-02"},
		{"32875", "01-02-90", "1990-01-02"},
		{"32875", "1990年1月2日", "1990-01-02"},
		{"32875", "2-Jan-90", "1990-01-02"},
		{"32875.5", "1/2/90 12:00", "1990-01-02"},
		{"32875", "32,875.00", "32875"},
		{"32875", "32875", "32875"},
		{"13411110001", "134-1111-0001", "13411110001"},
		{"13411110001", "1.34E+10", "13411110001"},
		{"1.3411110001E10", "1.34E+10", "13411110001"},
		{"0086134", "0086134", "0086134"}, // text that looks numeric stays text
		{"王小二", "王小二", "王小二"},
		{"1", "TRUE", "1"},
	} {
		if got := cellText(tc.stored, tc.shown, false); got != tc.want {
			t.Errorf("cellText(%q, %q) = %q, want %q", tc.stored, tc.shown, got, tc.want)
		}
	}
}
