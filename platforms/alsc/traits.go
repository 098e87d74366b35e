package alsc

import (
	"time"

	"github.com/custdesk/custdesk/platforms"
)

// ImportRate is the pace an import keeps when none is configured: well under
// the per-app call limits TOP enforces (codes 7 and 8).
const ImportRate = 20

// TimestampWindow is how far TOP lets a timestamp stray from its clock.
const TimestampWindow = 10 * time.Minute

// Traits: a replay reuses the request_id, which ALSC answers with the first
// call's result, so every resend is safe.
func (c *Client) Traits() platforms.Traits {
	return platforms.Traits{
		Idempotent:   true,
		ImportRate:   ImportRate,
		ReplayWindow: TimestampWindow,
		TitleZH:      TitleZH,
	}
}
