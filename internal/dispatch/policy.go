package dispatch

import (
	"github.com/custdesk/custdesk/internal/policy"
	"github.com/custdesk/custdesk/platforms"
)

// Retryable reports whether the queue retries an exchange automatically: the
// one policy (internal/policy) the importer and `submit --wait` follow too,
// read with the platform's traits. A platform no longer configured has no
// traits to go by and is never replayed.
func (d *Dispatcher) Retryable(ex platforms.Exchange) bool {
	return policy.ShouldRetry(d.traits(ex.Platform), ex.Result, ex.Status)
}

func (d *Dispatcher) traits(platform string) platforms.Traits {
	if p := d.byID[platform]; p != nil {
		return p.Traits()
	}
	return platforms.Traits{}
}

// idempotent reports whether a platform's sends can be replayed whatever
// became of the previous attempt.
func (d *Dispatcher) idempotent(platform string) bool { return d.traits(platform).Idempotent }
