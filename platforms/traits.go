package platforms

import "time"

// Traits are the facts about a platform that code outside platforms/ acts on,
// so that none of it has to know a platform by name: the retry and resend
// policy, the importer's pace, the note on a copied curl command. (The
// variables a copied command uses for secrets come with each request's
// Redactions.)
type Traits struct {
	// Idempotent: sending a submission again (its RequestID reused) can never
	// create the customer twice, whatever became of the earlier attempt. A
	// platform that is not idempotent is resent automatically only when the
	// earlier attempt cannot have been applied.
	Idempotent bool
	// ImportRate is the requests per second an import sends at when none is
	// configured; 0 is no cap.
	ImportRate float64
	// ReplayWindow is how far the platform lets a signed timestamp stray
	// (0: requests are not signed over a timestamp), so that a copied request
	// can say how long it replays.
	ReplayWindow time.Duration
	// TitleZH is how the platform is called in Chinese, where that differs
	// from Title ("有赞" for Youzan).
	TitleZH string
}
