// Package config reads custdesk's TOML configuration, resolves `env:NAME`
// secrets, and turns each configured platform section into a platform client.
// A platform whose section is absent is not offered.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/catalog"
)

// File is the configuration file's shape; its TOML keys are documented in
// config.toml.example.
type File struct {
	DataDir   string   `toml:"data_dir,omitempty"`
	Lang      string   `toml:"lang,omitempty"`
	Operator  string   `toml:"operator,omitempty"`
	Central   *Central `toml:"central,omitempty"`
	Platforms Sections `toml:"platforms"`
}

// Sections holds the configured platforms' sections by platform name; each
// platform package defines its own (platforms.Section), and the catalog says
// which exist.
type Sections map[string]platforms.Section

// Duration is a time.Duration written as "10s" in TOML.
type Duration = platforms.Duration

// Loaded is a configuration ready to use.
type Loaded struct {
	File
	// Path is where it was read from; "" when running on the built-in sandbox.
	Path string
	// Warnings are things a person should know but that do not stop the program.
	Warnings []string
	// secrets are the resolved secret values, for masking and for tests.
	secrets []string
}

// Secrets returns every resolved secret value (app secrets, tokens, header values).
func (l *Loaded) Secrets() []string { return l.secrets }

// ErrNotFound means no configuration file exists anywhere custdesk looks.
var ErrNotFound = errors.New("no configuration file")

// Locate finds the configuration file: the explicit path, else
// $CUSTDESK_CONFIG, else $XDG_CONFIG_HOME/custdesk/config.toml (the OS's user
// config dir elsewhere). An explicit path that does not exist is an error; no file
// at the default places is ErrNotFound.
func Locate(explicit string) (string, error) {
	if explicit != "" {
		if _, err := os.Stat(explicit); err != nil {
			return "", fmt.Errorf("config %s: %w", explicit, err)
		}
		return explicit, nil
	}
	if env := os.Getenv("CUSTDESK_CONFIG"); env != "" {
		if _, err := os.Stat(env); err != nil {
			return "", fmt.Errorf("CUSTDESK_CONFIG=%s: %w", env, err)
		}
		return env, nil
	}
	p := DefaultPath()
	if _, err := os.Stat(p); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", ErrNotFound
		}
		return "", fmt.Errorf("config %s: %w", p, err)
	}
	return p, nil
}

// DefaultPath is $XDG_CONFIG_HOME/custdesk/config.toml, or the OS equivalent.
func DefaultPath() string {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		d, err := os.UserConfigDir()
		if err != nil {
			d = "."
		}
		dir = d
	}
	return filepath.Join(dir, "custdesk", "config.toml")
}

// Load reads and resolves the file at path.
func Load(path string) (*Loaded, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	l, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	l.Path = path
	if st, err := os.Stat(path); err == nil && runtime.GOOS != "windows" && st.Mode().Perm()&0o044 != 0 {
		if lit := l.literalSecretKeys(); len(lit) > 0 {
			l.Warnings = append(l.Warnings, fmt.Sprintf(
				"%s is readable by other users (mode %o) and holds literal secrets (%s): chmod 600 it, or write them as env:NAME",
				path, st.Mode().Perm(), strings.Join(lit, ", ")))
		}
	}
	return l, nil
}

// Parse decodes TOML text and resolves its env: secrets. Each platform's
// section is decoded into that platform's own type; a section no platform
// has is reported with the other unknown keys.
func Parse(data []byte) (*Loaded, error) {
	f, md, err := decode(data)
	if err != nil {
		return nil, tomlError(err)
	}
	if f.Lang != "" && f.Lang != "zh" && f.Lang != "en" {
		return nil, fmt.Errorf("lang = %q: must be zh or en", f.Lang)
	}
	l := &Loaded{File: f}
	l.Warnings = append(l.Warnings, unknownWarnings(md.Undecoded())...)
	if len(f.Platforms) == 0 {
		return nil, fmt.Errorf("no [platforms.*] section: configure at least one of %s", strings.Join(kindNames(), ", "))
	}
	if err := l.resolve(); err != nil {
		return nil, err
	}
	if err := l.checkCentral(); err != nil {
		return nil, err
	}
	return l, nil
}

// fileTOML is the file as first decoded: platform sections are decoded
// later, each into its platform's own type.
type fileTOML struct {
	DataDir   string                    `toml:"data_dir"`
	Lang      string                    `toml:"lang"`
	Operator  string                    `toml:"operator"`
	Central   *Central                  `toml:"central"`
	Platforms map[string]toml.Primitive `toml:"platforms"`
}

// decode reads the file, each platform section into its platform's type.
func decode(data []byte) (File, toml.MetaData, error) {
	var raw fileTOML
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		return File{}, md, err
	}
	f := File{DataDir: raw.DataDir, Lang: raw.Lang, Operator: raw.Operator, Central: raw.Central, Platforms: Sections{}}
	for _, k := range catalog.Kinds() {
		prim, ok := raw.Platforms[k.Name]
		if !ok {
			continue
		}
		sec := k.New()
		if err := md.PrimitiveDecode(prim, sec); err != nil {
			return File{}, md, err // names its line and key already
		}
		f.Platforms[k.Name] = sec
	}
	return f, md, nil
}

func kindNames() []string {
	var names []string
	for _, k := range catalog.Kinds() {
		names = append(names, k.Name)
	}
	return names
}

// resolve replaces env:NAME values by the environment's, in every secret-bearing
// and free-text field, and collects the secret values.
func (l *Loaded) resolve() error {
	var errs []error
	env := func(key string, v *string, secret bool) {
		if strings.HasPrefix(*v, "env:") {
			name := strings.TrimPrefix(*v, "env:")
			val, ok := os.LookupEnv(name)
			if !ok || val == "" {
				errs = append(errs, fmt.Errorf("%s: environment variable %s is not set", key, name))
			}
			*v = val
		}
		if secret && *v != "" {
			l.addSecret(key, *v, &errs)
		}
	}
	if c := l.Central; c != nil {
		env("central.url", &c.URL, true) // it may carry the role's password
	}
	for _, name := range l.Platforms.names() {
		l.Platforms[name].Settings(func(key string, v *string, secret bool) {
			env("platforms."+name+"."+key, v, secret)
		})
	}
	l.urlSecrets()
	return errors.Join(errs...)
}

// literalSecretKeys re-reads the raw file to name secrets written literally.
func (l *Loaded) literalSecretKeys() []string {
	raw, err := os.ReadFile(l.Path)
	if err != nil {
		return nil
	}
	f, _, err := decode(raw)
	if err != nil {
		return nil
	}
	keys := f.Central.literalSecrets()
	for _, name := range f.Platforms.names() {
		f.Platforms[name].Settings(func(key string, v *string, secret bool) {
			if secret && *v != "" && !strings.HasPrefix(*v, "env:") {
				keys = append(keys, "platforms."+name+"."+key)
			}
		})
	}
	return keys
}

// names are the configured platforms in the catalog's order.
func (s Sections) names() []string {
	var out []string
	for _, k := range catalog.Kinds() {
		if _, ok := s[k.Name]; ok {
			out = append(out, k.Name)
		}
	}
	return out
}

// Build makes one client per configured platform, in the catalog's order.
func (l *Loaded) Build() ([]platforms.Platform, error) {
	var ps []platforms.Platform
	var errs []error
	for _, name := range l.Platforms.names() {
		p, err := l.Platforms[name].Build()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ps = append(ps, p)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return ps, nil
}

// ForSandbox is a complete configuration pointing every platform at a sandbox
// served at baseURL, with the sandbox's demo credentials written literally.
func ForSandbox(baseURL string) File {
	f := File{Platforms: Sections{}}
	for _, k := range catalog.Kinds() {
		f.Platforms[k.Name] = k.Sandbox(baseURL)
	}
	return f
}

// Sandbox resolves a sandbox File as if it had been loaded.
func Sandbox(baseURL string) *Loaded {
	l := &Loaded{File: ForSandbox(baseURL)}
	_ = l.resolve() // demo values hold no env: references
	return l
}

// Encode writes f as TOML.
func Encode(f File) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("# custdesk configuration; every key is described in config.toml.example\n")
	if err := toml.NewEncoder(&buf).Encode(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
