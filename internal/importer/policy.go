package importer

import (
	"github.com/custdesk/custdesk/internal/policy"
	"github.com/custdesk/custdesk/platforms"
)

// Resending is safe or not per platform, and an import resends a lot: within a
// run when an answer is retryable, and on every re-run for rows not yet ok.
// Both follow internal/policy, the rule the console's retry queue follows, so
// an import and the queue never disagree about the same row:
//
//   - an idempotent platform: a re-run resends every row that is not ok;
//   - any other: a re-run resends a row only when its earlier attempt cannot
//     have created the customer; otherwise the row waits for a person
//     (--resend-unknown, or resend from history).

// mayResend decides for a platform state read from history (a re-run) or an
// answer just received whether sending again is safe.
func mayResend(t platforms.Traits, outcome platforms.Outcome, r platforms.Result, status int) bool {
	return policy.ResendSafe(t, outcome, r, status)
}

// retryNow decides whether an answer just received is worth another attempt
// within this run.
func retryNow(t platforms.Traits, r platforms.Result, status int) bool {
	return policy.ShouldRetry(t, r, status)
}
