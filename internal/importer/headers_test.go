package importer

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestHeaderTable(t *testing.T) {
	for header, field := range map[string]string{
		"姓名": "name", "名字": "name", "客户姓名": "name", "会员姓名": "name", "Name": "name", "Full Name": "name", "full_name": "name", "FULL-NAME": "name",
		"手机": "mobile", "手机号": "mobile", "手机号码": "mobile", "手机号码：": "mobile", " 手机 号码 ": "mobile", "移动电话": "mobile", "Mobile": "mobile", "Phone Number": "mobile",
		"电话": "phone", "固定电话": "phone", "座机": "phone",
		"性别": "gender", "生日": "birthday", "出生日期": "birthday", "Date of Birth": "birthday",
		"邮箱": "email", "电子邮件": "email", "E-mail": "email", "Ｅｍａｉｌ": "email",
		"省": "province", "省份": "province", "市": "city", "城市": "city", "区": "district", "区县": "district",
		"地址": "address", "详细地址": "address", "备注": "remark", "标签": "tags", "等级": "level", "会员等级": "level",
		"微信": "wechat", "微信号": "wechat", "昵称": "nickname", "first_name": "first_name", "custom.会员卡": "custom.会员卡",
	} {
		cols, maps, err := mapHeader([]string{header}, ColumnOptions{})
		got := ""
		if err == nil {
			got = maps[0].Field
		}
		if got != field {
			t.Errorf("header %q -> %q (%v), want %s", header, got, err, field)
		}
		if err == nil && cols[0].field == "" && cols[0].custom == "" {
			t.Errorf("header %q mapped but its column fills nothing", header)
		}
	}
}

func TestHeaderMapAndUnmapped(t *testing.T) {
	m, err := ParseMap("会员卡号=custom.card, Col3=remark ,积分=-")
	if err != nil {
		t.Fatal(err)
	}
	_, maps, err := mapHeader([]string{"姓名", "会员卡号", "", "积分", "门店"}, ColumnOptions{Map: m})
	if err != nil {
		t.Fatal(err)
	}
	want := []ColumnMap{{1, "姓名", "name", "table"}, {2, "会员卡号", "custom.card", "map"}, {3, "", "remark", "map"}, {4, "积分", "", "map"}, {5, "门店", "", ""}}
	for i, w := range want {
		if maps[i] != w {
			t.Errorf("column %d: %+v, want %+v", i+1, maps[i], w)
		}
	}
	c := Checked{Columns: maps}
	if u := c.Unmapped(); len(u) != 1 || u[0].Header != "门店" {
		t.Errorf("unmapped %+v, want only 门店 (积分 is ignored on purpose)", u)
	}
	if _, _, err := mapHeader([]string{"姓名", "门店"}, ColumnOptions{Strict: true}); err == nil || !strings.Contains(err.Error(), `column 2 "门店" is not a customer field (--strict)`) {
		t.Errorf("strict: %v", err)
	}
	for _, tc := range []struct {
		header []string
		m, err string
	}{
		{[]string{"手机", "手机号码"}, "", `columns 1 "手机" and 2 "手机号码" both map to mobile`},
		{[]string{"姓名"}, "卡号=custom.card", `no column is headed "卡号"`},
	} {
		m, _ := ParseMap(tc.m)
		if _, _, err := mapHeader(tc.header, ColumnOptions{Map: m}); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%v %q: %v, want %q", tc.header, tc.m, err, tc.err)
		}
	}
	for _, bad := range []string{"a", "a=", "a=mobil", "=name"} {
		if _, err := ParseMap(bad); err == nil {
			t.Errorf("ParseMap(%q) accepted", bad)
		}
	}
	// Values in ignored columns are not row problems.
	rows, _ := readAll(t, []byte("姓名,手机,门店\n王小二,13411111111,西湖店\n"), FormatCSV, EncodingAuto)
	if len(rows) != 1 || len(rows[0].Problems) != 0 || rows[0].Customer.Mobile != "13411111111" {
		t.Errorf("%+v", rows)
	}
}

// A workbook resumes as a CSV does, and each sheet is its own file.
func TestXLSXResume(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.xlsx")
	first, second := writeMembersWorkbook(t, path)
	sb := startSandbox(t)
	ps := sandboxPlatforms(t, sb.URL)
	st := openStore(t, filepath.Join(dir, "data"))
	opts := Options{Platforms: ps, Store: st, Backoff: fastBackoff}
	in := Input{Path: path, Columns: ColumnOptions{Map: map[string]string{"会员卡号": "custom.card"}}}
	for run, wantOK := range []int{len(first), 0} {
		c, sum, err := importFile(t, context.Background(), in, opts, filepath.Join(dir, "r.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(c.Digest, "#会员") {
			t.Errorf("digest %s does not name the sheet", c.Digest)
		}
		for _, p := range sum.Platforms {
			if p.OK != wantOK || p.OK+p.AlreadyOK != len(first) {
				t.Errorf("run %d %s: %d ok, %d already; want %d ok of %d", run+1, p.Platform, p.OK, p.AlreadyOK, wantOK, len(first))
			}
		}
	}
	_, sum, err := importFile(t, context.Background(), Input{Path: path, Sheet: "新会员"}, opts, filepath.Join(dir, "r.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range sum.Platforms {
		if p.OK != len(second) {
			t.Errorf("second sheet %s: %d ok, want %d: its rows are not the first sheet's", p.Platform, p.OK, len(second))
		}
	}
	if _, err := Check(context.Background(), Input{Path: path, Sheet: "无"}, ps, nil); err == nil || !strings.Contains(err.Error(), "its sheets are 会员, 新会员") {
		t.Errorf("unknown sheet: %v", err)
	}
}
