package importer

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// rowTrack gathers the customer IDs a row's platforms return, so the search
// index is written once per row, when its last platform is done, instead of
// once per platform (store.Recording.SearchLater, store.Batch.SearchLater).
// Every submission of the row is named, with IDs or none: one written ahead
// in this run has no search text until then.
type rowTrack struct {
	left atomic.Int32 // jobs of the row not finished
	mu   sync.Mutex
	ids  map[int64][]string // by submission
}

func (t *rowTrack) add(subID int64, r platforms.Result) {
	if subID == 0 {
		return // refused by the duplicate guard: never written
	}
	ids := r.CustomerIDs
	for _, it := range r.Items {
		if it.CustomerID != "" {
			ids = append(ids, it.CustomerID)
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ids == nil {
		t.ids = map[int64][]string{}
	}
	t.ids[subID] = append(t.ids[subID], ids...)
}

func (t *rowTrack) adds() []store.SearchAdd {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]store.SearchAdd, 0, len(t.ids))
	for id, ids := range t.ids {
		out = append(out, store.SearchAdd{SubmissionID: id, IDs: ids})
	}
	return out
}

// splitBatch gives each customer of a batch its own verdict, by index.
func splitBatch(r platforms.Result, n int) []platforms.Result {
	out := make([]platforms.Result, n)
	if len(r.Items) == 0 {
		for i := range out {
			item := r
			item.Items, item.CustomerIDs = nil, nil
			if r.Outcome == platforms.OK && len(r.CustomerIDs) == n {
				item.CustomerIDs = []string{r.CustomerIDs[i]}
			}
			if r.Outcome == platforms.Partial {
				item = platforms.Result{Outcome: platforms.Unknown, Code: r.Code, Retryable: true,
					Message: "the batch was partly created and the answer does not say which customers"}
			}
			out[i] = item
		}
		return out
	}
	seen := make([]bool, n)
	for _, it := range r.Items {
		if it.Index < 0 || it.Index >= n || seen[it.Index] {
			continue
		}
		seen[it.Index] = true
		ir := platforms.Result{Outcome: it.Outcome, Code: it.Code, Message: it.Message, Items: []platforms.ItemResult{it}}
		if it.CustomerID != "" {
			ir.CustomerIDs = []string{it.CustomerID}
		}
		ir.Retryable = it.Outcome == platforms.Failed || it.Outcome == platforms.Unknown
		out[it.Index] = ir
	}
	for i := range out {
		if !seen[i] {
			out[i] = platforms.Result{Outcome: platforms.Unknown, Code: "NO_ITEM", Retryable: true,
				Message: "the answer does not mention this customer"}
		}
	}
	return out
}

// itemExchange is what history keeps for one customer of a batch: the batch's
// exchange with this customer's verdict. The bodies (and NXLink's signed
// string, which holds the body) are kept once, with the batch's first
// customer; the others say where to find them.
func itemExchange(ex platforms.Exchange, r platforms.Result, i, n int, j, first *job) platforms.Exchange {
	e := ex
	e.RequestID = j.sub.RequestID
	e.Result = r
	note := fmt.Sprintf("customer %d of %d in one %s request", i+1, n, ex.Platform)
	if i == 0 {
		note += "; the full request and answer are kept here"
	} else {
		e.Request.Body, e.Request.Signed, e.Response = nil, "", nil
		note += fmt.Sprintf("; the full request and answer are kept with submission %d (row %d)", first.sub.ID, first.row)
	}
	e.Result.Message = strings.TrimSpace(strings.TrimSuffix(r.Message, ".") + " (" + note + ")")
	return e
}
