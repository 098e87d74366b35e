package store

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/custdesk/custdesk/internal/csvsafe"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

// Record is a submission as `custdesk history` and exports write it: the
// public shape, with times as RFC 3339 and durations in milliseconds.
type Record struct {
	ID         int64              `json:"id"`
	RequestID  string             `json:"request_id"`
	Created    string             `json:"created"`
	Source     string             `json:"source,omitempty"`
	Operator   string             `json:"operator,omitempty"`
	ImportFile string             `json:"import_file,omitempty"`
	ImportRow  int                `json:"import_row,omitempty"`
	Customer   platforms.Customer `json:"customer"`
	Platforms  []PlatformRecord   `json:"platforms"`
	// Exchanges are every attempt, in exports only.
	Exchanges []ExchangeRecord `json:"exchanges,omitempty"`
}

// PlatformRecord is one platform's latest state in a Record.
type PlatformRecord struct {
	Platform    string   `json:"platform"`
	Outcome     string   `json:"outcome"` // "pending" until answered
	CustomerIDs []string `json:"customer_ids,omitempty"`
	Code        string   `json:"code,omitempty"`
	SubCode     string   `json:"sub_code,omitempty"`
	Message     string   `json:"message,omitempty"`
	Status      int      `json:"status,omitempty"`
	Attempts    int      `json:"attempts"`
	DurationMS  int64    `json:"duration_ms"`
	Queued      bool     `json:"queued,omitempty"`
	NextRetry   string   `json:"next_retry,omitempty"`
	Dropped     bool     `json:"dropped,omitempty"`
	// State is the platform's one state word (see store.State); attention
	// marks the sends that wait for a person.
	State State `json:"state"`
}

// ExchangeRecord is one attempt in an export: request as sent (secrets
// masked) and the raw answer.
type ExchangeRecord struct {
	Platform        string            `json:"platform"`
	Attempt         int               `json:"attempt"`
	Started         string            `json:"started"`
	DurationMS      int64             `json:"duration_ms"`
	Method          string            `json:"method,omitempty"`
	URL             string            `json:"url,omitempty"`
	RequestHeaders  map[string]string `json:"request_headers,omitempty"`
	RequestBody     string            `json:"request_body,omitempty"`
	Signed          string            `json:"signed,omitempty"`
	Status          int               `json:"status"`
	ResponseHeaders map[string]string `json:"response_headers,omitempty"`
	Response        string            `json:"response,omitempty"`
	Truncated       bool              `json:"truncated,omitempty"`
	Error           string            `json:"error,omitempty"`
	Result          platforms.Result  `json:"result"`
	InFlight        bool              `json:"in_flight,omitempty"`
}

// NewRecord converts a submission to its public shape.
func NewRecord(sub Submission) Record {
	r := Record{ID: sub.ID, RequestID: sub.RequestID, Created: sub.Created.Format(time.RFC3339),
		Source: sub.Source, Operator: sub.Operator, ImportFile: sub.ImportFile, ImportRow: sub.ImportRow,
		Customer: sub.Customer, Platforms: []PlatformRecord{}}
	for _, name := range sub.Platforms {
		st := sub.States[name]
		pr := PlatformRecord{Platform: name, Outcome: outcomeText(st), CustomerIDs: st.Result.CustomerIDs,
			Code: st.Result.Code, SubCode: st.Result.SubCode, Message: st.Result.Message, Status: st.Status,
			Attempts: st.Attempts, DurationMS: st.Duration.Milliseconds(), Queued: st.Queued, Dropped: st.Dropped, State: st.State}
		if st.Queued {
			pr.NextRetry = st.NextRetry.Format(time.RFC3339)
		}
		r.Platforms = append(r.Platforms, pr)
	}
	return r
}

// outcomeText is a platform's word in the CLI and exports: its outcome once
// settled, else what it is waiting for. A dropped send says so whatever it
// last answered.
func outcomeText(st PlatformState) string {
	switch st.State {
	case StateDropped:
		return string(OutcomeDropped)
	case StateInFlight:
		return "sending"
	case StateQueued:
		return "queued"
	case StatePending:
		return string(OutcomePending)
	}
	return string(st.Outcome)
}

func newExchangeRecord(e StoredExchange) ExchangeRecord {
	return ExchangeRecord{Platform: e.Platform, Attempt: e.Attempt, Started: e.Started.Format(time.RFC3339Nano),
		DurationMS: e.Duration.Milliseconds(), Method: e.Request.Method, URL: e.Request.URL,
		RequestHeaders: e.Request.Headers, RequestBody: string(e.Request.Body), Signed: e.Request.Signed,
		Status: e.Status, ResponseHeaders: e.ResponseHeaders, Response: string(e.Response), Truncated: e.Truncated,
		Error: e.Error, Result: e.Result, InFlight: e.InFlight}
}

// exportPage bounds memory when writing the whole history.
var exportPage = 500

// each calls fn for every matching submission, newest first, a page at a
// time, honouring Limit and Offset.
func (s *Store) each(ctx context.Context, q Query, fn func(Submission) error) error {
	limited, remaining := q.Limit > 0, q.Limit
	if q.Offset > 0 {
		// Skip by offset once, then continue by key.
		skip := q
		skip.Limit, skip.Offset = 1, q.Offset-1
		subs, err := s.List(ctx, skip)
		if err != nil || len(subs) == 0 {
			return err
		}
		q.beforeID = subs[0].ID
	}
	q.Offset = 0
	for {
		page := exportPage
		if limited {
			if remaining <= 0 {
				return nil
			}
			page = min(page, remaining)
		}
		q.Limit = page
		subs, err := s.List(ctx, q)
		if err != nil {
			return err
		}
		for _, sub := range subs {
			if err := fn(sub); err != nil {
				return err
			}
		}
		if len(subs) < page {
			return nil
		}
		remaining -= len(subs)
		q.beforeID = subs[len(subs)-1].ID
	}
}

// WriteHistory writes matching submissions for `custdesk history`:
// "text" (a table), "json" (an array of Record) or "csv" (a row per
// submission and platform). It streams: memory stays flat however many match.
func WriteHistory(ctx context.Context, w io.Writer, st *Store, q Query, format string) error {
	switch format {
	case "", "text":
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tCREATED\tMOBILE\tPLATFORMS\tNAME")
		rows := 0
		err := st.each(ctx, q, func(sub Submission) error {
			rows++
			var marks []string
			for _, name := range sub.Platforms {
				if q.Platform != "" && name != q.Platform {
					continue // asked about one platform: only its state
				}
				m := name + ":" + outcomeText(sub.States[name])
				if ids := sub.States[name].Result.CustomerIDs; len(ids) > 0 {
					m += "(" + strings.Join(ids, ",") + ")"
				}
				marks = append(marks, m)
			}
			// The name goes last: tabwriter counts runes, not display columns,
			// so a wide (Chinese) name would misalign any column after it.
			_, err := fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", sub.ID, sub.Created.Local().Format("2006-01-02 15:04:05"),
				termsafe.Line(sub.Customer.Mobile), termsafe.Line(strings.Join(marks, " ")), termsafe.Line(sub.Customer.Name))
			return err
		})
		if err != nil {
			return err
		}
		if rows == 0 {
			_, err := fmt.Fprintln(w, "no submissions match")
			return err
		}
		return tw.Flush()
	case "json":
		if _, err := io.WriteString(w, "["); err != nil {
			return err
		}
		first := true
		err := st.each(ctx, q, func(sub Submission) error {
			b, err := json.MarshalIndent(NewRecord(sub), "  ", "  ")
			if err != nil {
				return err
			}
			sep := ",\n  "
			if first {
				sep, first = "\n  ", false
			}
			_, err = fmt.Fprintf(w, "%s%s", sep, b)
			return err
		})
		if err != nil {
			return err
		}
		end := "\n]\n"
		if first {
			end = "]\n"
		}
		_, err = io.WriteString(w, end)
		return err
	case "csv":
		return st.writeCSV(ctx, w, q)
	}
	return fmt.Errorf("unknown output format %q (want text, json or csv)", format)
}

// Export writes matching submissions for archiving or analysis: "jsonl" (one
// Record per line, with every exchange) or "csv" (as WriteHistory).
func (s *Store) Export(w io.Writer, q Query, format string) error {
	return s.ExportContext(context.Background(), w, q, format)
}

// ExportContext is Export that stops when ctx ends.
func (s *Store) ExportContext(ctx context.Context, w io.Writer, q Query, format string) error {
	switch format {
	case "jsonl":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return s.each(ctx, q, func(sub Submission) error {
			r := NewRecord(sub)
			exs, err := s.Exchanges(ctx, sub.ID)
			if err != nil {
				return err
			}
			for _, e := range exs {
				r.Exchanges = append(r.Exchanges, newExchangeRecord(e))
			}
			return enc.Encode(r)
		})
	case "csv":
		return s.writeCSV(ctx, w, q)
	}
	return fmt.Errorf("unknown export format %q (want jsonl or csv)", format)
}

var csvHeader = []string{"id", "created", "request_id", "source", "operator", "import_file", "import_row",
	"platform", "outcome", "customer_ids", "code", "sub_code", "message", "status", "attempts", "duration_ms"}

// writeCSV writes one row per submission and platform, the customer's
// fields under their public names (so the file can be imported again). It is
// spreadsheet-safe (csvsafe): a byte order mark, and no cell a spreadsheet
// would evaluate as a formula.
func (s *Store) writeCSV(ctx context.Context, w io.Writer, q Query) error {
	cw, err := csvsafe.NewWriter(w)
	if err != nil {
		return err
	}
	if err := cw.Write(append(append([]string{}, csvHeader...), platforms.Fields...)); err != nil {
		return err
	}
	err = s.each(ctx, q, func(sub Submission) error {
		r := NewRecord(sub)
		var cust []string
		for _, f := range platforms.Fields {
			cust = append(cust, sub.Customer.Get(f))
		}
		for _, p := range r.Platforms {
			row := []string{strconv.FormatInt(r.ID, 10), r.Created, r.RequestID, r.Source, r.Operator, r.ImportFile,
				strconv.Itoa(r.ImportRow), p.Platform, p.Outcome, strings.Join(p.CustomerIDs, ";"), p.Code, p.SubCode,
				p.Message, strconv.Itoa(p.Status), strconv.Itoa(p.Attempts), strconv.FormatInt(p.DurationMS, 10)}
			if err := cw.Write(append(row, cust...)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return cw.Flush()
}
