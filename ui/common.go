package ui

import (
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// common is what every component shares: language, styles, key maps, the
// configured platforms and the clock. Components keep a pointer to one value
// owned by the root model.
type common struct {
	lang      string
	st        *styles
	keys      keyMaps
	platforms []platforms.Platform
	now       func() time.Time
}

func (c *common) tr(t text) string { return t.in(c.lang) }

func (c *common) platformTitle(name string) string {
	for _, p := range c.platforms {
		if p.Name() == name {
			return p.Title()
		}
	}
	return name
}

// platform returns the configured platform of that name.
func (c *common) platform(name string) (platforms.Platform, bool) {
	for _, p := range c.platforms {
		if p.Name() == name {
			return p, true
		}
	}
	return nil, false
}

// traits are the named platform's, or none when it is no longer configured.
func (c *common) traits(name string) platforms.Traits {
	if p, ok := c.platform(name); ok {
		return p.Traits()
	}
	return platforms.Traits{}
}
