package youzan

import "github.com/custdesk/custdesk/platforms"

// ImportRate is the pace an import keeps when none is configured.
const ImportRate = 20

// Traits: MemberCreateExtension has no idempotency key, so a second attempt
// after one that reached the connector may create the member twice.
func (c *Client) Traits() platforms.Traits {
	return platforms.Traits{ImportRate: ImportRate, TitleZH: TitleZH}
}
