// Package nxlink is the client of NXLink's CDP open API, batch customer creation
// (POST /saas/cdp/openapi/customers/batch_create): validation against the API
// page's rules, mapping of the customer model, header signing and the answer's
// whole-call and per-item verdicts.
package nxlink

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// Platform identity.
const (
	Name  = "nxlink"
	Title = "NXLink"
)

// Endpoint facts from the API page.
const (
	DefaultBaseURL = "https://chl-api.nxlink.ai"
	Path           = "/saas/cdp/openapi/customers/batch_create"
	// MaxCustomers is the page's "单次限制100".
	MaxCustomers = 100
	// BizType and Action are fixed header values for this API.
	BizType = "2"
	Action  = "mt"
)

// Signing algorithms.
const (
	AlgorithmMD5    = "md5"
	AlgorithmSHA256 = "sha256"
)

// Values of the body's `type`: what happens when a customer already exists.
const (
	TypeReplace = 0 // drop the old data, keep the new
	TypeMerge   = 1 // update/add the new items onto the old data
	TypeKeep    = 2 // keep the old data, drop the new
)

// Config is the [platforms.nxlink] section of the configuration.
//
// Type's zero value is TypeReplace, a real choice on this API, so New cannot tell
// "unset" from "replace": start from DefaultConfig to get the documented default
// of TypeMerge.
type Config struct {
	BaseURL       string // scheme and host; Path is appended. Empty: DefaultBaseURL.
	AccessKey     string
	AccessSecret  string
	SignAlgorithm string // md5 | sha256; empty: md5
	TenantID      int64
	AppKey        string
	Type          int // TypeReplace, TypeMerge or TypeKeep
	StrictBinding bool
	Timeout       time.Duration // 0: platforms.DefaultTimeout
	// Levels maps level names as staff enter them to NXLink weights (1..5);
	// CustomFields maps custom-field keys to the tenant's customize_field
	// names ("customize_1_14", listed by GET /saas/cdp/openapi/customers/fields).
	Levels       map[string]int
	CustomFields map[string]string
}

// DefaultConfig is a Config with every documented default applied.
func DefaultConfig() Config {
	return Config{BaseURL: DefaultBaseURL, SignAlgorithm: AlgorithmMD5, Type: TypeMerge, Timeout: platforms.DefaultTimeout}
}

// Client sends customers to one NXLink tenant.
type Client struct {
	// Caller carries the timeout and HTTP client; tests and the sandbox swap it.
	Caller platforms.Caller

	cfg      Config
	endpoint string
	traceURL string // endpoint with any password masked
	urlMasks []platforms.Redaction
	mapping  platforms.Mapping
}

var _ platforms.Platform = (*Client)(nil)

// New checks cfg and returns a client for it.
func New(cfg Config) (*Client, error) {
	var problems []string
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	endpoint, err := endpointFor(cfg.BaseURL)
	if err != nil {
		problems = append(problems, err.Error())
	}
	if cfg.AccessKey == "" {
		problems = append(problems, "access_key is empty")
	}
	if cfg.AccessSecret == "" {
		problems = append(problems, "access_secret is empty")
	}
	switch strings.ToLower(cfg.SignAlgorithm) {
	case "", AlgorithmMD5:
		cfg.SignAlgorithm = AlgorithmMD5
	case AlgorithmSHA256:
		cfg.SignAlgorithm = AlgorithmSHA256
	default:
		problems = append(problems, fmt.Sprintf("sign_algorithm %q is not md5 or sha256", cfg.SignAlgorithm))
	}
	if cfg.TenantID <= 0 {
		problems = append(problems, fmt.Sprintf("tenant_id %d is not a tenant ID (a positive integer)", cfg.TenantID))
	}
	if cfg.AppKey == "" {
		problems = append(problems, "app_key is empty")
	}
	if cfg.Type < TypeReplace || cfg.Type > TypeKeep {
		problems = append(problems, fmt.Sprintf("type %d is not 0 (replace), 1 (merge) or 2 (keep old)", cfg.Type))
	}
	if cfg.Timeout < 0 {
		problems = append(problems, fmt.Sprintf("timeout %s is negative", cfg.Timeout))
	}
	m := platforms.Mapping{Fields: cfg.CustomFields}
	if len(cfg.Levels) > 0 {
		m.Levels = make(map[string]string, len(cfg.Levels))
		for k, v := range cfg.Levels {
			m.Levels[k] = strconv.Itoa(v)
		}
	}
	if err := m.Check(checkWeight); err != nil {
		problems = append(problems, strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	if len(problems) > 0 {
		return nil, errors.New("nxlink config: " + strings.Join(problems, "; "))
	}
	traceURL, urlMasks := platforms.MaskURL(endpoint, "CUSTDESK_NXLINK")
	return &Client{Caller: platforms.Caller{Timeout: cfg.Timeout}, cfg: cfg, endpoint: endpoint,
		traceURL: traceURL, urlMasks: urlMasks, mapping: m}, nil
}

// checkWeight is the page's rule for weight, for level mappings.
func checkWeight(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < minWeight || n > maxWeight {
		return fmt.Errorf("%s is not an NXLink weight (1..5)", v)
	}
	return nil
}

// endpointFor appends Path to base, tolerating a trailing slash or a base that
// already names the endpoint (people paste the URL from the API page).
func endpointFor(base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("base_url %q is not a URL", platforms.URLForMessage(base))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("base_url %q is not an http(s) URL with a host", platforms.URLForMessage(base))
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("base_url %q must not carry a query or fragment", platforms.URLForMessage(base))
	}
	p := strings.TrimSuffix(u.Path, "/")
	if !strings.HasSuffix(p, Path) {
		p += Path
	}
	u.Path, u.RawPath = p, ""
	return u.String(), nil
}

// Config returns the configuration the client runs with, defaults applied.
func (c *Client) Config() Config { return c.cfg }

// Endpoint is the full URL requests go to.
func (c *Client) Endpoint() string { return c.endpoint }

// Name is the platform key.
func (c *Client) Name() string { return Name }

// Title is the platform name people read.
func (c *Client) Title() string { return Title }

// MaxBatch is the API's per-request customer limit.
func (c *Client) MaxBatch() int { return MaxCustomers }

// Send builds, signs and sends sub, and parses the answer.
func (c *Client) Send(ctx context.Context, sub platforms.Submission) platforms.Exchange {
	return c.Caller.Send(ctx, Name, sub, c.Build, Parse)
}
