// Package youzan creates members through Youzan's cloud connector contract,
// POST {base}/MemberCreateExtension.
//
// In the connector, an iPaaS flow posts this body to an endpoint that a third-party
// system hosts, and that system answers with its own member ID in data.outOpenId.
// This client therefore talks to a configured base URL, not to a fixed Youzan host.
//
// No public source documents a signing scheme for this contract, so nothing is
// signed (Trace.Signed is always ""). Authentication is whatever extra headers the
// config carries (a bearer token, a shared key); their values are treated as
// secrets and masked wherever a request is shown.
package youzan

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// Name and Title identify the platform to people and to config.
const (
	Name    = "youzan"
	Title   = "Youzan"
	TitleZH = "有赞"
)

// Path is the connector action appended to the configured base URL.
const Path = "/MemberCreateExtension"

// Config is the [platforms.youzan] section of the config file.
type Config struct {
	// BaseURL is the connector endpoint; Path is appended (a trailing slash, or
	// Path itself already at the end, is tolerated).
	BaseURL string
	// AppID is the connector application, sent as appId. Required.
	AppID string
	// RootKdtID is the Youzan head-office shop ID, sent as rootKdtId; 0 omits it.
	RootKdtID int64
	// OutStoreID is the third-party store ID, sent as outStoreId; "" omits it.
	OutStoreID string
	// Headers are extra request headers, e.g. Authorization. Their values are
	// secrets: masked in every Trace.
	Headers map[string]string
	// Timeout bounds one call; 0 means platforms.DefaultTimeout.
	Timeout time.Duration
	// Levels maps level names as staff enter them to Youzan level aliases
	// (yzLevelAlias, "有赞会员的等级别名(即ID/编码)"); CustomFields maps
	// custom-field keys to Youzan attribute names.
	Levels       map[string]string
	CustomFields map[string]string
}

// Client sends member creations to one configured connector endpoint.
type Client struct {
	// Caller is exported so tests and the sandbox can swap the http.Client.
	Caller platforms.Caller

	appID      string
	rootKdtID  int64
	outStoreID string
	url        string
	traceURL   string   // url with any userinfo password masked
	headers    []header // sorted by name so requests are reproducible
	mapping    platforms.Mapping
	// traceHeaders and traceMasks (the URL's, then the headers') are every
	// trace's; each trace gets its own copy.
	traceHeaders map[string]string
	traceMasks   []platforms.Redaction
}

type header struct{ name, value string }

// headers the client owns: letting config override them would make the body and
// its description disagree, or break the request framing.
var reservedHeaders = map[string]bool{
	"Content-Type": true, "Content-Length": true, "Host": true, "Transfer-Encoding": true, "Connection": true,
}

// New checks cfg and returns a client for it.
func New(cfg Config) (*Client, error) {
	var errs []error
	if strings.TrimSpace(cfg.AppID) == "" {
		errs = append(errs, errors.New("youzan: app_id is required (the connector's appId)"))
	}
	endpoint, traceURL, urlMasks, err := endpointURL(cfg.BaseURL)
	if err != nil {
		errs = append(errs, err)
	}
	if cfg.RootKdtID < 0 {
		errs = append(errs, fmt.Errorf("youzan: root_kdt_id %d is negative", cfg.RootKdtID))
	}
	if cfg.Timeout < 0 {
		errs = append(errs, fmt.Errorf("youzan: timeout %s is negative", cfg.Timeout))
	}
	hs, err := checkHeaders(cfg.Headers)
	if err != nil {
		errs = append(errs, err)
	}
	mapping := platforms.Mapping{Levels: cfg.Levels, Fields: cfg.CustomFields}
	if err := mapping.Check(nil); err != nil {
		errs = append(errs, fmt.Errorf("youzan: %w", err))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	shownHeaders, headerMasks := traceHeaders(hs)
	return &Client{
		traceHeaders: shownHeaders,
		traceMasks:   append(slices.Clone(urlMasks), headerMasks...),
		mapping:      mapping,
		Caller:       platforms.Caller{Timeout: cfg.Timeout},
		appID:        cfg.AppID,
		rootKdtID:    cfg.RootKdtID,
		outStoreID:   cfg.OutStoreID,
		url:          endpoint,
		traceURL:     traceURL,
		headers:      hs,
	}, nil
}

func endpointURL(base string) (endpoint, traceURL string, urlMasks []platforms.Redaction, err error) {
	base = strings.TrimSpace(base)
	if base == "" {
		return "", "", nil, errors.New("youzan: base_url is required (the connector endpoint, e.g. https://connector.example.com)")
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", "", nil, fmt.Errorf("youzan: base_url %q is not a URL", platforms.URLForMessage(base))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", "", nil, fmt.Errorf("youzan: base_url %q must start with http:// or https://", platforms.URLForMessage(base))
	}
	if u.Host == "" {
		return "", "", nil, fmt.Errorf("youzan: base_url %q has no host", platforms.URLForMessage(base))
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", "", nil, fmt.Errorf("youzan: base_url %q must not carry a query or fragment", platforms.URLForMessage(base))
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	if !strings.HasSuffix(u.Path, Path) {
		u.Path += Path
	}
	endpoint = u.String()
	traceURL, urlMasks = platforms.MaskURL(endpoint, "CUSTDESK_YOUZAN")
	return endpoint, traceURL, urlMasks, nil
}

func checkHeaders(in map[string]string) ([]header, error) {
	var errs []error
	out := make([]header, 0, len(in))
	for name, value := range in {
		canon := http.CanonicalHeaderKey(strings.TrimSpace(name))
		switch {
		case !validHeaderName(canon):
			errs = append(errs, fmt.Errorf("youzan: header name %q is not a valid HTTP header name", name))
		case reservedHeaders[canon]:
			errs = append(errs, fmt.Errorf("youzan: header %s is set by the client and cannot be configured", canon))
		case strings.TrimSpace(value) == "":
			// An env:NAME reference to an unset variable ends up here; sending an
			// empty token would only earn a 401 further on.
			errs = append(errs, fmt.Errorf("youzan: header %s has an empty value (is its environment variable set?)", canon))
		case strings.ContainsAny(value, "\r\n\x00"):
			errs = append(errs, fmt.Errorf("youzan: header %s value contains a line break or NUL", canon))
		default:
			out = append(out, header{canon, value})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	for i := 1; i < len(out); i++ {
		if out[i].name == out[i-1].name {
			errs = append(errs, fmt.Errorf("youzan: header %s is configured twice (names are case-insensitive)", out[i].name))
		}
	}
	return out, errors.Join(errs...)
}

// validHeaderName reports whether s is an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// Name is the platform's stable key.
func (c *Client) Name() string { return Name }

// Title is the platform's name as people read it.
func (c *Client) Title() string { return Title }

// MaxBatch is 1: MemberCreateExtension creates one member per call.
func (c *Client) MaxBatch() int { return 1 }

// URL is the endpoint requests go to.
func (c *Client) URL() string { return c.url }

// Send builds the request, sends it and parses the answer. It never panics.
func (c *Client) Send(ctx context.Context, sub platforms.Submission) platforms.Exchange {
	return c.Caller.Send(ctx, Name, sub, c.Build, Parse)
}

var _ platforms.Platform = (*Client)(nil)
