package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/custdesk/custdesk/internal/textcol"

	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

// submitArgs are submit's flags and its FILE ("" or "-": stdin).
type submitArgs struct {
	common
	platforms, output, lang, file string
	dryRun, allowDup              bool
	wait                          time.Duration
}

func parseSubmitArgs(args []string, stdout, stderr io.Writer) (submitArgs, error) {
	fs := flag.NewFlagSet("submit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var a submitArgs
	a.register(fs)
	fs.StringVar(&a.platforms, "platform", "", "comma-separated platforms to send to (default: every configured one)")
	fs.BoolVar(&a.dryRun, "dry-run", false, "print the signed requests instead of sending them")
	fs.StringVar(&a.output, "output", "text", "text or json")
	fs.StringVar(&a.lang, "lang", langFromEnv(), "language of field errors: zh or en")
	fs.BoolVar(&a.allowDup, "allow-duplicate", false, "enrol the customer even where its mobile (or e-mail) is enrolled already; without it such a customer is refused (exit 2)")
	fs.DurationVar(&a.wait, "wait", 0, "keep retrying what can be retried safely for up to this long (e.g. 30s) before reporting; 0 reports the first answers and leaves retries to the console")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "usage: custdesk submit [--platform a,b] [--allow-duplicate] [--dry-run] [--output text|json] [FILE|-]\n\nReads one customer as JSON (field names as in the README and `custdesk import`) from FILE or stdin.\n\n")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return a, err
	}
	if a.lang != "zh" && a.lang != "en" {
		return a, badInput("--lang must be zh or en, not %q", a.lang)
	}
	if a.output != "text" && a.output != "json" {
		return a, badInput("--output must be text or json, not %q", a.output)
	}
	if len(pos) > 1 {
		return a, badInput("submit takes one FILE (or - for stdin), got %d", len(pos))
	}
	if len(pos) == 1 {
		a.file = pos[0]
	}
	return a, nil
}

func runSubmit(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	a, err := parseSubmitArgs(args, stdout, stderr)
	if err != nil {
		return err
	}
	cust, err := readCustomer(a.file, stdin)
	if err != nil {
		return &exitError{exitBadInput, err}
	}

	e, err := setup(a.common, stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	chosen, err := e.choose(a.platforms)
	if err != nil {
		return err
	}
	cust, errs := prepare(cust, chosen, stderr)
	if len(errs) > 0 {
		return refuseFields(errs, a.lang, stderr)
	}
	if a.dryRun {
		return printDryRun(stdout, cust, chosen, a.output)
	}

	st, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	d := dispatch.New(st, chosen, dispatch.Options{Guard: e.guard(), Budgets: e.sendBudgets(chosen)})
	sub, exchanges, err := d.SendAll(ctx, cust, names(chosen), "submit", a.allowDup)
	if errors.Is(err, store.ErrDuplicate) {
		return &exitError{exitBadInput, fmt.Errorf("%w; nothing was sent (--allow-duplicate enrols it again anyway)", err)}
	}
	if err != nil {
		return err
	}
	// With the history failing, waiting would only replace the answers in
	// hand (not in the history) with what the history holds.
	if a.wait > 0 && !settled(sub) && !anyUnrecorded(exchanges) {
		if exchanges, err = waitForRetries(ctx, d, sub, a.wait, stderr); err != nil {
			return err
		}
	}
	if a.output == "json" {
		err = printExchangesJSON(stdout, sub.ID, exchanges)
	} else {
		err = printExchangesText(stdout, a.lang, sub.ID, exchanges, d.Retryable)
	}
	if err != nil {
		return err
	}
	return exitFor(exchanges)
}

// refuseFields says what is wrong with each field; nothing is sent.
func refuseFields(errs []platforms.FieldError, lang string, stderr io.Writer) error {
	for _, fe := range errs {
		fmt.Fprintf(stderr, "%s: %s\n", fe.Field, termsafe.Line(fe.Message(lang)))
	}
	msg := fmt.Sprintf("%d field error(s); nothing was sent", len(errs))
	if lang == "zh" {
		msg = fmt.Sprintf("%d 处字段错误，未发送", len(errs))
	}
	return &exitError{exitBadInput, errors.New(msg)}
}

// exitFor is submit's exit status: not ok unless every platform created the
// customer and the history has every answer.
func exitFor(exchanges []platforms.Exchange) error {
	for _, ex := range exchanges {
		if ex.Result.Outcome != platforms.OK || ex.Unrecorded != "" {
			return &exitError{exitNotOK, nil}
		}
	}
	return nil
}

func anyUnrecorded(exs []platforms.Exchange) bool { return unrecordedReason(exs) != "" }

// maxSubmitInput bounds what submit reads: one customer is a few hundred bytes.
const maxSubmitInput = 1 << 20

// readCustomer decodes one customer, refusing unknown fields so a typo in a
// field name is an error rather than a silently missing value.
func readCustomer(path string, stdin io.Reader) (platforms.Customer, error) {
	var r io.Reader = stdin
	name := "stdin"
	if path != "" && path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return platforms.Customer{}, err
		}
		defer f.Close()
		r, name = f, path
	}
	data, err := io.ReadAll(io.LimitReader(r, maxSubmitInput+1))
	if err != nil {
		return platforms.Customer{}, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(data) > maxSubmitInput {
		return platforms.Customer{}, fmt.Errorf("%s: input is larger than 1 MiB; submit takes one customer (use custdesk import for many)", name)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return platforms.Customer{}, fmt.Errorf("%s is empty: expected one customer as JSON, e.g. {\"name\":\"王小二\",\"mobile\":\"13411111111\"}", name)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c platforms.Customer
	if err := dec.Decode(&c); err != nil {
		return platforms.Customer{}, fmt.Errorf("%s: not a customer: %s", name, jsonProblem(err))
	}
	if dec.More() {
		return platforms.Customer{}, fmt.Errorf("%s: more than one JSON value; submit takes one customer (use custdesk import for many)", name)
	}
	return c, nil
}

type dryRunRequest struct {
	Platform string            `json:"platform"`
	Method   string            `json:"method"`
	URL      string            `json:"url"`
	Headers  map[string]string `json:"headers"`
	Body     string            `json:"body"`
	Signed   string            `json:"signed"`
}

func printDryRun(w io.Writer, c platforms.Customer, ps []platforms.Platform, output string) error {
	sub := platforms.Single(platforms.NewRequestID(), c)
	out := make([]dryRunRequest, 0, len(ps))
	for _, p := range ps {
		_, tr, err := p.Build(sub)
		if err != nil {
			return fmt.Errorf("%s: %w", p.Name(), err)
		}
		out = append(out, dryRunRequest{p.Name(), tr.Method, tr.URL, tr.Headers, string(tr.Body), tr.Signed})
	}
	if output == "json" {
		enc := json.NewEncoder(termsafe.JSONWriter(w)) // exact JSON, and safe on a terminal
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	for _, r := range out {
		fmt.Fprintf(w, "== %s\n%s %s\n", r.Platform, r.Method, termsafe.Line(r.URL))
		for _, k := range sortedHeaderKeys(r.Headers) {
			fmt.Fprintf(w, "%s: %s\n", termsafe.Line(k), termsafe.Line(r.Headers[k]))
		}
		fmt.Fprintf(w, "\n%s\n\nsigned: %s\n\n", termsafe.Text(r.Body), termsafe.Text(r.Signed))
	}
	return nil
}

func sortedHeaderKeys(h map[string]string) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

type exchangeJSON struct {
	Platform     string           `json:"platform"`
	SubmissionID int64            `json:"submission_id"`
	RequestID    string           `json:"request_id"`
	Result       platforms.Result `json:"result"`
	Status       int              `json:"status"`
	DurationMS   float64          `json:"duration_ms"`
	Error        string           `json:"error,omitempty"`
	Truncated    bool             `json:"truncated,omitempty"`
	Response     string           `json:"response"`
	// Recorded: the answer is in the history. false means the customer IDs
	// above exist nowhere else (the history could not be written).
	Recorded bool `json:"recorded"`
	// Unrecorded says why it is not.
	Unrecorded string `json:"unrecorded,omitempty"`
}

func printExchangesJSON(w io.Writer, subID int64, exs []platforms.Exchange) error {
	out := make([]exchangeJSON, len(exs))
	for i, ex := range exs {
		out[i] = exchangeJSON{ex.Platform, subID, ex.RequestID, ex.Result, ex.Status,
			float64(ex.Duration.Microseconds()) / 1000, ex.Error, ex.Truncated, string(ex.Response),
			ex.Unrecorded == "", ex.Unrecorded}
	}
	enc := json.NewEncoder(termsafe.JSONWriter(w)) // exact JSON, and safe on a terminal
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// submitText is what submit says of its answers, in English and Chinese.
var submitText = map[string][2]string{
	"unrecorded": {" [NOT in the history: it could not be written]", " [未写入历史：无法写入]"},
	"queued":     {" [queued: the console retries it]", " [已排队：控制台会自动重试]"},
	"unknown":    {" [not retried automatically: resend or drop it from the console's history]", " [不会自动重试：请在控制台的历史中重发或放弃]"},
	"lost": {"submission %d: the answers marked above are NOT in the history (%s); keep the customer IDs printed here, custdesk history does not have them\n",
		"提交 %d：上面标出的应答未写入历史（%s）；请保存这里打印的客户 ID，custdesk history 中没有它们\n"},
	"recorded": {"submission %d recorded; custdesk history shows it\n", "提交 %d 已记录；custdesk history 可查看\n"},
}

func printExchangesText(w io.Writer, lang string, subID int64, exs []platforms.Exchange, retryable func(platforms.Exchange) bool) error {
	say := func(key string) string {
		if lang == "zh" {
			return submitText[key][1]
		}
		return submitText[key][0]
	}
	tw := textcol.NewWriter(w)
	for _, ex := range exs {
		r := ex.Result
		detail := ""
		if len(r.CustomerIDs) > 0 {
			detail = "id " + strings.Join(r.CustomerIDs, ",")
		}
		if r.Code != "" || r.SubCode != "" {
			detail = strings.TrimSpace(detail + " code " + strings.Trim(r.Code+" "+r.SubCode, " "))
		}
		msg := r.Message
		switch {
		case ex.Unrecorded != "":
			msg += say("unrecorded")
		case r.Outcome == platforms.OK || r.Outcome == platforms.Rejected:
		case retryable(ex):
			msg += say("queued")
		case r.Outcome == platforms.Unknown:
			msg += say("unknown")
		}
		// Every cell is the platform's text: made terminal-safe, and with no
		// tab or newline left to break the table.
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", ex.Platform, termsafe.Line(string(r.Outcome)), termsafe.Line(detail),
			termsafe.Line(msg), textcol.Duration(ex.Duration))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if why := unrecordedReason(exs); why != "" {
		_, err := fmt.Fprintf(w, say("lost"), subID, termsafe.Line(why))
		return err
	}
	_, err := fmt.Fprintf(w, say("recorded"), subID)
	return err
}

func unrecordedReason(exs []platforms.Exchange) string {
	for _, ex := range exs {
		if ex.Unrecorded != "" {
			return ex.Unrecorded
		}
	}
	return ""
}

func settled(sub store.Submission) bool {
	for _, st := range sub.States {
		if !st.Settled() {
			return false
		}
	}
	return true
}

// waitProgress is each platform's state as `submit --wait` reports it:
// "p1 ok, p2 retry 2 at 15:04:05".
func waitProgress(sub store.Submission) string {
	parts := make([]string, 0, len(sub.Platforms))
	for _, name := range sub.Platforms {
		ps := sub.States[name]
		switch {
		case ps.InFlight:
			parts = append(parts, name+" sending")
		case ps.Queued && !ps.NextRetry.IsZero():
			parts = append(parts, fmt.Sprintf("%s retry %d at %s", name, ps.Attempts+1, ps.NextRetry.Local().Format("15:04:05")))
		case ps.Outcome != "":
			parts = append(parts, name+" "+string(ps.Outcome))
		default:
			parts = append(parts, name+" pending")
		}
	}
	return strings.Join(parts, ", ")
}

// waitForRetries runs the dispatcher's background retries until every platform
// of sub is settled or the wait is over, and returns each platform's latest
// answered exchange, in the submission's platform order.
// It says on stderr what it waits for and each change of a platform's state.
func waitForRetries(ctx context.Context, d *dispatch.Dispatcher, sub store.Submission, wait time.Duration, stderr io.Writer) ([]platforms.Exchange, error) {
	st := d.Store()
	runCtx, stop := context.WithTimeout(ctx, wait)
	done := make(chan struct{})
	go func() { d.Run(runCtx, nil); close(done) }()
	tick := time.NewTicker(100 * time.Millisecond)
	fmt.Fprintf(stderr, "waiting up to %s for retries: %s\n", wait, waitProgress(sub))
	last := waitProgress(sub)
	for loop := true; loop; {
		select {
		case <-runCtx.Done():
			loop = false
		case <-tick.C:
			fresh, err := st.Get(runCtx, sub.ID)
			if err != nil {
				continue
			}
			if p := waitProgress(fresh); p != last {
				fmt.Fprintf(stderr, "  %s\n", p)
				last = p
			}
			if settled(fresh) {
				loop = false
			}
		}
	}
	tick.Stop()
	stop()
	<-done // a retry in flight finishes and is recorded
	all, err := st.Exchanges(context.WithoutCancel(ctx), sub.ID)
	if err != nil {
		return nil, err
	}
	latest := map[string]platforms.Exchange{}
	for _, ex := range all {
		if !ex.InFlight {
			latest[ex.Platform] = ex.Exchange
		}
	}
	out := make([]platforms.Exchange, 0, len(sub.Platforms))
	for _, name := range sub.Platforms {
		if ex, ok := latest[name]; ok {
			out = append(out, ex)
		}
	}
	return out, nil
}
