package nxlink

import (
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// ImportRate is the pace an import keeps when none is configured: a request
// carries up to MaxCustomers customers, so 5 a second is 500 customers.
const ImportRate = 5

// TimestampWindow is the server's tolerance for the ts header.
const TimestampWindow = 60 * time.Second

// Traits: NXLink keys customers by their contact and, with the configured type
// reused, returns the existing customer instead of creating another, so every
// resend is safe.
func (c *Client) Traits() platforms.Traits {
	return platforms.Traits{Idempotent: true, ImportRate: ImportRate, ReplayWindow: TimestampWindow}
}
