package youzan

import (
	"maps"
	"slices"

	"github.com/custdesk/custdesk/platforms"
)

// Section is [platforms.youzan] of the configuration file;
// config.toml.example documents its keys.
type Section struct {
	BaseURL      string             `toml:"base_url"`
	AppID        string             `toml:"app_id"`
	RootKdtID    int64              `toml:"root_kdt_id,omitempty"`
	OutStoreID   string             `toml:"out_store_id,omitempty"`
	Headers      map[string]string  `toml:"headers,omitempty"`
	Timeout      platforms.Duration `toml:"timeout,omitempty"`
	Levels       map[string]string  `toml:"levels,omitempty"`
	CustomFields map[string]string  `toml:"custom_fields,omitempty"`
}

var _ platforms.Section = (*Section)(nil)

// Settings visits the values that may be written env:NAME: every header
// value is a secret, since no public source says which one authenticates.
func (s *Section) Settings(visit func(key string, value *string, secret bool)) {
	visit("app_id", &s.AppID, false)
	for _, k := range slices.Sorted(maps.Keys(s.Headers)) {
		v := s.Headers[k]
		visit("headers."+k, &v, true)
		s.Headers[k] = v
	}
}

// URLs are the configured endpoint URLs.
func (s *Section) URLs() []string { return []string{s.BaseURL} }

// RateKey is what the shared rate budget is kept per: the connector counts calls per app.
func (s *Section) RateKey() string { return s.AppID }

// Build makes the client.
func (s *Section) Build() (platforms.Platform, error) {
	c, err := New(Config{
		BaseURL: s.BaseURL, AppID: s.AppID, RootKdtID: s.RootKdtID, OutStoreID: s.OutStoreID,
		Headers: s.Headers, Timeout: s.Timeout.Duration, Levels: s.Levels, CustomFields: s.CustomFields,
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}
