package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"reflect"
	"runtime/debug"
	"strings"
)

// parseFlags parses flags given before, between and after the positional
// arguments (`submit - --dry-run`, `import FILE --platform a`) and returns
// the positional ones. -h or --help anywhere prints the command's flags on
// stdout and ends it with exit 0.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) ([]string, error) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "--help" || a == "-help" {
			fs.SetOutput(stdout)
			fs.Usage()
			return nil, &exitError{exitOK, nil}
		}
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, &exitError{exitOK, nil}
			}
			return nil, &exitError{exitBadInput, nil} // the flag package said what on stderr
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// valueFlags are the global flags that take a value as the next argument.
var valueFlags = map[string]bool{"config": true, "data-dir": true, "lang": true}

// splitCommand finds the sub-command wherever the global flags put it
// (`--config F config check` is `config check --config F`) and returns it
// with the other arguments in order; "" is the console.
func splitCommand(args []string) (string, []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if strings.HasPrefix(a, "-") {
			name := strings.TrimLeft(a, "-")
			if valueFlags[name] && !strings.Contains(name, "=") {
				i++ // its value
			}
			continue
		}
		return a, append(append([]string{}, args[:i]...), args[i+1:]...)
	}
	return "", args
}

// versionText is the module's version and the VCS revision it was built
// from, as the build recorded them; -ldflags "-X main.version=…" wins.
func versionText() string {
	v := version
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "custdesk " + v
	}
	if v == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = " (modified)"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += " " + rev + modified
	}
	return "custdesk " + v + " " + info.GoVersion
}

// jsonProblem says what is wrong with a customer's JSON in a person's words,
// not the decoder's Go types ("cannot unmarshal array into Go value of type
// platforms.Customer").
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("not valid JSON at byte %d: %s", syn.Offset, strings.TrimPrefix(syn.Error(), "invalid character "))
	case errors.As(err, &typ) && typ.Field == "":
		return fmt.Sprintf("expected one customer as a JSON object, got %s", jsonKind(typ.Value))
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q should be %s, got %s", typ.Field, goKind(typ.Type.Kind()), jsonKind(typ.Value))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON ends early"
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return "unknown field " + f
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func jsonKind(v string) string {
	switch v {
	case "array":
		return "a list [...]"
	case "object":
		return "an object {...}"
	}
	return "a " + v
}

func goKind(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "text"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Bool:
		return "true or false"
	}
	return "a number"
}
