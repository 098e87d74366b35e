package config

import (
	"errors"
	"net/url"
	"strings"

	"github.com/custdesk/custdesk/platforms"
)

// Central is [central]: the chain's shared history on PostgreSQL. Absent
// (or with no url), nothing changes.
type Central struct {
	URL      string `toml:"url"`      // postgres://…, usually "env:CUSTDESK_CENTRAL_URL"; a secret
	Terminal string `toml:"terminal"` // "store-012/pos-1"; required with url
}

// CentralOn reports whether a central store is configured.
func (l *Loaded) CentralOn() bool { return l != nil && l.Central != nil && l.Central.URL != "" }

func (l *Loaded) checkCentral() error {
	if c := l.Central; c != nil && c.URL != "" && strings.TrimSpace(c.Terminal) == "" {
		return errors.New(`central.terminal is required when central.url is set (like "store-012/pos-1")`)
	}
	return nil
}

// literalSecrets names central.url when the file spells out a password in it.
func (c *Central) literalSecrets() []string {
	if c == nil || strings.HasPrefix(c.URL, "env:") {
		return nil
	}
	if u, err := url.Parse(c.URL); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			return []string{"central.url"}
		}
	}
	return nil
}

// AppKey is the credential a platform's rate limit is counted against, for
// the chain's shared budget; "" for a platform not configured or without
// one.
func (l *Loaded) AppKey(platform string) string {
	if k, ok := l.Platforms[platform].(platforms.RateKeyed); ok {
		return k.RateKey()
	}
	return ""
}
