package alsc

import "github.com/custdesk/custdesk/platforms"

// Section is [platforms.alsc] of the configuration file; config.toml.example
// documents its keys.
type Section struct {
	Gateway    string             `toml:"gateway"`
	AppKey     string             `toml:"app_key"`
	AppSecret  string             `toml:"app_secret"`
	SignMethod string             `toml:"sign_method,omitempty"`
	Session    string             `toml:"session,omitempty"`
	Channel    string             `toml:"channel,omitempty"`
	OuterType  string             `toml:"outer_type,omitempty"`
	ShopID     string             `toml:"shop_id,omitempty"`
	OutShopID  string             `toml:"out_shop_id,omitempty"`
	BrandID    string             `toml:"brand_id,omitempty"`
	OutBrandID string             `toml:"out_brand_id,omitempty"`
	OperatorID string             `toml:"operator_id,omitempty"`
	Timeout    platforms.Duration `toml:"timeout,omitempty"`
	Levels     map[string]string  `toml:"levels,omitempty"`
}

var _ platforms.Section = (*Section)(nil)

// Settings visits the values that may be written env:NAME.
func (s *Section) Settings(visit func(key string, value *string, secret bool)) {
	visit("app_key", &s.AppKey, false)
	visit("app_secret", &s.AppSecret, true)
	visit("session", &s.Session, true)
}

// URLs are the configured endpoint URLs.
func (s *Section) URLs() []string { return []string{s.Gateway} }

// RateKey is what the shared rate budget is kept per: TOP counts its call limits (codes 7 and 8) per app key.
func (s *Section) RateKey() string { return s.AppKey }

// Build makes the client.
func (s *Section) Build() (platforms.Platform, error) {
	c, err := New(Config{
		Gateway: s.Gateway, AppKey: s.AppKey, AppSecret: s.AppSecret, SignMethod: s.SignMethod,
		Session: s.Session, Channel: s.Channel, OuterType: s.OuterType,
		ShopID: s.ShopID, OutShopID: s.OutShopID, BrandID: s.BrandID, OutBrandID: s.OutBrandID,
		OperatorID: s.OperatorID, Timeout: s.Timeout.Duration, Levels: s.Levels,
	})
	if err != nil {
		return nil, err // a nil *Client would make a non-nil Platform
	}
	return c, nil
}
