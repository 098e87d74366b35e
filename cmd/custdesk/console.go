package main

import (
	"context"
	"flag"
	"io"
	"os"
	"strings"

	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/ui"
)

func runConsole(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("custdesk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	lang := fs.String("lang", "", "zh or en (default: config lang, then $LANG)")
	onCentral := fs.Bool("central", false, "open the history pane on every terminal of the chain (the central store; search takes terminal:NAME and store:NAME too); c switches to this terminal's")
	pos, err := parseFlags(fs, args, stderr)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInput("unknown command %q; see custdesk help", pos[0])
	}
	if *lang != "" && *lang != "zh" && *lang != "en" {
		return badInput("--lang must be zh or en")
	}
	e, err := setup(c, stderr)
	if err != nil {
		return err
	}
	defer e.Close()
	if *onCentral && !e.cfg.CentralOn() {
		return badInput("--central needs a [central] url in the configuration")
	}
	st, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	opts := ui.Options{
		Platforms:  e.platforms,
		Dispatcher: dispatch.New(st, e.platforms, dispatch.Options{Guard: e.guard(), Budgets: e.sendBudgets(e.platforms)}),
		Store:      st,
		Lang:       firstSet(*lang, e.cfg.Lang, langFromEnv()),
		NoColor:    os.Getenv("NO_COLOR") != "",
	}
	if e.sandbox != nil {
		opts.Sandbox = e.sandbox.URL
	} else if e.cfg != nil {
		opts.Source = shortHome(e.cfg.Path)
	}
	if e.central != nil {
		opts.Central, opts.Elsewhere = e.central.Status, e.elsewhere()
	}
	if *onCentral {
		chain, closeChain, err := e.chainHistory(ctx)
		if err != nil {
			return err
		}
		defer closeChain()
		opts.Chain, opts.Terminal = chain, e.cfg.Central.Terminal
	}
	return ui.Run(ctx, opts)
}

// langFromEnv picks zh when the locale is Chinese, else en.
func langFromEnv() string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "zh") {
				return "zh"
			}
			return "en"
		}
	}
	return "en"
}

func firstSet(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// shortHome writes a path under the home directory as ~/…, so the header
// has room for it.
func shortHome(p string) string {
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		if rest, ok := strings.CutPrefix(p, home+string(os.PathSeparator)); ok {
			return "~" + string(os.PathSeparator) + rest
		}
	}
	return p
}
