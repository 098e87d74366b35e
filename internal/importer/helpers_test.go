package importer

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

// genFile describes a generated import file and what a correct import of it
// must find.
type genFile struct {
	path    string
	rows    int   // rows with content
	valid   []int // line numbers of valid rows
	invalid []int // line numbers of invalid rows
}

// genOptions shape a generated file.
type genOptions struct {
	rows    int    // customer rows (blank lines come on top)
	gbk     bool   // encode as GBK (else UTF-8)
	bom     bool   // start with a UTF-8 byte order mark
	crlf    bool   // Windows line endings
	invalid bool   // mix in invalid rows
	seed    int    // varies the mobiles so that files do not collide
	jsonl   bool   // JSONL instead of CSV
	dir     string // where to write
}

var surnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"}

// generate writes a customer file: names in Chinese, unique mainland mobiles,
// blank lines and spreadsheet-empty rows every so often, and, when asked, one
// invalid row in twenty with a defect of a different kind each time. It
// streams, so it can write files far larger than memory should ever hold.
func generate(t testing.TB, o genOptions) genFile {
	t.Helper()
	ext := ".csv"
	if o.jsonl {
		ext = ".jsonl"
	}
	path := filepath.Join(o.dir, fmt.Sprintf("customers-%d-%d%s", o.rows, o.seed, ext))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var w io.Writer = f
	var gw io.WriteCloser
	if o.gbk {
		gw = transform.NewWriter(f, simplifiedchinese.GBK.NewEncoder())
		w = gw
	}
	nl := "\n"
	if o.crlf {
		nl = "\r\n"
	}
	if o.bom {
		if _, err := f.Write(bomUTF8); err != nil {
			t.Fatal(err)
		}
	}
	g := genFile{path: path, rows: o.rows}
	line := 0
	write := func(s string) {
		if _, err := io.WriteString(w, s+nl); err != nil {
			t.Fatal(err)
		}
		line++
	}
	if !o.jsonl {
		write("name,mobile,email,gender,birthday,province,city,address,tags,level,member,remark,custom.会员卡")
	}
	for i := 1; i <= o.rows; i++ {
		if i%97 == 0 {
			write("")
		}
		if i%131 == 0 && !o.jsonl {
			write(",,,,,,,,,,,,")
		}
		c := platforms.Customer{
			Name:     surnames[i%len(surnames)] + "客户" + strconv.Itoa(i),
			Mobile:   fmt.Sprintf("13%d%08d", 4+o.seed%6, i),
			Gender:   []string{"male", "female", "", "unknown"}[i%4],
			Birthday: fmt.Sprintf("19%02d-%02d-%02d", 50+i%50, 1+i%12, 1+i%28),
			Province: "浙江省", City: "杭州市", Address: "文三路 " + strconv.Itoa(i) + " 号",
			Tags: []string{"导入", "批次" + strconv.Itoa(i%7)}, Level: strconv.Itoa(1 + i%5),
			Remark: "第 " + strconv.Itoa(i) + " 位", Custom: map[string]string{"会员卡": "C" + strconv.Itoa(i)},
		}
		if i%3 == 0 {
			c.Email = fmt.Sprintf("c%d@example.com", i)
		}
		member := ""
		if i%5 == 0 {
			member = "否"
		}
		bad := o.invalid && i%20 == 7
		if bad {
			switch (i / 20) % 6 {
			case 0:
				c.Mobile = "12345" // no platform takes it
			case 1:
				c.Birthday = "2020-13-01"
			case 2:
				c.Gender = "x"
			case 3:
				c.Name = "" // NXLink needs full_name
			case 4:
				c.Level = "9" // NXLink weight is 1..5
			case 5:
				c.Email = "not-an-email"
			}
		}
		if o.jsonl {
			write(jsonLine(t, c, member))
		} else {
			write(csvLine(c, member))
		}
		if bad {
			g.invalid = append(g.invalid, line)
		} else {
			g.valid = append(g.valid, line)
		}
	}
	if gw != nil {
		if err := gw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	return g
}

func csvLine(c platforms.Customer, member string) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write([]string{c.Name, c.Mobile, c.Email, c.Gender, c.Birthday, c.Province, c.City, c.Address,
		strings.Join(c.Tags, ";"), c.Level, member, c.Remark, c.Custom["会员卡"]})
	w.Flush()
	return strings.TrimSuffix(b.String(), "\n")
}

func jsonLine(t testing.TB, c platforms.Customer, member string) string {
	if member != "" {
		c.Member = platforms.Bool(false)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sandboxPlatforms are the real clients pointed at a sandbox, as `custdesk`
// builds them with no configuration file.
func sandboxPlatforms(t testing.TB, url string) []platforms.Platform {
	t.Helper()
	ps, err := config.Sandbox(url).Build()
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func startSandbox(t testing.TB) *sandbox.Running {
	t.Helper()
	sb, err := sandbox.Start(sandbox.Demo(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	return sb
}

func openStore(t testing.TB, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// importFile checks and imports a file, writing the report to reportPath.
func importFile(t testing.TB, ctx context.Context, in Input, opts Options, reportPath string) (Checked, Summary, error) {
	t.Helper()
	rf, err := os.Create(reportPath)
	if err != nil {
		t.Fatal(err)
	}
	defer rf.Close()
	rw, err := NewReportWriter(rf, "en")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Check(ctx, in, opts.Platforms, rw.Add)
	if err != nil {
		return c, Summary{}, err
	}
	if err := rw.Flush(); err != nil {
		t.Fatal(err)
	}
	imp, err := Start(ctx, c, opts)
	if err != nil {
		return c, Summary{}, err
	}
	sum, err := imp.Wait()
	return c, sum, err
}

// reportRows reads a report file back: the set of row numbers in it, and
// checks every line is well formed.
func reportRows(t testing.TB, path string) []int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), string(bomUTF8)) {
		t.Errorf("report does not start with a UTF-8 byte order mark")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), string(bomUTF8)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) == 0 || !slices.Equal(recs[0], []string{"row", "field", "platform", "rule", "message"}) {
		t.Fatalf("report header %v", recs[:min(1, len(recs))])
	}
	var rows []int
	for _, r := range recs[1:] {
		n, err := strconv.Atoi(r[0])
		if err != nil || r[3] == "" || r[4] == "" {
			t.Errorf("report line %v", r)
		}
		if !slices.Contains(rows, n) {
			rows = append(rows, n)
		}
	}
	slices.Sort(rows)
	return rows
}

// states returns, per valid line, the latest state of each platform in
// history.
func states(t testing.TB, st *store.Store, digest string, lines []int) map[int]map[string]store.PlatformState {
	t.Helper()
	found, err := st.FindImports(context.Background(), digest, slices.Min(lines), slices.Max(lines))
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]map[string]store.PlatformState{}
	for line, subs := range found {
		m := map[string]store.PlatformState{}
		for _, sub := range subs {
			for _, p := range sub.Platforms {
				m[p] = sub.States[p]
			}
		}
		out[line] = m
	}
	return out
}

func fastBackoff(int) time.Duration { return time.Millisecond }

var sandboxPaths = map[string]string{"alsc": sandbox.PathALSC, "youzan": sandbox.PathYouzan, "nxlink": sandbox.PathNXLink}
