package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/colorprofile"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/importer"
	"github.com/custdesk/custdesk/internal/private"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

const importUsage = `usage: custdesk import FILE.csv|FILE.xlsx|FILE.jsonl [flags]

Reads customers from a CSV file or an Excel workbook's sheet (a header row of
customer field names, or the names stores use for them: 姓名, 手机号, 性别,
生日, Full Name, E-mail, …; tags split on ";"; custom.KEY columns for custom
attributes), or a JSONL file (one customer JSON object per line). Mobiles,
genders, birthdays and full-width characters are normalised (the summary
says how many per column); every row is checked for the chosen platforms
before anything is sent, and the valid rows are sent. Invalid rows are
written to a report and skipped (--strict refuses the whole file).
--check shows the column mapping and the first rows as they would be sent.
Every row is kept in history with the file's digest and row number: running
the same file again skips rows already ok and retries the rest.

Exit status: 0 when every valid row is ok on every platform, 1 otherwise,
2 for bad usage or a file that cannot be imported (nothing was sent).

`

// importFlags are `custdesk import`'s own flags.
type importFlags struct {
	common
	platformList  string
	concurrency   int
	output        string
	encoding      string
	strict        bool
	report        string
	rates         string
	resendUnknown bool
	allowDups     bool
	lang          string
	every         time.Duration
	sheet         string
	mapping       string
	check         bool
}

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, file, err := parseImportFlags(args, stdout, stderr)
	if err != nil {
		return err
	}
	in, err := f.input(file)
	if err != nil {
		return err
	}
	e, err := setup(f.common, stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	chosen, err := e.choose(f.platformList)
	if err != nil {
		return err
	}
	rates, err := parseRates(f.rates, chosen, e.sandbox != nil)
	if err != nil {
		return err
	}
	if f.check {
		return runImportCheck(ctx, in, chosen, f.output, f.lang, stdout)
	}
	checked, err := checkImportFile(ctx, f, in, chosen, stderr)
	if err != nil {
		return err
	}
	st, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	imp, err := importer.Start(ctx, checked, importer.Options{
		Platforms: chosen, Store: st, Concurrency: f.concurrency, Rates: rates,
		Shared:        e.sharedBudgets(names(chosen), rates),
		ResendUnknown: f.resendUnknown, AllowDuplicates: f.allowDups, Operator: os.Getenv("USER"),
		Guard: e.guard(),
	})
	if err != nil {
		return err
	}
	progressOut := stderr
	terminal := false
	if isTerminal(stderr) {
		terminal = true
		progressOut = colorprofile.NewWriter(stderr, os.Environ()) // honours NO_COLOR
	}
	watch(ctx, imp, progressOut, terminal, f.every)
	sum, runErr := imp.Wait()
	return writeImportSummary(stdout, f.output, sum, runErr)
}

// parseImportFlags reads import's flags, before and after its FILE.
func parseImportFlags(args []string, stdout, stderr io.Writer) (importFlags, string, error) {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f importFlags
	f.register(fs)
	fs.StringVar(&f.platformList, "platform", "", "comma-separated platforms to send to (default: every configured one)")
	fs.IntVar(&f.concurrency, "concurrency", importer.DefaultConcurrency, "requests in flight per platform (a platform that batches sends up to its batch size of customers per request)")
	fs.StringVar(&f.output, "output", "text", "summary format: text or json")
	fs.StringVar(&f.encoding, "encoding", "auto", "file encoding: auto (byte order mark, else UTF-8 when valid, else GBK), utf-8 or gbk (read as GB18030)")
	fs.BoolVar(&f.strict, "strict", false, "refuse the whole file if any row is invalid or any named column fills no customer field")
	fs.StringVar(&f.sheet, "sheet", "", "the workbook's sheet to read (default: the first)")
	fs.StringVar(&f.mapping, "map", "", "columns the header table does not know: HEADER=FIELD pairs, e.g. '会员卡号=custom.card,Col7=remark' (ColN is column N; FIELD - ignores a column)")
	fs.BoolVar(&f.check, "check", false, "print the column mapping and the first rows as they would be sent, count the file's valid rows, and send nothing")
	fs.StringVar(&f.report, "report", "", "where to write invalid rows as CSV: row,field,platform,rule,message (default beside FILE: NAME.invalid.csv for NAME.csv, else FILE[.SHEET].invalid.csv; written only when there are invalid rows)")
	fs.StringVar(&f.rates, "rate", "", "requests per second per platform, PLATFORM=N,… (0 or off: no cap; a batching platform's request carries a whole batch). "+
		"Default: "+defaultRatesText()+" for configured platforms, no cap on the built-in sandbox. Whatever the cap, a platform that answers "+
		"with a rate limit (its own rate-limit codes, HTTP 429, Retry-After) is paused and slowed down")
	fs.BoolVar(&f.allowDups, "allow-duplicates", false, "send rows whose mobile (or e-mail) is enrolled already by an earlier submission; without it they are skipped and reported")
	fs.BoolVar(&f.resendUnknown, "resend-unknown", false, "also resend rows whose earlier attempt may have created the customer on a platform where a resend is not idempotent ("+
		notIdempotentText()+"); use after checking the platform")
	fs.StringVar(&f.lang, "lang", langFromEnv(), "language of the report's messages: zh or en")
	fs.DurationVar(&f.every, "progress-every", 5*time.Second, "how often to print a progress line when stderr is not a terminal")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), importUsage)
		fs.PrintDefaults()
	}
	file, err := parseInterspersed(fs, args, stdout)
	if err != nil {
		return f, "", err
	}
	if f.output != "text" && f.output != "json" {
		return f, "", badInput("--output must be text or json, not %q", f.output)
	}
	if f.concurrency < 1 || f.concurrency > 256 {
		return f, "", badInput("--concurrency must be between 1 and 256, not %d", f.concurrency)
	}
	if f.lang != "zh" && f.lang != "en" {
		return f, "", badInput("--lang must be zh or en, not %q", f.lang)
	}
	return f, file, nil
}

// input is the file to read as the flags describe it.
func (f *importFlags) input(file string) (importer.Input, error) {
	enc, err := importer.ParseEncoding(f.encoding)
	if err != nil {
		return importer.Input{}, badInput("--encoding: %v", err)
	}
	colMap, err := importer.ParseMap(f.mapping)
	if err != nil {
		return importer.Input{}, badInput("--map: %v", err)
	}
	return importer.Input{Path: file, Format: importer.FormatOf(file), Encoding: enc, Sheet: f.sheet,
		Columns: importer.ColumnOptions{Map: colMap, Strict: f.strict}}, nil
}

// checkImportFile reads the whole file before anything is sent, writes its
// invalid rows to the report and says what it found; a file with nothing
// to send (or, with --strict, anything invalid) is refused.
func checkImportFile(ctx context.Context, f importFlags, in importer.Input, chosen []platforms.Platform, stderr io.Writer) (importer.Checked, error) {
	file := in.Path
	reportPath := f.report
	if reportPath == "" {
		reportPath = defaultReportPath(file, in.Sheet)
	}
	report := &lazyReport{path: reportPath, lang: f.lang, always: f.report != ""}
	checked, err := importer.Check(ctx, in, chosen, report.add)
	if cerr := report.close(); err == nil && cerr != nil {
		err = fmt.Errorf("report %s: %w", reportPath, cerr)
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return checked, &exitError{exitNotOK, errors.New("stopped while checking; nothing was sent")}
		}
		return checked, &exitError{exitBadInput, err}
	}
	reportTitles(stderr, checked.TitleRows, "custdesk: ")
	reportUnmapped(stderr, checked)
	fmt.Fprintf(stderr, "custdesk: %s: %d rows, %d valid, %d invalid (%s, %s)\n", termsafe.Line(file), checked.Rows, checked.Valid, checked.Invalid, checked.Format, checked.Encoding)
	if checked.Invalid > 0 {
		fmt.Fprintf(stderr, "custdesk: %d problem(s) in %d row(s) written to %s\n", checked.Problems, checked.Invalid, termsafe.Line(reportPath))
	}
	switch {
	case checked.Rows == 0:
		return checked, badInput("%s has no customer rows; nothing was sent", file)
	case f.strict && checked.Invalid > 0:
		return checked, badInput("--strict: %d invalid row(s); nothing was sent (see %s)", checked.Invalid, reportPath)
	case checked.Valid == 0:
		return checked, badInput("no valid row; nothing was sent (see %s)", reportPath)
	}
	return checked, nil
}

// defaultReportPath is where a file's invalid rows go unless --report says:
// beside it, named after it. Only a CSV file's extension is dropped
// (会员.csv → 会员.invalid.csv), so that the CSV and the workbook of one list,
// or two sheets of one workbook (--sheet), never write over each other's
// report.
func defaultReportPath(file, sheet string) string {
	base := file
	if ext := filepath.Ext(file); strings.EqualFold(ext, ".csv") {
		base = strings.TrimSuffix(file, ext)
	}
	if sheet != "" {
		// Excel allows neither separator in a sheet's name; the flag is typed.
		base += "." + strings.NewReplacer("/", "_", `\`, "_").Replace(sheet)
	}
	return base + ".invalid.csv"
}

// writeImportSummary writes what the import did, as text or JSON, and
// turns it into the exit status.
func writeImportSummary(stdout io.Writer, output string, sum importer.Summary, runErr error) error {
	if output == "json" {
		enc := json.NewEncoder(termsafe.JSONWriter(stdout)) // exact JSON, and safe on a terminal
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(sum); err != nil {
			return err
		}
	} else if err := sum.WriteText(stdout); err != nil {
		return err
	}
	switch {
	case runErr != nil:
		return runErr
	case sum.Stopped:
		return &exitError{exitNotOK, errors.New("stopped before every row was sent")}
	case !sum.AllOK():
		return &exitError{exitNotOK, nil}
	}
	return nil
}

// parseInterspersed parses flags given before and after the one FILE
// argument: people type `custdesk import FILE --platform alsc`.
func parseInterspersed(fs *flag.FlagSet, args []string, stdout io.Writer) (string, error) {
	files, err := parseFlags(fs, args, stdout)
	if err != nil {
		return "", err
	}
	switch len(files) {
	case 0:
		return "", badInput("import needs a FILE (.csv or .jsonl); see custdesk import -h")
	case 1:
		if files[0] == "-" {
			return "", badInput("import reads a file, not stdin: it reads it twice (check, then send) and keys resume on its digest")
		}
		return files[0], nil
	}
	return "", badInput("import takes one FILE, got %d: %s", len(files), strings.Join(files, " "))
}

// parseRates reads --rate "NAME=20,OTHER=5". Platforms not named keep their
// own default import rate (Traits.ImportRate): polite caps for real
// platforms, whose own answers slow the import down further when they ask to;
// none on the sandbox.
func parseRates(s string, platformsChosen []platforms.Platform, sandbox bool) (map[string]float64, error) {
	rates := map[string]float64{}
	chosen := names(platformsChosen)
	if !sandbox {
		for _, p := range platformsChosen {
			if r := p.Traits().ImportRate; r > 0 {
				rates[p.Name()] = r
			}
		}
	}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, value, ok := strings.Cut(part, "=")
		name = strings.TrimSpace(name)
		if !ok {
			return nil, badInput("--rate: %q is not PLATFORM=PER_SECOND", part)
		}
		known := false
		for _, c := range chosen {
			known = known || c == name
		}
		if !known {
			return nil, badInput("--rate: %q is not a chosen platform (%s)", name, strings.Join(chosen, ", "))
		}
		value = strings.TrimSpace(value)
		if value == "off" {
			value = "0"
		}
		r, err := strconv.ParseFloat(value, 64)
		if err != nil || r < 0 {
			return nil, badInput("--rate: %s=%q is not a number of requests per second", name, value)
		}
		rates[name] = r
	}
	return rates, nil
}

// lazyReport creates the report file on the first problem, so a clean file
// leaves nothing behind (unless --report asked for one).
type lazyReport struct {
	path   string
	lang   string
	always bool
	f      *os.File
	w      *importer.ReportWriter
}

func (r *lazyReport) open() error {
	if r.w != nil {
		return nil
	}
	f, err := private.Create(r.path) // the rows' personal data: 0600
	if err != nil {
		return err
	}
	w, err := importer.NewReportWriter(f, r.lang)
	if err != nil {
		f.Close()
		return err
	}
	r.f, r.w = f, w
	return nil
}

func (r *lazyReport) add(p importer.Problem) error {
	if err := r.open(); err != nil {
		return err
	}
	return r.w.Add(p)
}

func (r *lazyReport) close() error {
	if r.w == nil && r.always {
		if err := r.open(); err != nil {
			return err
		}
	}
	if r.w == nil {
		return nil
	}
	err := r.w.Flush()
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// knownPlatforms are the clients of every platform custdesk speaks, built on
// the sandbox's configuration: for help texts that list what each does.
func knownPlatforms() []platforms.Platform {
	ps, err := config.Sandbox("http://127.0.0.1:1").Build()
	if err != nil {
		return nil
	}
	return ps
}

// defaultRatesText lists each platform's default import rate: "a=20,b=5".
func defaultRatesText() string {
	var parts []string
	for _, p := range knownPlatforms() {
		parts = append(parts, p.Name()+"="+strconv.FormatFloat(p.Traits().ImportRate, 'f', -1, 64))
	}
	return strings.Join(parts, ",")
}

// notIdempotentText names the platforms a resend may duplicate on.
func notIdempotentText() string {
	var titles []string
	for _, p := range knownPlatforms() {
		if !p.Traits().Idempotent {
			titles = append(titles, p.Title())
		}
	}
	return strings.Join(titles, ", ")
}
