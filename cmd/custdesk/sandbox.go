package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/private"
	"github.com/custdesk/custdesk/platforms/sandbox"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

func runSandbox(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8765", "address to listen on")
	writeConfig := fs.String("write-config", "", "write a config pointing every platform at this sandbox to FILE (mode 0600; an existing FILE is kept unless --force)")
	force := fs.Bool("force", false, "with --write-config: replace an existing FILE")
	faultRate := fs.Float64("fault-rate", 0, "probability 0..1 that a request gets an injected fault")
	faultKinds := fs.String("faults", strings.Join(sandbox.AllFaults, ","), "fault kinds to draw from")
	latency := fs.Duration("latency", 0, "added latency per request (e.g. 300ms)")
	seats := fs.String("seat-users", sandbox.DemoNXLinkSeatUser, "seat users (belong_seat_user) the sandbox knows, comma-separated")
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInput("sandbox takes no arguments but flags (got %q)", pos[0])
	}
	if *faultRate < 0 || *faultRate > 1 {
		return badInput("--fault-rate must be between 0 and 1")
	}
	if *writeConfig != "" && !*force {
		if _, err := os.Lstat(*writeConfig); err == nil {
			return badInput("--write-config: %s already exists; use --force to replace it", termsafe.Line(*writeConfig))
		}
	}
	cfg := sandbox.Demo()
	cfg.Faults = sandbox.Faults{Latency: *latency, Rate: *faultRate}
	for _, k := range strings.Split(*faultKinds, ",") {
		if k = strings.TrimSpace(k); k != "" {
			if !contains(sandbox.AllFaults, k) {
				return badInput("unknown fault %q (known: %s)", k, strings.Join(sandbox.AllFaults, ", "))
			}
			cfg.Faults.Kinds = append(cfg.Faults.Kinds, k)
		}
	}
	cfg.NXLinkSeatUsers = nil
	for _, s := range strings.Split(*seats, ",") {
		if s = strings.TrimSpace(s); s != "" {
			cfg.NXLinkSeatUsers = append(cfg.NXLinkSeatUsers, s)
		}
	}
	rs, err := sandbox.Start(cfg, *listen)
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	defer rs.Close()
	text, err := config.Encode(config.ForSandbox(rs.URL))
	if err != nil {
		return err
	}
	if *writeConfig != "" {
		if err := writeSandboxConfig(*writeConfig, text, *force); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "custdesk sandbox listening on %s\n", rs.URL)
	for _, api := range sandbox.APIs() {
		fmt.Fprintf(stderr, "  %-6s %s %s%s\n", api.Title, strings.Join(api.Methods, ","), rs.URL, api.Path)
	}
	if *writeConfig != "" {
		fmt.Fprintf(stderr, "config written to %s; use it with: custdesk --config %s\n", *writeConfig, *writeConfig)
	}
	fmt.Fprintf(stdout, "%s", text)
	if f, ok := stdout.(*os.File); ok {
		_ = f.Sync()
	}
	<-ctx.Done()
	fmt.Fprintln(stderr, "custdesk sandbox: stopping")
	shutdown := make(chan struct{})
	go func() { _ = rs.Close(); close(shutdown) }()
	select {
	case <-shutdown:
	case <-time.After(2 * time.Second):
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// writeSandboxConfig writes the config 0600 (it holds demo secrets written
// literally): as a new file, or with force through a new file renamed over
// the old one, so the old file's mode is not kept and a symbolic link is
// replaced rather than followed.
func writeSandboxConfig(path string, text []byte, force bool) error {
	var err error
	if force {
		err = private.Replace(path, text)
	} else {
		err = private.WriteNew(path, text)
	}
	switch {
	case errors.Is(err, fs.ErrExist):
		return badInput("--write-config: %s already exists; use --force to replace it", termsafe.Line(path))
	case err != nil:
		return fmt.Errorf("--write-config: %w", err)
	}
	return nil
}
