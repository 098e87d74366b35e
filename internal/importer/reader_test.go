package importer

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/custdesk/custdesk/platforms"
)

func gbk(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readAll(t *testing.T, data []byte, format Format, enc Encoding) ([]Row, *Reader) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(data), format, enc)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	var rows []Row
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rows, r
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		rows = append(rows, row)
	}
}

const sampleCSV = "name,mobile,tags,member,custom.vip,custom.来源\r\n" +
	"王小二,13411111111,a;b,是,gold,门店\r\n" +
	"\r\n" +
	",,,,,\r\n" +
	"李四,+852-12344567,,false,,\r\n"

func wantSample(t *testing.T, rows []Row) {
	t.Helper()
	if len(rows) != 2 {
		t.Fatalf("got %d rows, want 2 (blank and all-empty rows skipped): %+v", len(rows), rows)
	}
	want0 := platforms.Customer{Name: "王小二", Mobile: "13411111111", Tags: []string{"a", "b"}, Member: platforms.Bool(true),
		Custom: map[string]string{"vip": "gold", "来源": "门店"}}
	if rows[0].Line != 2 || !reflect.DeepEqual(rows[0].Customer, want0) || len(rows[0].Problems) != 0 {
		t.Errorf("row 0 = %+v, want line 2 %+v", rows[0], want0)
	}
	want1 := platforms.Customer{Name: "李四", Mobile: "+852-12344567", Member: platforms.Bool(false)}
	if rows[1].Line != 5 || !reflect.DeepEqual(rows[1].Customer, want1) {
		t.Errorf("row 1 = %+v, want line 5 %+v", rows[1], want1)
	}
}

func TestCSVEncodings(t *testing.T) {
	utf16 := func(s string) []byte {
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := []struct {
		name string
		data []byte
		enc  Encoding
		want Encoding
	}{
		{"utf-8", []byte(sampleCSV), EncodingAuto, EncodingUTF8},
		{"utf-8 BOM", append(append([]byte{}, bomUTF8...), sampleCSV...), EncodingAuto, EncodingUTF8},
		{"utf-8 BOM explicit", append(append([]byte{}, bomUTF8...), sampleCSV...), EncodingUTF8, EncodingUTF8},
		{"gbk auto", gbk(t, sampleCSV), EncodingAuto, EncodingGBK},
		{"gbk explicit", gbk(t, sampleCSV), EncodingGBK, EncodingGBK},
		{"utf-16 tab-separated", utf16(strings.ReplaceAll(sampleCSV, ",", "\t")), EncodingAuto, EncodingUTF16},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, r := readAll(t, c.data, FormatCSV, c.enc)
			wantSample(t, rows)
			if r.Encoding() != c.want {
				t.Errorf("encoding %q, want %q", r.Encoding(), c.want)
			}
		})
	}
}

// GBK detection must not be fooled by a long ASCII start: the decision waits
// for the first non-ASCII byte, however far into the file it is.
func TestAutoDetectsLateGBK(t *testing.T) {
	var b strings.Builder
	b.WriteString("name,mobile,remark\n")
	for i := 0; i < 3000; i++ {
		b.WriteString("Tom,13411111111,plain ascii\n")
	}
	b.WriteString("张三,13411111112,备注\n")
	rows, r := readAll(t, gbk(t, b.String()), FormatCSV, EncodingAuto)
	last := rows[len(rows)-1]
	if last.Customer.Name != "张三" || last.Customer.Remark != "备注" || last.Line != 3002 {
		t.Fatalf("last row %+v", last)
	}
	if r.Encoding() != EncodingGBK {
		t.Errorf("encoding %q", r.Encoding())
	}
}

func TestWrongEncodingIsARowProblem(t *testing.T) {
	rows, _ := readAll(t, gbk(t, "name,mobile,remark\n王小二,13411111111,\n张三,13411111112,备注\n"), FormatCSV, EncodingUTF8)
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, row := range rows {
		if len(row.Problems) == 0 || row.Problems[0].Rule != RuleEncoding || row.Problems[0].Row != row.Line {
			t.Errorf("row %d: problems %+v, want an encoding problem", row.Line, row.Problems)
		}
	}
	// Bytes that are not GB18030 either become U+FFFD when decoding; that is
	// reported, not passed on as a name with a replacement character.
	rows, _ = readAll(t, []byte("name,mobile\n\xff\xff,13411111111\n"), FormatCSV, EncodingGBK)
	if len(rows) != 1 || len(rows[0].Problems) != 1 || rows[0].Problems[0].Field != "name" {
		t.Errorf("undecodable GBK: %+v", rows)
	}
}

func TestHeaderIsInAnyEncoding(t *testing.T) {
	_, err := NewReader(bytes.NewReader(gbk(t, "姓名,mobile\n")), FormatCSV, EncodingUTF8)
	if err == nil || !strings.Contains(err.Error(), "encoding") {
		t.Errorf("GBK header read as UTF-8: err %v", err)
	}
}

func TestBOMContradictingEncoding(t *testing.T) {
	_, err := NewReader(bytes.NewReader(append(append([]byte{}, bomUTF8...), "name\n"...)), FormatCSV, EncodingGBK)
	if err == nil || !strings.Contains(err.Error(), "byte order mark") {
		t.Errorf("err %v", err)
	}
}

func TestCSVHeaderErrors(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{"", "empty"},
		{"\n\n", "empty"},
		{"name,Name\n", `columns 1 "name" and 2 "Name" both map to name`},
		{"custom.a,custom.a\n", "both map to custom.a"},
		{"姓名,name\n", "both map to name"},
		{",,\n,\n", "empty"},
	} {
		_, err := NewReader(strings.NewReader(c.data), FormatCSV, EncodingAuto)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err %v, want %q", c.data, err, c.want)
		}
	}
}

func TestCSVRowProblems(t *testing.T) {
	data := "Name, Mobile ,member,,custom\n" +
		"a,13411111111,maybe,,\n" + // member value
		"b,13411111112,,stray,\n" + // value under a column with no header
		"c,13411111113,,,,extra\n" + // more values than header cells
		"\"d\nstill d\",13411111114,,,\n" + // a quoted newline: the row keeps its first line
		"e,13411111115,,,{bad\n" +
		"f\"g,13411111116,,,\n" + // bare quote
		"h,13411111117,,,k=v;x=y\n"
	rows, _ := readAll(t, []byte(data), FormatCSV, EncodingAuto)
	lines := []int{}
	for _, r := range rows {
		lines = append(lines, r.Line)
	}
	if !reflect.DeepEqual(lines, []int{2, 3, 4, 5, 7, 8, 9}) {
		t.Fatalf("lines %v", lines)
	}
	want := []struct {
		field, rule string
	}{{"member", RuleValue}, {"", RuleColumns}, {"", RuleColumns}, {}, {"custom", RuleValue}, {"", RuleColumns}, {}}
	for i, w := range want {
		got := rows[i].Problems
		if w.rule == "" {
			if len(got) != 0 {
				t.Errorf("line %d: unexpected problems %+v", rows[i].Line, got)
			}
			continue
		}
		if len(got) != 1 || got[0].Field != w.field || got[0].Rule != w.rule || got[0].Row != rows[i].Line || got[0].En == "" || got[0].Zh == "" {
			t.Errorf("line %d: problems %+v, want field %q rule %q", rows[i].Line, got, w.field, w.rule)
		}
	}
	if rows[3].Customer.Name != "d\nstill d" {
		t.Errorf("quoted newline: %q", rows[3].Customer.Name)
	}
	if !reflect.DeepEqual(rows[6].Customer.Custom, map[string]string{"k": "v", "x": "y"}) {
		t.Errorf("custom: %v", rows[6].Customer.Custom)
	}
}

func TestCSVRunawayQuoteIsAnError(t *testing.T) {
	data := "name,mobile\n\"unclosed," + strings.Repeat("x\n", MaxLine) + "\n"
	r, err := NewReader(strings.NewReader(data), FormatCSV, EncodingAuto)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err == nil || !strings.Contains(err.Error(), "unclosed quote") {
		t.Fatalf("err %v", err)
	}
}

func TestJSONL(t *testing.T) {
	long := `{"name":"` + strings.Repeat("x", MaxLine) + `"}`
	data := "\ufeff" + `{"name":"王小二","mobile":"13411111111","tags":["a"],"custom":{"k":"v"}}` + "\r\n" +
		"\n" +
		`{"name":"x","mobil":"1"}` + "\n" +
		`{"name":1}` + "\n" +
		`not json` + "\n" +
		long + "\n" +
		`{"name":"a"} {"name":"b"}` + "\n" +
		`  {"name":"last, no newline"}  `
	rows, r := readAll(t, []byte(data), "", EncodingAuto)
	if r.Format() != FormatJSONL {
		t.Fatalf("format %q", r.Format())
	}
	type want struct {
		line        int
		field, rule string
	}
	wants := []want{{1, "", ""}, {3, "mobil", RuleJSON}, {4, "name", RuleJSON}, {5, "", RuleJSON}, {6, "", RuleTooLong}, {7, "", RuleJSON}, {8, "", ""}}
	if len(rows) != len(wants) {
		t.Fatalf("%d rows: %+v", len(rows), rows)
	}
	for i, w := range wants {
		row := rows[i]
		if row.Line != w.line {
			t.Errorf("row %d line %d, want %d", i, row.Line, w.line)
		}
		if w.rule == "" {
			if len(row.Problems) != 0 {
				t.Errorf("line %d problems %+v", row.Line, row.Problems)
			}
			continue
		}
		if len(row.Problems) != 1 || row.Problems[0].Rule != w.rule || row.Problems[0].Field != w.field {
			t.Errorf("line %d problems %+v, want %s/%s", row.Line, row.Problems, w.field, w.rule)
		}
	}
	if !reflect.DeepEqual(rows[0].Customer, platforms.Customer{Name: "王小二", Mobile: "13411111111", Tags: []string{"a"}, Custom: map[string]string{"k": "v"}}) {
		t.Errorf("first: %+v", rows[0].Customer)
	}
	if rows[6].Customer.Name != "last, no newline" {
		t.Errorf("last: %+v", rows[6].Customer)
	}
}

func TestJSONLInGBK(t *testing.T) {
	rows, r := readAll(t, gbk(t, `{"name":"王小二","mobile":"13411111111"}`+"\n"), FormatJSONL, EncodingAuto)
	if len(rows) != 1 || rows[0].Customer.Name != "王小二" || r.Encoding() != EncodingGBK {
		t.Fatalf("%+v %s", rows, r.Encoding())
	}
}

func TestFormatOfAndSniff(t *testing.T) {
	for path, want := range map[string]Format{"a.CSV": FormatCSV, "a.tsv": FormatCSV, "b.jsonl": FormatJSONL, "c.ndjson": FormatJSONL, "d.xlsx": FormatXLSX, "e.XLSM": FormatXLSX, "f.xls": ""} {
		if got := FormatOf(path); got != want {
			t.Errorf("FormatOf(%q) = %q, want %q", path, got, want)
		}
	}
	for data, want := range map[string]Format{"\n\n  {\"name\":\"a\"}": FormatJSONL, "name\na\n": FormatCSV, "": FormatCSV} {
		r, err := NewReader(strings.NewReader(data), "", EncodingAuto)
		if want == FormatCSV && data == "" {
			if err == nil {
				t.Errorf("empty file accepted")
			}
			continue
		}
		if err != nil || r.Format() != want {
			t.Errorf("sniff %q: %v %v, want %q", data, r, err, want)
		}
	}
}

func TestLooksUTF8(t *testing.T) {
	full := []byte("名字")
	cut := full[:len(full)-1]
	if !looksUTF8(cut, false) {
		t.Error("a rune cut by the window end is not evidence against UTF-8")
	}
	if looksUTF8(cut, true) {
		t.Error("a file ending mid-rune is not UTF-8")
	}
	if looksUTF8(gbk(t, "王小二"), false) {
		t.Error("GBK taken for UTF-8")
	}
}

func TestParseEncoding(t *testing.T) {
	for in, want := range map[string]Encoding{"": EncodingAuto, "AUTO": EncodingAuto, "utf8": EncodingUTF8, "GB18030": EncodingGBK, "gbk": EncodingGBK} {
		if got, err := ParseEncoding(in); err != nil || got != want {
			t.Errorf("ParseEncoding(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseEncoding("latin1"); err == nil {
		t.Error("latin1 accepted")
	}
}
