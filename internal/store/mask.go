package store

import "github.com/custdesk/custdesk/platforms"

// mask is the exchange as it is stored: platforms.Redact, the one place that
// decides what a kept, shown or printed exchange hides.
func mask(ex platforms.Exchange, secrets []string) platforms.Exchange {
	return platforms.Redact(ex, secrets)
}
