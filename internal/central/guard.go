package central

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/custdesk/custdesk/internal/store"
)

// SendGuard is the chain's duplicate guard as the dispatcher asks it
// (dispatch.Guard): a claim per member and platform before each send.
type SendGuard struct{ c *Claimer }

// NewSendGuard guards the sends of terminal.
func NewSendGuard(pool *pgxpool.Pool, terminal string) *SendGuard {
	return &SendGuard{c: NewClaimer(pool, terminal)}
}

// Claim says who holds the member when another submission does. A person
// who confirmed a duplicate is not stopped, and takes no claim.
func (g *SendGuard) Claim(ctx context.Context, sub store.Submission, platform string) (string, error) {
	if sub.AllowDuplicate {
		return "", nil
	}
	r := g.c.Claim(ctx, MemberKey(sub.Customer), platform, sub.ID)
	switch r.Verdict {
	case Taken:
		return fmt.Sprintf("already enrolled at %s on %s (submission %d there)",
			r.Holder.Terminal, r.Holder.At.Local().Format("01-02 15:04"), r.Holder.SubmissionID), nil
	case Unreachable:
		return "", r.Err
	}
	return "", nil
}

// Release gives the member back after a definite rejection.
func (g *SendGuard) Release(ctx context.Context, sub store.Submission, platform string) {
	_ = g.c.Release(ctx, MemberKey(sub.Customer), platform, sub.ID) // a claim left taken only blocks until a person looks
}
