package ui

import (
	"strings"
	"testing"

	"github.com/custdesk/custdesk/platforms/sandbox"
)

// A send on the retry queue says when it goes next, under a label shown
// whole: the label column is as wide as the widest label the detail may
// show, in both languages.
func TestDetailNextRetryLabelIsWhole(t *testing.T) {
	for lang, want := range map[string]string{"zh": "重试于 ", "en": "next retry  "} {
		t.Run(lang, func(t *testing.T) {
			g := newGateway(t)
			g.setDown(true, sandbox.PathYouzan)
			c := openTillIn(t, g, t.TempDir(), lang)
			c.enter("王小二", "13411111111")
			typeKeys(c.tm, "ctrl+s")
			c.idle(t)
			typeKeys(c.tm, "ctrl+o", "enter")
			waitScreen(t, c.tm, "13411111111")
			typeKeys(c.tm, "tab")
			waitModel(t, c.tm, "the next retry, labelled "+want, func(m *Model) bool {
				for _, l := range strings.Split(screenText(m), "\n") {
					if strings.HasPrefix(l, want) && strings.Count(l, ":") >= 2 {
						return true
					}
				}
				return false
			})
		})
	}
}
