package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/private"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/sandbox"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

// common holds the flags every command that talks to platforms shares.
type common struct {
	configPath   string
	forceSandbox bool
	dataDir      string
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.configPath, "config", "", "configuration file (default $CUSTDESK_CONFIG, then "+config.DefaultPath()+")")
	fs.BoolVar(&c.forceSandbox, "sandbox", false, "use the built-in sandbox even when a configuration exists")
	fs.StringVar(&c.dataDir, "data-dir", "", "history and drafts directory (default config data_dir, then "+store.DefaultDir()+")")
}

// env is what a command runs with: the configuration, its platform clients,
// and the in-process sandbox when there is no configuration.
type env struct {
	cfg       *config.Loaded
	platforms []platforms.Platform
	sandbox   *sandbox.Running // nil unless running on the built-in sandbox
	central   *centralLink     // nil unless [central] is configured and the store is open
	dataDir   string
	stderr    io.Writer // where warnings go
}

// setup loads the configuration, or starts the built-in sandbox when there is
// none (or --sandbox), and says which on stderr.
func setup(c common, stderr io.Writer) (*env, error) {
	e, err := locate(c, stderr)
	if err != nil {
		return nil, err
	}
	if e.cfg == nil {
		rs, err := startBuiltinSandbox()
		if err != nil {
			return nil, fmt.Errorf("starting the built-in sandbox: %w", err)
		}
		e.sandbox = rs
		e.cfg = config.Sandbox(rs.URL)
		why := "no configuration file found"
		if c.forceSandbox {
			why = "--sandbox"
		}
		fmt.Fprintf(stderr, "custdesk: %s: using the built-in sandbox at %s (demo credentials; nothing leaves this machine)\n", why, rs.URL)
	}
	ps, err := e.cfg.Build()
	if err != nil {
		e.Close()
		return nil, &exitError{exitBadInput, err}
	}
	e.platforms = ps
	return e, nil
}

// setupQuiet is setup for commands that only read history: it finds the data
// directory without starting a sandbox or building clients.
func setupQuiet(c common, stderr io.Writer) (*env, error) { return locate(c, stderr) }

// locate loads the configuration file if there is one (cfg stays nil when
// custdesk runs on the sandbox) and settles the data directory.
func locate(c common, stderr io.Writer) (*env, error) {
	e := &env{stderr: stderr}
	if !c.forceSandbox {
		p, err := config.Locate(c.configPath)
		switch {
		case errors.Is(err, config.ErrNotFound):
		case err != nil:
			return nil, &exitError{exitBadInput, err}
		default:
			l, err := config.Load(p)
			if err != nil {
				return nil, &exitError{exitBadInput, err}
			}
			for _, w := range l.Warnings {
				fmt.Fprintln(stderr, "custdesk: warning:", termsafe.Line(w))
			}
			e.cfg = l
		}
	}
	e.dataDir = c.dataDir
	if e.dataDir == "" && e.cfg != nil {
		e.dataDir = e.cfg.DataDir
	}
	if e.dataDir == "" {
		e.dataDir = store.DefaultDir()
		if e.cfg == nil {
			// Demo records stay apart from real ones.
			e.dataDir = filepath.Join(e.dataDir, "sandbox")
		}
	}
	return e, nil
}

// Close stops the in-process sandbox, if any.
func (e *env) Close() {
	if e.central != nil {
		e.central.close()
	}
	if e.sandbox != nil {
		_ = e.sandbox.Close()
	}
}

// choose returns the platforms named in list ("alsc,nxlink"), or all when empty.
func (e *env) choose(list string) ([]platforms.Platform, error) {
	if strings.TrimSpace(list) == "" {
		return e.platforms, nil
	}
	var out []platforms.Platform
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		p := find(e.platforms, name)
		if p == nil {
			return nil, badInput("platform %q is not configured (configured: %s)", name, strings.Join(names(e.platforms), ", "))
		}
		if find(out, name) == nil {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, badInput("--platform names no platform")
	}
	return out, nil
}

func find(ps []platforms.Platform, name string) platforms.Platform {
	for _, p := range ps {
		if p.Name() == name {
			return p
		}
	}
	return nil
}

func names(ps []platforms.Platform) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name()
	}
	return out
}

// openStore opens the history, settles what a crashed run left in flight, and
// arms the store's second guard against secrets.
func (e *env) openStore(ctx context.Context) (*store.Store, error) {
	st, err := store.Open(e.dataDir)
	if err != nil {
		return nil, err // the store's errors say what is wrong and name --data-dir
	}
	if w := private.DirWarning(e.dataDir); w != "" && e.stderr != nil {
		fmt.Fprintln(e.stderr, "custdesk: warning:", termsafe.Line(w))
	}
	if e.cfg != nil {
		st.MaskSecrets(e.cfg.Secrets()...)
	}
	if _, err := st.Recover(ctx); err != nil {
		st.Close()
		return nil, fmt.Errorf("history store: recovering after a crash: %w", err)
	}
	if err := e.attachCentral(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// builtinSandboxAddr is where the built-in sandbox listens when the port is
// free, so old entries' URLs and copied curl commands stay valid from one
// run to the next; when it is taken (a second console), any free port.
const builtinSandboxAddr = "127.0.0.1:47810"

func startBuiltinSandbox() (*sandbox.Running, error) {
	if rs, err := sandbox.Start(sandbox.Demo(), builtinSandboxAddr); err == nil {
		return rs, nil
	}
	return sandbox.Start(sandbox.Demo(), "")
}
