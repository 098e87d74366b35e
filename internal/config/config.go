// Package config reads custdesk's TOML configuration, resolves `env:NAME`
// secrets, and turns each configured platform section into a platform client.
// A platform whose section is absent is not offered.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/alsc"
	"github.com/custdesk/custdesk/platforms/nxlink"
	"github.com/custdesk/custdesk/platforms/sandbox"
	"github.com/custdesk/custdesk/platforms/youzan"
)

// File is the configuration file's shape; its TOML keys are documented in
// config.toml.example.
type File struct {
	DataDir   string    `toml:"data_dir,omitempty"`
	Lang      string    `toml:"lang,omitempty"`
	Operator  string    `toml:"operator,omitempty"`
	Central   *Central  `toml:"central,omitempty"`
	Platforms Platforms `toml:"platforms"`
}

// Central is [central]: the chain's shared history on PostgreSQL. Absent
// (or with no url), nothing changes.
type Central struct {
	URL      string `toml:"url"`      // postgres://…, usually "env:CUSTDESK_CENTRAL_URL"; a secret
	Terminal string `toml:"terminal"` // "store-012/pos-1"; required with url
}

// Platforms holds one optional section per platform.
type Platforms struct {
	ALSC   *ALSC   `toml:"alsc,omitempty"`
	Youzan *Youzan `toml:"youzan,omitempty"`
	NXLink *NXLink `toml:"nxlink,omitempty"`
}

// ALSC is [platforms.alsc].
type ALSC struct {
	Gateway    string   `toml:"gateway"`
	AppKey     string   `toml:"app_key"`
	AppSecret  string   `toml:"app_secret"`
	SignMethod string   `toml:"sign_method,omitempty"`
	Session    string   `toml:"session,omitempty"`
	Channel    string   `toml:"channel,omitempty"`
	OuterType  string   `toml:"outer_type,omitempty"`
	ShopID     string   `toml:"shop_id,omitempty"`
	OutShopID  string   `toml:"out_shop_id,omitempty"`
	BrandID    string   `toml:"brand_id,omitempty"`
	OutBrandID string   `toml:"out_brand_id,omitempty"`
	OperatorID string   `toml:"operator_id,omitempty"`
	Timeout    Duration `toml:"timeout,omitempty"`
}

// Youzan is [platforms.youzan].
type Youzan struct {
	BaseURL    string            `toml:"base_url"`
	AppID      string            `toml:"app_id"`
	RootKdtID  int64             `toml:"root_kdt_id,omitempty"`
	OutStoreID string            `toml:"out_store_id,omitempty"`
	Headers    map[string]string `toml:"headers,omitempty"`
	Timeout    Duration          `toml:"timeout,omitempty"`
}

// NXLink is [platforms.nxlink].
type NXLink struct {
	BaseURL       string   `toml:"base_url"`
	AccessKey     string   `toml:"access_key"`
	AccessSecret  string   `toml:"access_secret"`
	SignAlgorithm string   `toml:"sign_algorithm,omitempty"`
	TenantID      int64    `toml:"tenant_id"`
	AppKey        string   `toml:"app_key"`
	Type          *int     `toml:"type,omitempty"` // nil: NXLink's default, 1 (merge)
	StrictBinding bool     `toml:"strict_binding"`
	Timeout       Duration `toml:"timeout,omitempty"`
}

// Duration is a time.Duration written as "10s" in TOML.
type Duration struct{ time.Duration }

func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("not a duration (like 10s or 1m30s): %q", b)
	}
	if v < 0 {
		return fmt.Errorf("negative duration %q", b)
	}
	d.Duration = v
	return nil
}

func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// IsZero lets omitempty drop unset timeouts.
func (d Duration) IsZero() bool { return d.Duration == 0 }

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

// Parse decodes TOML text and resolves its env: secrets.
func Parse(data []byte) (*Loaded, error) {
	var f File
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		return nil, tomlError(err)
	}
	l := &Loaded{File: f}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		l.Warnings = append(l.Warnings, "unknown keys ignored: "+strings.Join(keys, ", "))
	}
	if f.Platforms.ALSC == nil && f.Platforms.Youzan == nil && f.Platforms.NXLink == nil {
		return nil, errors.New("no [platforms.*] section: configure at least one of alsc, youzan, nxlink")
	}
	if err := l.resolve(); err != nil {
		return nil, err
	}
	if c := l.Central; c != nil && c.URL != "" && strings.TrimSpace(c.Terminal) == "" {
		return nil, errors.New(`central.terminal is required when central.url is set (like "store-012/pos-1")`)
	}
	return l, nil
}

// CentralOn reports whether a central store is configured.
func (l *Loaded) CentralOn() bool { return l != nil && l.Central != nil && l.Central.URL != "" }

// AppKey is the app key a platform's rate limit is counted against, for
// the chain's shared budget; "" for a platform not configured.
func (l *Loaded) AppKey(platform string) string {
	switch p := l.Platforms; platform {
	case "alsc":
		if p.ALSC != nil {
			return p.ALSC.AppKey
		}
	case "youzan":
		if p.Youzan != nil {
			return p.Youzan.AppID
		}
	case "nxlink":
		if p.NXLink != nil {
			return p.NXLink.AppKey
		}
	}
	return ""
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
		// The URL may carry the role's password.
		env("central.url", &c.URL, true)
	}
	if a := l.Platforms.ALSC; a != nil {
		env("platforms.alsc.app_key", &a.AppKey, false)
		env("platforms.alsc.app_secret", &a.AppSecret, true)
		env("platforms.alsc.session", &a.Session, true)
	}
	if y := l.Platforms.Youzan; y != nil {
		env("platforms.youzan.app_id", &y.AppID, false)
		for _, k := range sortedKeys(y.Headers) {
			v := y.Headers[k]
			env("platforms.youzan.headers."+k, &v, true)
			y.Headers[k] = v
		}
	}
	if n := l.Platforms.NXLink; n != nil {
		env("platforms.nxlink.access_key", &n.AccessKey, false)
		env("platforms.nxlink.access_secret", &n.AccessSecret, true)
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
	var f File
	if _, err := toml.Decode(string(raw), &f); err != nil {
		return nil
	}
	var keys []string
	lit := func(key, v string) {
		if v != "" && !strings.HasPrefix(v, "env:") {
			keys = append(keys, key)
		}
	}
	if c := f.Central; c != nil && !strings.HasPrefix(c.URL, "env:") {
		if u, err := url.Parse(c.URL); err == nil && u.User != nil {
			if _, has := u.User.Password(); has {
				keys = append(keys, "central.url")
			}
		}
	}
	if a := f.Platforms.ALSC; a != nil {
		lit("platforms.alsc.app_secret", a.AppSecret)
		lit("platforms.alsc.session", a.Session)
	}
	if y := f.Platforms.Youzan; y != nil {
		for _, k := range sortedKeys(y.Headers) {
			lit("platforms.youzan.headers."+k, y.Headers[k])
		}
	}
	if n := f.Platforms.NXLink; n != nil {
		lit("platforms.nxlink.access_secret", n.AccessSecret)
	}
	return keys
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Build makes one client per configured platform, in the order alsc, youzan,
// nxlink.
func (l *Loaded) Build() ([]platforms.Platform, error) {
	var ps []platforms.Platform
	var errs []error
	add := func(p platforms.Platform, err error) {
		if err != nil {
			errs = append(errs, err)
			return
		}
		ps = append(ps, p)
	}
	if a := l.Platforms.ALSC; a != nil {
		add(alsc.New(alsc.Config{
			Gateway: a.Gateway, AppKey: a.AppKey, AppSecret: a.AppSecret, SignMethod: a.SignMethod,
			Session: a.Session, Channel: a.Channel, OuterType: a.OuterType,
			ShopID: a.ShopID, OutShopID: a.OutShopID, BrandID: a.BrandID, OutBrandID: a.OutBrandID,
			OperatorID: a.OperatorID, Timeout: a.Timeout.Duration,
		}))
	}
	if y := l.Platforms.Youzan; y != nil {
		add(youzan.New(youzan.Config{
			BaseURL: y.BaseURL, AppID: y.AppID, RootKdtID: y.RootKdtID, OutStoreID: y.OutStoreID,
			Headers: y.Headers, Timeout: y.Timeout.Duration,
		}))
	}
	if n := l.Platforms.NXLink; n != nil {
		// Start from the defaults: type's zero value (0) would mean "replace".
		c := nxlink.DefaultConfig()
		c.BaseURL, c.AccessKey, c.AccessSecret = n.BaseURL, n.AccessKey, n.AccessSecret
		c.TenantID, c.AppKey, c.StrictBinding, c.Timeout = n.TenantID, n.AppKey, n.StrictBinding, n.Timeout.Duration
		if n.SignAlgorithm != "" {
			c.SignAlgorithm = n.SignAlgorithm
		}
		if n.BaseURL == "" {
			c.BaseURL = nxlink.DefaultConfig().BaseURL
		}
		if n.Type != nil {
			c.Type = *n.Type
		}
		add(nxlink.New(c))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return ps, nil
}

var merge = 1

// ForSandbox is a complete configuration pointing every platform at a sandbox
// served at baseURL, with the sandbox's demo credentials written literally.
func ForSandbox(baseURL string) File {
	return File{Platforms: Platforms{
		ALSC: &ALSC{
			Gateway: baseURL + sandbox.PathALSC, AppKey: sandbox.DemoALSCAppKey, AppSecret: sandbox.DemoALSCAppSecret,
			SignMethod: "hmac-sha256", Channel: "2", OuterType: "mobile", ShopID: sandbox.DemoALSCShopID,
		},
		Youzan: &Youzan{
			BaseURL: baseURL, AppID: sandbox.DemoYouzanAppID, RootKdtID: sandbox.DemoYouzanRootKdtID,
			OutStoreID: sandbox.DemoYouzanOutStoreID, Headers: map[string]string{"Authorization": sandbox.DemoYouzanToken},
		},
		NXLink: &NXLink{
			BaseURL: baseURL, AccessKey: sandbox.DemoNXLinkAccessKey, AccessSecret: sandbox.DemoNXLinkSecret,
			SignAlgorithm: "md5", TenantID: sandbox.DemoNXLinkTenantID, AppKey: sandbox.DemoNXLinkAppKey, Type: &merge,
		},
	}}
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
