package store

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

var day0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// seedHistory stores a small varied history and returns the IDs by label.
func seedHistory(t *testing.T, st *Store) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	ids := map[string]int64{}
	add := func(label string, c platforms.Customer, when time.Time, outcomes map[string]platforms.Outcome) {
		var names []string
		for _, p := range []string{"alsc", "youzan", "nxlink"} {
			if _, ok := outcomes[p]; ok {
				names = append(names, p)
			}
		}
		// A request ID of letters only: a random one holds a searched
		// fragment ("1111") now and then.
		sub := Submission{Customer: c, Platforms: names, Created: when, Source: SourceConsole,
			RequestID: "rq-" + strings.Repeat("Q", len(ids)+1)}
		if err := st.Begin(ctx, &sub); err != nil {
			t.Fatal(err)
		}
		for p, o := range outcomes {
			if o == "" {
				continue
			}
			ex := platforms.Exchange{Platform: p, Status: 200, Result: platforms.Result{Outcome: o, Code: "c-" + string(o)}}
			if o == platforms.OK {
				ex.Result.CustomerIDs = []string{fmt.Sprintf("9%018d", sub.ID)}
			}
			if _, err := st.Record(ctx, sub.ID, ex); err != nil {
				t.Fatal(err)
			}
		}
		ids[label] = sub.ID
	}
	add("wang", platforms.Customer{Name: "王小二", Mobile: "13411111111", Email: "wang@example.com"}, day0,
		map[string]platforms.Outcome{"alsc": platforms.OK, "youzan": platforms.Unknown})
	add("li", platforms.Customer{Name: "李四", Mobile: "+8613522222222"}, day0.Add(24*time.Hour),
		map[string]platforms.Outcome{"nxlink": platforms.Rejected})
	add("hk", platforms.Customer{Name: "Chan Tai Man", Mobile: "+852-12344567"}, day0.Add(48*time.Hour),
		map[string]platforms.Outcome{"youzan": platforms.OK, "nxlink": platforms.Failed})
	add("pending", platforms.Customer{Name: "王五", Mobile: "13633333333"}, day0.Add(72*time.Hour),
		map[string]platforms.Outcome{"alsc": ""})
	add("odd", platforms.Customer{Name: `50% "off" _x_`, Mobile: "13744444444"}, day0.Add(96*time.Hour),
		map[string]platforms.Outcome{"alsc": platforms.OK})
	return ids
}

func TestListAndCount(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	ids := seedHistory(t, st)
	cases := []struct {
		name string
		q    Query
		want []string // newest first
	}{
		{"all newest first", Query{}, []string{"odd", "pending", "hk", "li", "wang"}},
		{"chinese name, three characters", Query{Text: "王小二"}, []string{"wang"}},
		{"chinese name, two characters", Query{Text: "李四"}, []string{"li"}},
		{"one character", Query{Text: "王"}, []string{"pending", "wang"}},
		{"mobile fragment", Query{Text: "1111"}, []string{"wang"}},
		{"mobile typed with +86 found by digits", Query{Text: "13522222222"}, []string{"li"}},
		{"mobile typed as digits found by E.164", Query{Text: "+8613411111111"}, []string{"wang"}},
		{"email", Query{Text: "wang@example"}, []string{"wang"}},
		{"case-insensitive", Query{Text: "chan tai"}, []string{"hk"}},
		{"words all match", Query{Text: "Chan 4567"}, []string{"hk"}},
		{"words all match, none", Query{Text: "Chan 1111"}, nil},
		{"customer id", Query{Text: fmt.Sprintf("9%018d", ids["hk"])}, []string{"hk"}},
		{"quotes and wildcards are literal", Query{Text: `50% "off"`}, []string{"odd"}},
		{"underscore literal", Query{Text: "_x"}, []string{"odd"}},
		{"percent alone", Query{Text: "%"}, []string{"odd"}},
		{"platform", Query{Platform: "nxlink"}, []string{"hk", "li"}},
		{"outcome", Query{Outcome: platforms.OK}, []string{"odd", "hk", "wang"}},
		{"outcome on platform", Query{Outcome: platforms.OK, Platform: "youzan"}, []string{"hk"}},
		{"unknown", Query{Outcome: platforms.Unknown}, []string{"wang"}},
		{"pending", Query{Outcome: OutcomePending}, []string{"pending"}},
		{"since", Query{Since: day0.Add(48 * time.Hour)}, []string{"odd", "pending", "hk"}},
		{"until exclusive", Query{Until: day0.Add(48 * time.Hour)}, []string{"li", "wang"}},
		{"range and text", Query{Text: "王", Since: day0.Add(time.Hour), Until: day0.Add(100 * time.Hour)}, []string{"pending"}},
		{"limit", Query{Limit: 2}, []string{"odd", "pending"}},
		{"offset", Query{Limit: 2, Offset: 2}, []string{"hk", "li"}},
		{"offset without limit", Query{Offset: 3}, []string{"li", "wang"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			subs, err := st.List(ctx, c.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range subs {
				for label, id := range ids {
					if id == s.ID {
						got = append(got, label)
					}
				}
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("List = %v, want %v", got, c.want)
			}
			n, err := st.Count(ctx, Query{Text: c.q.Text, Platform: c.q.Platform, Outcome: c.q.Outcome, Since: c.q.Since, Until: c.q.Until})
			if err != nil {
				t.Fatal(err)
			}
			if c.q.Limit == 0 && c.q.Offset == 0 && n != len(c.want) {
				t.Fatalf("Count = %d, want %d", n, len(c.want))
			}
		})
	}
}

func TestListCarriesStates(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	ids := seedHistory(t, st)
	subs, err := st.List(ctx, Query{Text: "王小二"})
	if err != nil || len(subs) != 1 {
		t.Fatal(err)
	}
	s := subs[0]
	if s.ID != ids["wang"] || len(s.States) != 2 || s.States["alsc"].Outcome != platforms.OK || s.States["youzan"].Outcome != platforms.Unknown {
		t.Fatalf("listed submission = %+v", s)
	}
	if s.Outcome() != platforms.Unknown || !s.States["youzan"].AwaitsPerson() {
		t.Fatalf("summary outcome = %q", s.Outcome())
	}
	if !slices.Equal(s.Platforms, []string{"alsc", "youzan"}) || !s.Created.Equal(day0) {
		t.Fatalf("platforms %v created %v", s.Platforms, s.Created)
	}
}

func TestWriteHistoryFormats(t *testing.T) {
	st, _ := openTemp(t)
	ids := seedHistory(t, st)
	var text bytes.Buffer
	if err := WriteHistory(context.Background(), &text, st, Query{}, "text"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(text.String()), "\n")
	if len(lines) != 6 || !strings.HasPrefix(lines[0], "ID") {
		t.Fatalf("text output:\n%s", text.String())
	}
	wantWang := fmt.Sprintf("alsc:ok(9%018d) youzan:unknown", ids["wang"])
	if !strings.Contains(lines[5], wantWang) || !strings.HasSuffix(lines[5], "王小二") {
		t.Fatalf("wang's line = %q, want %q and the name", lines[5], wantWang)
	}
	if !strings.Contains(lines[2], "alsc:pending") {
		t.Fatalf("pending line = %q", lines[2])
	}

	var js bytes.Buffer
	if err := WriteHistory(context.Background(), &js, st, Query{Platform: "nxlink"}, "json"); err != nil {
		t.Fatal(err)
	}
	var recs []Record
	if err := json.Unmarshal(js.Bytes(), &recs); err != nil {
		t.Fatalf("json output does not parse: %v\n%s", err, js.String())
	}
	if len(recs) != 2 || recs[0].ID != ids["hk"] || recs[0].Platforms[1].Outcome != "failed" || recs[0].Customer.Mobile != "+852-12344567" {
		t.Fatalf("json records = %+v", recs)
	}
	var empty bytes.Buffer
	if err := WriteHistory(context.Background(), &empty, st, Query{Text: "nobody-at-all"}, "json"); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(empty.String()) != "[]" {
		t.Fatalf("empty json = %q", empty.String())
	}

	var c bytes.Buffer
	if err := WriteHistory(context.Background(), &c, st, Query{}, "csv"); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&c).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// One row per submission and platform: 2 + 1 + 2 + 1 + 1.
	if len(rows) != 1+7 {
		t.Fatalf("csv rows = %d", len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	last := rows[len(rows)-1]
	if last[col["name"]] != "王小二" || last[col["platform"]] != "youzan" || last[col["outcome"]] != "unknown" || last[col["mobile"]] != "13411111111" {
		t.Fatalf("csv last row = %v", last)
	}
	if err := WriteHistory(context.Background(), &c, st, Query{}, "xml"); err == nil {
		t.Fatal("unknown format accepted")
	}
}

func TestExportStreamsEveryExchange(t *testing.T) {
	old := exportPage
	exportPage = 2 // several pages from a small history
	defer func() { exportPage = old }()
	ctx := context.Background()
	st, _ := openTemp(t)
	ids := seedHistory(t, st)
	ex := okExchange("youzan", "77")
	ex.Response = []byte(`{"success":true,"data":{"outOpenId":"77"}}`)
	if _, err := st.Record(ctx, ids["wang"], ex); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := st.Export(&out, Query{}, "jsonl"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 5 {
		t.Fatalf("jsonl lines = %d", len(lines))
	}
	var wang Record
	if err := json.Unmarshal([]byte(lines[4]), &wang); err != nil {
		t.Fatal(err)
	}
	if wang.ID != ids["wang"] || len(wang.Exchanges) != 3 || wang.Exchanges[2].Response != string(ex.Response) || wang.Exchanges[2].Attempt != 2 {
		t.Fatalf("exported record = %+v", wang)
	}
	for _, q := range []Query{{Limit: 3}, {Offset: 1, Limit: 3}, {Offset: 4}} {
		var part bytes.Buffer
		if err := st.Export(&part, q, "jsonl"); err != nil {
			t.Fatal(err)
		}
		want, _ := st.List(ctx, q)
		got := strings.Split(strings.TrimSpace(part.String()), "\n")
		if len(got) != len(want) {
			t.Fatalf("export %+v: %d lines, List gives %d", q, len(got), len(want))
		}
		var first Record
		json.Unmarshal([]byte(got[0]), &first)
		if first.ID != want[0].ID {
			t.Fatalf("export %+v starts at %d, List at %d", q, first.ID, want[0].ID)
		}
	}
	if err := st.Export(&out, Query{}, "csv"); err != nil {
		t.Fatal(err)
	}
	if err := st.Export(&out, Query{}, "xlsx"); err == nil {
		t.Fatal("unknown export format accepted")
	}
}
