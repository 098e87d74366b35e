package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/private"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

func runConfig(args []string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("config", flag.ContinueOnError)
	fset.SetOutput(stderr)
	file := fset.String("config", "", "the configuration file (instead of FILE)")
	fset.Usage = func() {
		fmt.Fprintln(fset.Output(), "usage: custdesk config check [FILE] | custdesk config init [FILE]")
		fset.PrintDefaults()
	}
	args, err := parseFlags(fset, args, stdout)
	if err != nil {
		return err
	}
	if *file != "" && len(args) == 1 {
		args = append(args, *file)
	}
	if len(args) == 0 {
		return badInput("usage: custdesk config check [FILE] | custdesk config init [FILE]")
	}
	switch args[0] {
	case "check":
		path, err := config.Locate(arg(args, 1))
		if errors.Is(err, config.ErrNotFound) {
			fmt.Fprintf(stdout, "no configuration file (looked at $CUSTDESK_CONFIG and %s): custdesk runs on the built-in sandbox\n", config.DefaultPath())
			return nil
		}
		if err != nil {
			return &exitError{exitBadInput, err}
		}
		l, err := config.Load(path)
		if err != nil {
			return &exitError{exitBadInput, err}
		}
		for _, w := range l.Warnings {
			fmt.Fprintln(stderr, "warning:", termsafe.Line(w))
		}
		dataDir := l.DataDir
		if dataDir == "" {
			dataDir = store.DefaultDir()
		}
		if w := private.DirWarning(dataDir); w != "" {
			fmt.Fprintln(stderr, "warning:", termsafe.Line(w))
		}
		ps, err := l.Build()
		if err != nil {
			return &exitError{exitBadInput, err}
		}
		fmt.Fprintf(stdout, "%s: ok\n", termsafe.Line(path))
		for _, p := range ps {
			fmt.Fprintf(stdout, "  %-7s %s\n", p.Name(), termsafe.Line(p.Title()))
		}
		if l.CentralOn() {
			return checkCentral(stdout, l)
		}
		return nil
	case "init":
		path := arg(args, 1)
		if path == "" {
			path = config.DefaultPath()
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return err
		}
		// Created new or not at all: an existing file, or a symbolic link
		// (even one pointing nowhere), is never written through.
		if err := private.WriteNew(path, config.Example); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return badInput("%s already exists (a file or a symbolic link); not overwriting it", termsafe.Line(path))
			}
			return err
		}
		fmt.Fprintf(stdout, "wrote %s; fill in the platforms you use and remove the others\n", path)
		return nil
	}
	return badInput("unknown config command %q (check or init)", args[0])
}

func arg(args []string, i int) string {
	if i < len(args) {
		return args[i]
	}
	return ""
}
