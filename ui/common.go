package ui

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

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
	outbox    []tea.Msg // children's messages to the root, taken after each Update
}

func (c *common) tr(t text) string { return t.in(c.lang) }

// list joins items as the console's language writes a list: 、 in Chinese.
func (c *common) list(items []string) string { return strings.Join(items, c.tr(listComma)) }

// labelled is "label: text", with the console's language's colon.
func (c *common) labelled(label, s string) string { return label + c.tr(labelColon) + s }

func (c *common) platformTitle(name string) string {
	for _, p := range c.platforms {
		if p.Name() == name {
			return c.title(p)
		}
	}
	return name
}

// title is how people call p in the console's language.
func (c *common) title(p platforms.Platform) string { return titleIn(p, c.lang) }

func titleIn(p platforms.Platform, lang string) string {
	if zh := p.Traits().TitleZH; lang == "zh" && zh != "" {
		return zh
	}
	return p.Title()
}

// outcomeText is an outcome in the console's language; the code itself when
// it is not one the console knows.
func (c *common) outcomeText(o string) string {
	if t, ok := outcomeNames[o]; ok {
		return c.tr(t)
	}
	return o
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
