package store

import "github.com/custdesk/custdesk/platforms"

// State is where one platform of a submission stands, as one value. The
// store keeps the facts it is made of (outcome, queued, in flight, dropped)
// and SQLite derives the state from them in one expression, stateSQL, which
// every query and every reader uses: the console, the CLI, the queue's
// counts and the duplicate guard can never disagree about it.
type State string

const (
	// StatePending: written ahead, not sent yet.
	StatePending State = "pending"
	// StateInFlight: an attempt is on its way (this process or another).
	StateInFlight State = "in_flight"
	// StateQueued: waits for an automatic retry.
	StateQueued State = "queued"
	// StateSettled: the platform gave a verdict (ok, partial or rejected);
	// nothing more will happen.
	StateSettled State = "settled"
	// StateAttention: failed or sent with no verdict, and nothing automatic
	// follows: only a person can choose resend or drop.
	StateAttention State = "attention"
	// StateDropped: a person chose not to send it again (it can still be
	// resent).
	StateDropped State = "dropped"
)

// stateSQL is the one definition of State over a row of states. Order
// matters: a dropped row is dropped whatever it last answered, a row being
// sent is in flight even if it was queued.
const stateSQL = `CASE
	WHEN dropped = 1 THEN 'dropped'
	WHEN in_flight <> 0 THEN 'in_flight'
	WHEN queued = 1 THEN 'queued'
	WHEN outcome = '' THEN 'pending'
	WHEN outcome IN ('failed', 'unknown') THEN 'attention'
	ELSE 'settled' END`

// enrolledSQL holds over a row of states when the member it belongs to is,
// or may be, a customer of that platform, or will be without anyone doing
// anything: created, being created, or waiting for a person to find out.
// Only a verdict of no (rejected) or a person's drop leaves the platform free
// for another create. It is the duplicate guard's one definition.
const enrolledSQL = `(state IN ('pending', 'in_flight', 'queued', 'attention')
	OR (state = 'settled' AND outcome IN ('ok', 'partial')))`

// Enrolled reports whether this state keeps the member from being created
// again on its platform (see enrolledSQL).
func (p PlatformState) Enrolled() bool {
	switch p.State {
	case StatePending, StateInFlight, StateQueued, StateAttention:
		return true
	case StateSettled:
		return p.Outcome == platforms.OK || p.Outcome == platforms.Partial
	}
	return false
}

// Settled reports whether nothing more will happen to this platform without a
// person: it has an outcome and is neither queued nor in flight.
func (p PlatformState) Settled() bool {
	return p.State == StateSettled || p.State == StateAttention || p.State == StateDropped
}

// AwaitsPerson reports a send that only a person can settle: it is in the
// attention inbox.
func (p PlatformState) AwaitsPerson() bool { return p.State == StateAttention }
