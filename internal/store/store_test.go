package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, dir
}

func okExchange(platform, id string) platforms.Exchange {
	return platforms.Exchange{Platform: platform, Status: 200, Started: time.Now(), Duration: 12 * time.Millisecond,
		Request:  platforms.Trace{Method: "POST", URL: "http://x/" + platform, Body: []byte(`{"a":1}`)},
		Response: []byte(`{"ok":true}`),
		Result:   platforms.Result{Outcome: platforms.OK, CustomerIDs: []string{id}}}
}

func TestBeginRecordGet(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	sub := Submission{Customer: platforms.Customer{Name: "王小二", Mobile: "13411111111"}, Platforms: []string{"alsc", "youzan"}, Source: SourceConsole}
	if err := st.Begin(ctx, &sub); err != nil {
		t.Fatal(err)
	}
	if sub.ID == 0 || sub.RequestID == "" || sub.Created.IsZero() {
		t.Fatalf("Begin did not fill in the submission: %+v", sub)
	}
	attempt, err := st.StartAttempt(ctx, sub.ID, "alsc")
	if err != nil || attempt != 1 {
		t.Fatalf("StartAttempt = %d, %v", attempt, err)
	}
	if _, err := st.StartAttempt(ctx, sub.ID, "alsc"); !errors.Is(err, ErrInFlight) {
		t.Fatalf("second StartAttempt while in flight = %v, want ErrInFlight", err)
	}
	exID, err := st.Record(ctx, sub.ID, okExchange("alsc", "1214631327620775937"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.Get(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	a := got.States["alsc"]
	if a.Outcome != platforms.OK || a.ExchangeID != exID || a.Attempts != 1 || a.InFlight || a.Result.CustomerIDs[0] != "1214631327620775937" {
		t.Fatalf("alsc state = %+v", a)
	}
	if y := got.States["youzan"]; y.Outcome != "" || y.Attempts != 0 {
		t.Fatalf("youzan state = %+v", y)
	}
	if got.Customer.Name != "王小二" || got.RequestID != sub.RequestID {
		t.Fatalf("customer = %+v", got)
	}
	exs, err := st.Exchanges(ctx, sub.ID)
	if err != nil || len(exs) != 1 || string(exs[0].Response) != `{"ok":true}` || string(exs[0].Request.Body) != `{"a":1}` || exs[0].Attempt != 1 {
		t.Fatalf("exchanges = %+v, %v", exs, err)
	}
	for _, q := range []string{"王小二", "1341111", "1214631327620775937", "小二"} {
		list, err := st.List(ctx, Query{Text: q})
		if err != nil || len(list) != 1 || list[0].ID != sub.ID {
			t.Fatalf("List(%q) = %v, %v", q, list, err)
		}
	}
}
