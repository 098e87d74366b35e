// Package alsc creates customers in Alibaba's local-life CRM
// (alibaba.alsc.crm.customer.create) over the Taobao Open Platform (TOP) form
// protocol: a signed form POST whose business object travels as one JSON string.
package alsc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// Protocol constants of TOP and this API.
const (
	Name  = "alsc"
	Title = "Alibaba ALSC"
	// TitleZH is how Chinese-speaking staff call it.
	TitleZH = "阿里本地生活"

	Method        = "alibaba.alsc.crm.customer.create"
	BusinessParam = "param_customer_create_open_req"
	Version       = "2.0"
	Format        = "json"
	ContentType   = "application/x-www-form-urlencoded;charset=utf-8"
	// TimestampLayout is TOP's yyyy-MM-dd HH:mm:ss, always read in GMT+8.
	TimestampLayout = "2006-01-02 15:04:05"

	// ProductionGateway is the gateway config.toml.example starts from.
	ProductionGateway = "https://eco.taobao.com/router/rest"

	DefaultSignMethod = SignHMACSHA256
	DefaultChannel    = "2" // 2 = POS
	OuterTypeMobile   = "mobile"
	DefaultOuterType  = OuterTypeMobile
)

// GMT8 is the zone TOP reads timestamps in, whatever the local zone: a fixed
// offset, so machines without tzdata (Windows POS terminals) sign the same.
var GMT8 = time.FixedZone("GMT+8", 8*60*60)

// Config is the [platforms.alsc] section of the config file.
type Config struct {
	Gateway    string `toml:"gateway"`
	AppKey     string `toml:"app_key"`
	AppSecret  string `toml:"app_secret"`
	SignMethod string `toml:"sign_method"` // md5 | hmac | hmac-sha256; empty: hmac-sha256
	// Session is TOP's user authorisation token, only for apps that need one. It
	// is a credential: it is masked wherever a request is shown.
	Session    string        `toml:"session"`
	Channel    string        `toml:"channel"`    // empty: "2" (POS)
	OuterType  string        `toml:"outer_type"` // empty: "mobile"
	ShopID     string        `toml:"shop_id"`
	OutShopID  string        `toml:"out_shop_id"`
	BrandID    string        `toml:"brand_id"`
	OutBrandID string        `toml:"out_brand_id"`
	OperatorID string        `toml:"operator_id"`
	Timeout    time.Duration `toml:"timeout"` // 0: platforms.DefaultTimeout
	// Levels maps level names as staff enter them to ALSC level IDs (level_id).
	Levels map[string]string `toml:"levels"`
}

// Client sends customers to ALSC. It is safe for concurrent use.
type Client struct {
	// Caller is the transport; tests and the sandbox swap its http.Client.
	Caller platforms.Caller
	cfg    Config

	signers  *signers
	traceURL string // the gateway with any password masked
	urlMasks []platforms.Redaction
}

var _ platforms.Platform = (*Client)(nil)

// New checks cfg and fills its defaults.
func New(cfg Config) (*Client, error) {
	if cfg.SignMethod == "" {
		cfg.SignMethod = DefaultSignMethod
	}
	if cfg.Channel == "" {
		cfg.Channel = DefaultChannel
	}
	if cfg.OuterType == "" {
		cfg.OuterType = DefaultOuterType
	}
	var errs []error
	if cfg.Gateway == "" {
		errs = append(errs, errors.New("gateway is missing (e.g. "+ProductionGateway+")"))
	} else if u, err := url.Parse(cfg.Gateway); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("gateway %q is not an http(s) URL", platforms.URLForMessage(cfg.Gateway)))
	}
	if cfg.AppKey == "" {
		errs = append(errs, errors.New("app_key is missing"))
	}
	if cfg.AppSecret == "" {
		errs = append(errs, errors.New("app_secret is missing"))
	}
	if !slices.Contains(SignMethods, cfg.SignMethod) {
		errs = append(errs, fmt.Errorf("sign_method %q is not one of md5, hmac, hmac-sha256", cfg.SignMethod))
	}
	// outer_id must come from the customer record, and the only external ID the
	// record carries is the mobile number.
	if cfg.OuterType != OuterTypeMobile {
		errs = append(errs, fmt.Errorf("outer_type %q is not supported: the customer record only carries a mobile number to use as outer_id, so outer_type must be %q", cfg.OuterType, OuterTypeMobile))
	}
	if cfg.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %s is negative", cfg.Timeout))
	}
	if err := (platforms.Mapping{Levels: cfg.Levels}).Check(nil); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("alsc config: %w", errors.Join(errs...))
	}
	signers, err := newSigners(cfg.AppSecret, cfg.SignMethod)
	if err != nil {
		return nil, fmt.Errorf("alsc config: %w", err)
	}
	traceURL, urlMasks := platforms.MaskURL(cfg.Gateway, envURL)
	return &Client{Caller: platforms.Caller{Timeout: cfg.Timeout}, cfg: cfg, signers: signers,
		traceURL: traceURL, urlMasks: urlMasks}, nil
}

// Config returns the configuration in force, defaults filled in.
func (c *Client) Config() Config { return c.cfg }

func (c *Client) Name() string  { return Name }
func (c *Client) Title() string { return Title }

// MaxBatch is 1: the API creates one customer per call.
func (c *Client) MaxBatch() int { return 1 }

// Build returns the signed form request for sub, which must carry exactly one
// customer and a request ID (ALSC's idempotency key).
func (c *Client) Build(sub platforms.Submission) (*http.Request, platforms.Trace, error) {
	trace := platforms.Trace{Method: http.MethodPost, URL: c.traceURL, Redactions: slices.Clone(c.urlMasks)}
	if sub.RequestID == "" {
		return nil, trace, errors.New("request_id is empty: ALSC requires one per submission as its idempotency key")
	}
	if len(sub.Customers) != 1 {
		return nil, trace, fmt.Errorf("ALSC takes exactly one customer per request, got %d", len(sub.Customers))
	}
	var biz string
	// Keep "<", ">" and "&" readable in names and addresses; the platform reads
	// either form, and this is the form people compare against.
	err := platforms.EncodeJSON(c.Request(sub.RequestID, sub.Customers[0]), func(b []byte) { biz = string(b) })
	if err != nil {
		return nil, trace, fmt.Errorf("encode %s: %w", BusinessParam, err)
	}
	// In the byte order of the keys, which is the order TOP signs in; "sign"
	// is filled in once the others are signed.
	params := make([]param, 0, 9)
	params = append(params, param{"app_key", c.cfg.AppKey}, param{"format", Format}, param{"method", Method},
		param{BusinessParam, biz})
	if c.cfg.Session != "" {
		params = append(params, param{"session", c.cfg.Session})
	}
	signAt := len(params)
	params = append(params, param{"sign", ""}, param{"sign_method", c.cfg.SignMethod},
		param{"timestamp", sub.Now().In(GMT8).Format(TimestampLayout)}, param{"v", Version})
	signed := signText(params, c.cfg.AppSecret, c.cfg.SignMethod)
	params[signAt].value = c.signers.sign(signed.Sent())
	body := formText(params)

	req, err := http.NewRequest(http.MethodPost, c.cfg.Gateway, strings.NewReader(body.Sent()))
	if err != nil {
		return nil, trace, fmt.Errorf("gateway %q: %w", trace.URL, err)
	}
	req.Header.Set("Content-Type", ContentType)

	trace.Headers = map[string]string{"Content-Type": ContentType}
	trace.Body = []byte(body.Shown())
	trace.Signed = signed.Shown()
	trace.Redactions = slices.Grow(trace.Redactions, len(body.Redactions())+len(signed.Redactions()))
	trace.Redactions = append(trace.Redactions, body.Redactions()...)
	trace.Redactions = append(trace.Redactions, signed.Redactions()...)
	return req, trace, nil
}

// Variables a copied request uses for ALSC's secrets.
const (
	EnvSession = "CUSTDESK_ALSC_SESSION"
	EnvSecret  = "CUSTDESK_ALSC_SECRET"
	envURL     = "CUSTDESK_ALSC"
)

// formText writes params, sorted by key, as url.Values.Encode does (both
// query-escaped), masking the session's value by its position.
func formText(params []param) *platforms.SecretText {
	n := 0
	for _, p := range params {
		n += platforms.QueryEscapedLen(p.key) + platforms.QueryEscapedLen(p.value) + 2
	}
	t := platforms.NewSecretText(platforms.PartBody)
	t.Grow(n)
	for i, p := range params {
		if i > 0 {
			t.Write("&")
		}
		t.WriteQuery(p.key)
		t.Write("=")
		if p.key == "session" {
			t.Secret(url.QueryEscape(p.value), EnvSession)
		} else {
			t.WriteQuery(p.value)
		}
	}
	return t
}

// Send builds, sends and parses one submission. It never panics.
func (c *Client) Send(ctx context.Context, sub platforms.Submission) platforms.Exchange {
	return c.Caller.Send(ctx, Name, sub, c.Build, Parse)
}
