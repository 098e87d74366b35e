// Command demo runs the console against the in-process sandbox with a
// throw-away history, for trying the screen by hand before cmd/custdesk is
// wired (`go run ./ui/internal/demo [-lang zh] [-dir DIR]`).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms/sandbox"
	"github.com/custdesk/custdesk/ui"
)

func main() {
	lang := flag.String("lang", "", "zh or en")
	dir := flag.String("dir", "", "history directory (default: a temporary one)")
	flag.Parse()
	if err := run(*lang, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(lang, dir string) error {
	sb, err := sandbox.Start(sandbox.Demo(), "")
	if err != nil {
		return err
	}
	defer sb.Close()
	ps, err := config.Sandbox(sb.URL).Build()
	if err != nil {
		return err
	}
	if dir == "" {
		if dir, err = os.MkdirTemp("", "custdesk-demo-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	st, err := store.Open(dir)
	if err != nil {
		return err
	}
	defer st.Close()
	return ui.Run(context.Background(), ui.Options{
		Platforms: ps, Dispatcher: dispatch.New(st, ps, dispatch.Options{}), Store: st,
		Lang: lang, Sandbox: sb.URL, NoColor: os.Getenv("NO_COLOR") != "",
	})
}
