// Command custdesk is the console and command-line tool: it enters customers,
// sends them to Alibaba ALSC, Youzan and NXLink, and keeps every exchange.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/custdesk/custdesk/platforms/termsafe"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Exit codes: 0 everything ok, 1 a platform did not answer ok or a runtime
// failure, 2 bad usage or bad input (nothing was sent).
const (
	exitOK       = 0
	exitNotOK    = 1
	exitBadInput = 2
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func badInput(format string, a ...any) error {
	return &exitError{exitBadInput, fmt.Errorf(format, a...)}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd, rest := splitCommand(args)
	if cmd == "" && len(rest) > 0 && (rest[0] == "-h" || rest[0] == "--help" || rest[0] == "-help") {
		cmd = "help"
	}
	var err error
	switch cmd {
	case "":
		err = runConsole(ctx, rest, stderr)
	case "submit":
		err = runSubmit(ctx, rest, stdin, stdout, stderr)
	case "sandbox":
		err = runSandbox(ctx, rest, stdout, stderr)
	case "history":
		err = runHistory(ctx, rest, stdout, stderr)
	case "import":
		err = runImport(ctx, rest, stdout, stderr)
	case "central":
		err = runCentral(ctx, rest, stdout, stderr)
	case "config":
		err = runConfig(rest, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, versionText())
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage())
	default:
		fmt.Fprintf(stderr, "custdesk: unknown command %q\n\n%s", cmd, usage())
		return exitBadInput
	}
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(stderr, "custdesk:", termsafe.Text(ee.err.Error()))
		}
		return ee.code
	}
	// Errors quote file names, paths and platforms' answers.
	fmt.Fprintln(stderr, "custdesk:", termsafe.Text(err.Error()))
	return exitNotOK
}

// usage names the platforms by their titles, as the clients give them.
func usage() string {
	var titles []string
	for _, p := range knownPlatforms() {
		titles = append(titles, p.Title())
	}
	list := strings.Join(titles, ", ")
	if n := len(titles); n > 1 {
		list = strings.Join(titles[:n-1], ", ") + " and " + titles[n-1]
	}
	return "custdesk: enter a customer once, send it to " + list + "." + usageText
}

const usageText = `

  custdesk [--config FILE] [--sandbox] [--lang zh|en] [--data-dir DIR] [--central]   the console
  custdesk submit [--platform a,b] [--dry-run] [--output text|json] [FILE|-]
  custdesk import FILE.csv|FILE.xlsx|FILE.jsonl [--check] [--sheet NAME] [--platform …] [--output text|json]
  custdesk history [--search Q] [--platform P] [--outcome O] [--since D] [--until D] [--output text|json|csv]
  custdesk sandbox [--listen ADDR] [--write-config FILE] [--fault-rate R] [--latency D]
  custdesk central init [--grant ROLE]
  custdesk config check|init
  custdesk version

With no configuration file, custdesk runs on its built-in sandbox: no credentials,
no network. Run 'custdesk COMMAND -h' for a command's flags.
`
