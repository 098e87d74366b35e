package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/custdesk/custdesk/internal/textcol"

	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

// Progress is one platform's progress, for a bar or a status line.
type Progress struct {
	Platform string `json:"platform"`
	Title    string `json:"title"`
	Total    int    `json:"total"` // valid rows
	// Done counts rows settled in this run, rows skipped as already ok
	// included, rows left unsent by a stop not.
	Done   int `json:"done"`
	OK     int `json:"ok"`     // ok, already ok included
	Failed int `json:"failed"` // settled not ok
	// Rate is rows settled per second over the last few seconds.
	Rate float64       `json:"rate"`
	ETA  time.Duration `json:"eta"` // 0 when not known yet
	// Throttled counts answers that asked this import to slow down.
	Throttled int `json:"throttled"`
}

// Progress reports where each platform stands. It is cheap and safe to call
// from another goroutine at any time.
func (imp *Import) Progress() []Progress {
	now := time.Now()
	out := make([]Progress, len(imp.r.lanes))
	for i, l := range imp.r.lanes {
		t := &l.t
		done := int(t.done() - t.notSent.Load())
		ok := int(t.ok.Load() + t.already.Load())
		p := Progress{Platform: l.name, Title: l.p.Title(), Total: int(t.total.Load()), Done: done, OK: ok,
			Failed: done - ok, Throttled: int(t.throttled.Load())}
		p.Rate = imp.r.meters[l.name].observe(now, done)
		if left := p.Total - done; p.Rate > 0 && left > 0 {
			p.ETA = time.Duration(float64(left) / p.Rate * float64(time.Second))
		}
		out[i] = p
	}
	return out
}

// rateMeter turns samples of a running count into a recent rate.
type rateMeter struct {
	mu      sync.Mutex
	samples []sample
}

type sample struct {
	t time.Time
	n int
}

// rateWindow is how far back a rate looks: long enough to smooth out a
// batch of 100 settling at once, short enough to follow a slowdown.
const rateWindow = 10 * time.Second

func (m *rateMeter) observe(now time.Time, n int) float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.samples = append(m.samples, sample{now, n})
	drop := 0
	for drop < len(m.samples)-2 && now.Sub(m.samples[drop].t) > rateWindow {
		drop++
	}
	m.samples = m.samples[drop:]
	first := m.samples[0]
	span := now.Sub(first.t).Seconds()
	if span < 0.5 {
		return 0
	}
	return float64(n-first.n) / span
}

// Summary is what an import did, per platform.
type Summary struct {
	File     string   `json:"file"`
	Digest   string   `json:"digest"`
	Format   Format   `json:"format"`
	Encoding Encoding `json:"encoding"`
	Rows     int      `json:"rows"`
	Valid    int      `json:"valid"`
	Invalid  int      `json:"invalid"`
	// Stopped: the import was interrupted (ctrl+c) before every row was sent.
	Stopped   bool              `json:"stopped,omitempty"`
	Seconds   float64           `json:"seconds"`
	Platforms []PlatformSummary `json:"platforms"`
	// Normalised lists, per column, how many rows the normaliser rewrote.
	Normalised []Normalised `json:"normalised,omitempty"`
	// NotOK lists rows that did not end ok, at most a thousand;
	// NotOKOmitted counts the rest.
	NotOK        []RowNote `json:"not_ok,omitempty"`
	NotOKOmitted int       `json:"not_ok_omitted,omitempty"`
}

// PlatformSummary counts one platform's valid rows by how they ended. Every
// valid row is in exactly one of OK, AlreadyOK, Rejected, Failed, Unknown,
// Elsewhere, Dropped and NotSent.
type PlatformSummary struct {
	Platform  string `json:"platform"`
	Title     string `json:"title"`
	Valid     int    `json:"valid"`
	OK        int    `json:"ok"`         // created in this run
	AlreadyOK int    `json:"already_ok"` // ok in an earlier run: skipped
	Rejected  int    `json:"rejected"`
	Failed    int    `json:"failed"`
	Unknown   int    `json:"unknown"`
	// AwaitingPerson counts the Failed and Unknown rows that were not
	// resent because the attempt may have created the customer.
	AwaitingPerson int `json:"awaiting_person"`
	Elsewhere      int `json:"elsewhere"` // being sent or settled by another custdesk
	Dropped        int `json:"dropped"`   // a person chose not to send again
	// Enrolled counts rows skipped because another submission has their
	// mobile (or e-mail) on this platform already: in this history, or at
	// another terminal of the chain (its guard held the send).
	Enrolled  int `json:"already_enrolled"`
	NotSent   int `json:"not_sent"` // the import stopped first
	Requests  int `json:"requests"`
	Retries   int `json:"retries"`
	Throttled int `json:"throttled"`
	// SendsPerSecond is customers settled by this run's requests per second
	// of the run.
	SendsPerSecond float64 `json:"sends_per_second"`
}

// AllOK reports whether every valid row is ok on every platform, or held
// there by another submission of the same member (skipped, not failed).
func (s Summary) AllOK() bool {
	for _, p := range s.Platforms {
		if p.OK+p.AlreadyOK+p.Enrolled != p.Valid {
			return false
		}
	}
	return true
}

func (r *run) summary(ctx context.Context) Summary {
	el := time.Since(r.start)
	s := Summary{File: r.checked.Path, Digest: r.checked.Digest, Format: r.checked.Format, Encoding: r.checked.Encoding,
		Rows: r.checked.Rows, Valid: r.checked.Valid, Invalid: r.checked.Invalid, Seconds: el.Seconds(),
		Stopped: errors.Is(context.Cause(ctx), context.Canceled), Normalised: r.checked.Normalised}
	for _, l := range r.lanes {
		t := &l.t
		p := PlatformSummary{Platform: l.name, Title: l.p.Title(), Valid: r.checked.Valid,
			OK: int(t.ok.Load()), AlreadyOK: int(t.already.Load()), Rejected: int(t.rejected.Load()),
			Failed: int(t.failed.Load()), Unknown: int(t.unknown.Load()), AwaitingPerson: int(t.person.Load()),
			Elsewhere: int(t.elsewhere.Load()), Dropped: int(t.dropped.Load()), Enrolled: int(t.enrolled.Load()), NotSent: int(t.notSent.Load()),
			Requests: int(t.requests.Load()), Retries: int(t.retries.Load()), Throttled: int(t.throttled.Load())}
		// Rows planned but never handed out because the import stopped are
		// not counted anywhere else.
		if settled := p.OK + p.AlreadyOK + p.Rejected + p.Failed + p.Unknown + p.Elsewhere + p.Dropped + p.Enrolled + p.NotSent; settled < p.Valid {
			p.NotSent += p.Valid - settled
		}
		if secs := el.Seconds(); secs > 0 {
			p.SendsPerSecond = float64(t.answered.Load()) / secs
		}
		s.Platforms = append(s.Platforms, p)
	}
	r.mu.Lock()
	s.NotOK, s.NotOKOmitted = r.notes, r.notesCut
	r.mu.Unlock()
	return s
}

// WriteText prints the summary for people: one line per platform, then the
// rows that did not end ok.
func (s Summary) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "%s: %d rows, %d valid, %d invalid (%s, %s), %.1fs\n", termsafe.Line(s.File), s.Rows, s.Valid, s.Invalid, s.Format, s.Encoding, s.Seconds)
	tw := textcol.NewWriter(w)
	fmt.Fprintln(tw, "platform\tok\talready ok\trejected\tfailed\tunknown\tnot sent\trequests\tretries\tthrottled")
	for _, p := range s.Platforms {
		notSent := p.NotSent + p.Elsewhere + p.Dropped + p.Enrolled
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", p.Platform, p.OK, p.AlreadyOK, p.Rejected, p.Failed, p.Unknown,
			notSent, p.Requests, p.Retries, p.Throttled)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	WriteNormalised(w, s.Normalised)
	for _, p := range s.Platforms {
		var parts []string
		if p.AwaitingPerson > 0 {
			parts = append(parts, fmt.Sprintf("%d not resent because the platform may already have them: check %s, then resend from history or rerun with --resend-unknown", p.AwaitingPerson, p.Title))
		}
		if p.Elsewhere > 0 {
			parts = append(parts, fmt.Sprintf("%d being sent by another custdesk", p.Elsewhere))
		}
		if p.Dropped > 0 {
			parts = append(parts, fmt.Sprintf("%d dropped by a person", p.Dropped))
		}
		if p.Enrolled > 0 {
			parts = append(parts, fmt.Sprintf("%d already enrolled by an earlier submission, here or at another terminal (rerun with --allow-duplicates to enrol them again)", p.Enrolled))
		}
		for _, part := range parts {
			fmt.Fprintf(w, "%s: %s\n", p.Platform, part)
		}
	}
	if len(s.NotOK) > 0 {
		fmt.Fprintln(w, "rows not ok:")
		shown := min(len(s.NotOK), 20)
		for _, n := range s.NotOK[:shown] {
			// Codes and messages are the platforms' text.
			fmt.Fprintf(w, "  row %d\t%s\t%s\t%s\n", n.Row, n.Platform, termsafe.Line(orDash(string(n.Outcome)+codeSuffix(n.Code))),
				termsafe.Line(platforms.Clip(n.Message, 120)))
		}
		if more := len(s.NotOK) - shown + s.NotOKOmitted; more > 0 {
			fmt.Fprintf(w, "  … and %d more (--output json lists up to %d; custdesk history --outcome shows all)\n", more, maxNotes)
		}
	}
	switch {
	case s.Stopped:
		_, err := fmt.Fprintln(w, "stopped: run the same command again to send the rest; rows already ok are skipped")
		return err
	case s.AllOK():
		_, err := fmt.Fprintln(w, "every valid row is ok on every platform")
		return err
	}
	_, err := fmt.Fprintln(w, "not every valid row is ok: run the same command again to retry the rest; rows already ok are skipped")
	return err
}

func codeSuffix(code string) string {
	if code == "" {
		return ""
	}
	return " " + code
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

// WriteNormalised prints one line per column the normaliser rewrote, with
// its first rewrite as an example.
func WriteNormalised(w io.Writer, ns []Normalised) {
	for _, n := range ns {
		col := n.Field
		if n.Header != "" && n.Header != n.Field {
			col = n.Header + " (" + n.Field + ")"
		}
		// The header is the file's text; %q escapes the values.
		fmt.Fprintf(w, "normalised %s: %d row(s), e.g. %q -> %q\n", termsafe.Line(col), n.Rows, n.Example.From, n.Example.To)
	}
}
