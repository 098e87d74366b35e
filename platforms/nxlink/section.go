package nxlink

import "github.com/custdesk/custdesk/platforms"

// Section is [platforms.nxlink] of the configuration file;
// config.toml.example documents its keys.
type Section struct {
	BaseURL       string             `toml:"base_url"`
	AccessKey     string             `toml:"access_key"`
	AccessSecret  string             `toml:"access_secret"`
	SignAlgorithm string             `toml:"sign_algorithm,omitempty"`
	TenantID      int64              `toml:"tenant_id"`
	AppKey        string             `toml:"app_key"`
	Type          *int               `toml:"type,omitempty"` // nil: NXLink's default, 1 (merge)
	StrictBinding bool               `toml:"strict_binding"`
	Timeout       platforms.Duration `toml:"timeout,omitempty"`
	Levels        map[string]int     `toml:"levels,omitempty"`
	CustomFields  map[string]string  `toml:"custom_fields,omitempty"`
}

var _ platforms.Section = (*Section)(nil)

// Settings visits the values that may be written env:NAME.
func (s *Section) Settings(visit func(key string, value *string, secret bool)) {
	visit("access_key", &s.AccessKey, false)
	visit("access_secret", &s.AccessSecret, true)
}

// URLs are the configured endpoint URLs.
func (s *Section) URLs() []string { return []string{s.BaseURL} }

// RateKey is what the shared rate budget is kept per: the open API counts calls per app key.
func (s *Section) RateKey() string { return s.AppKey }

// Build makes the client, starting from the documented defaults: type's zero
// value (0) would mean "replace".
func (s *Section) Build() (platforms.Platform, error) {
	c := DefaultConfig()
	c.AccessKey, c.AccessSecret = s.AccessKey, s.AccessSecret
	c.TenantID, c.AppKey, c.StrictBinding, c.Timeout = s.TenantID, s.AppKey, s.StrictBinding, s.Timeout.Duration
	c.Levels, c.CustomFields = s.Levels, s.CustomFields
	if s.BaseURL != "" {
		c.BaseURL = s.BaseURL
	}
	if s.SignAlgorithm != "" {
		c.SignAlgorithm = s.SignAlgorithm
	}
	if s.Type != nil {
		c.Type = *s.Type
	}
	cl, err := New(c)
	if err != nil {
		return nil, err
	}
	return cl, nil
}
