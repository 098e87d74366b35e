package dispatch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// A member, not a keypress, is what is enrolled. Every path that sends a
// create (the console's send, edit and resend, `custdesk submit`) asks
// Enrol what already exists for the member on each platform first: created
// means never send a create again, queued or in flight means leave it to its
// sender, waiting for a person means leave it in the attention inbox. Only a
// person's confirmation (AllowDuplicate) creates a second customer.

// Why is why a platform was not sent to.
type Why string

const (
	WhyCreated   Why = "created"   // the member is a customer there already
	WhySending   Why = "sending"   // queued or in flight: its sender has it
	WhyAttention Why = "attention" // sent with no verdict: a person must resend or drop
	WhyRejected  Why = "rejected"  // refused as it stands: change the record first
	WhyDropped   Why = "dropped"   // a person chose not to send it again
	// WhyElsewhere: the chain's guard held the send, the member being
	// enrolled there at another terminal; a person may create it anyway.
	WhyElsewhere Why = "elsewhere"
)

// Skipped is a platform Enrol did not send to, and why.
type Skipped struct {
	Platform string
	Why      Why
	// Holder is the submission that holds the member there: the bound one,
	// or an earlier one found by the member's mobile or e-mail.
	Holder      int64
	Created     store.Enrolment // when Holder is another submission
	CustomerIDs []string
}

// EnrolRequest is one person's request to enrol a member.
type EnrolRequest struct {
	Customer  platforms.Customer
	Platforms []string
	Source    string
	// Bound is the submission the form was sent as (0: a new member). Sent
	// again unchanged, it is continued: same request_id, only the platforms
	// that still need it.
	Bound int64
	// Confirmed: the person confirmed that an edit of a bound record may go
	// out as a new submission although some platform accepted the old one.
	Confirmed bool
	// AllowDuplicate: the person confirmed creating another customer where
	// the member is enrolled already.
	AllowDuplicate bool
}

// EnrolPlan is what Enrol wrote ahead and what the caller now sends.
type EnrolPlan struct {
	// Submission is written ahead for Send (ID 0 when nothing is to be sent).
	Submission store.Submission
	Send       []string
	Skipped    []Skipped
	// Continued: Submission is the bound one, continued.
	Continued bool
}

// ErrEditAccepted: an edited record was sent again while its submission is
// accepted on some platform; EnrolRequest.Confirmed lets it go as new.
var ErrEditAccepted = errors.New("the record was changed after a platform accepted it")

// EditError names the platforms that accepted the record before its edit.
type EditError struct{ Accepted []string }

func (e *EditError) Error() string {
	return fmt.Sprintf("%v (accepted by %v)", ErrEditAccepted, e.Accepted)
}
func (e *EditError) Unwrap() error { return ErrEditAccepted }

// Enrol decides, per platform, whether to send, writes ahead what will be
// sent, and returns the plan. It sends nothing itself.
func (d *Dispatcher) Enrol(ctx context.Context, req EnrolRequest) (EnrolPlan, error) {
	for _, n := range req.Platforms {
		if d.byID[n] == nil {
			return EnrolPlan{}, fmt.Errorf("platform %q is not configured", n)
		}
	}
	if req.Bound != 0 {
		bound, err := d.st.Get(ctx, req.Bound)
		if err != nil {
			return EnrolPlan{}, err
		}
		if SameCustomer(bound.Customer, req.Customer) {
			return d.continueBound(ctx, bound, req)
		}
		if acc := accepted(bound); len(acc) > 0 && !req.Confirmed {
			return EnrolPlan{}, &EditError{Accepted: acc}
		}
	}
	return d.enrolNew(ctx, req)
}

func accepted(sub store.Submission) []string {
	var out []string
	for _, p := range sub.Platforms {
		if o := sub.States[p].Outcome; o == platforms.OK || o == platforms.Partial {
			out = append(out, p)
		}
	}
	return out
}

// continueBound sends the bound submission again where it still needs it.
func (d *Dispatcher) continueBound(ctx context.Context, sub store.Submission, req EnrolRequest) (EnrolPlan, error) {
	plan := EnrolPlan{Submission: sub, Continued: true}
	var fresh []string
	for _, p := range req.Platforms {
		st, ok := sub.States[p]
		if !ok {
			fresh = append(fresh, p)
			continue
		}
		if why, skip := d.whyNot(p, st, req.AllowDuplicate); skip {
			plan.Skipped = append(plan.Skipped, Skipped{Platform: p, Why: why, Holder: sub.ID, CustomerIDs: st.Result.CustomerIDs})
			continue
		}
		plan.Send = append(plan.Send, p)
	}
	if len(fresh) > 0 {
		free, skipped, err := d.free(ctx, req, fresh, sub.ID)
		if err != nil {
			return EnrolPlan{}, err
		}
		plan.Skipped = append(plan.Skipped, skipped...)
		if len(free) > 0 {
			if err := d.st.AddPlatforms(ctx, sub.ID, free, req.AllowDuplicate); err != nil {
				return EnrolPlan{}, err
			}
			plan.Send = append(plan.Send, free...)
		}
	}
	if len(plan.Send) > 0 {
		if req.AllowDuplicate && !sub.AllowDuplicate {
			if err := d.st.ConfirmDuplicate(ctx, sub.ID); err != nil {
				return EnrolPlan{}, err
			}
		}
		cur, err := d.st.Get(ctx, sub.ID)
		if err != nil {
			return EnrolPlan{}, err
		}
		plan.Submission = cur
	}
	return plan, nil
}

// whyNot says whether a platform of the bound submission must not be sent
// again, and why. Waiting for a person, or dropped, an idempotent platform
// may be sent again: its replay cannot create a second customer. Held by
// the chain's guard, it is sent again once a person allows a duplicate.
func (d *Dispatcher) whyNot(platform string, st store.PlatformState, allowDuplicate bool) (Why, bool) {
	switch st.State {
	case store.StatePending, store.StateInFlight, store.StateQueued:
		return WhySending, true
	case store.StateSettled:
		if st.Outcome == platforms.Rejected && st.Result.Code == CodeEnrolledElsewhere {
			return WhyElsewhere, !allowDuplicate
		}
		if st.Outcome == platforms.Rejected {
			return WhyRejected, true
		}
		return WhyCreated, true
	case store.StateAttention:
		return WhyAttention, !d.idempotent(platform)
	case store.StateDropped:
		return WhyDropped, !d.idempotent(platform)
	}
	return "", false
}

// enrolNew writes a new submission for the platforms the member is free on.
func (d *Dispatcher) enrolNew(ctx context.Context, req EnrolRequest) (EnrolPlan, error) {
	free, skipped, err := d.free(ctx, req, req.Platforms, 0)
	if err != nil {
		return EnrolPlan{}, err
	}
	plan := EnrolPlan{Skipped: skipped}
	if len(free) == 0 {
		return plan, nil
	}
	sub := store.Submission{Customer: req.Customer, Platforms: free, Source: req.Source, AllowDuplicate: req.AllowDuplicate}
	if err := d.st.Begin(ctx, &sub); err != nil {
		// Another console or an import enrolled the member since the
		// look-up: the guard in the transaction caught it.
		return EnrolPlan{}, err
	}
	plan.Submission, plan.Send = sub, free
	return plan, nil
}

// free splits names into those the member is not enrolled on (outside the
// submission except) and those it is, with why.
func (d *Dispatcher) free(ctx context.Context, req EnrolRequest, names []string, except int64) ([]string, []Skipped, error) {
	if req.AllowDuplicate {
		return names, nil, nil
	}
	ens, err := d.st.Enrolments(ctx, store.MemberKey(req.Customer), names...)
	if err != nil {
		return nil, nil, err
	}
	held := map[string]store.Enrolment{}
	for _, en := range ens {
		if en.SubmissionID != except {
			held[en.Platform] = en
		}
	}
	var free []string
	var skipped []Skipped
	for _, n := range names {
		en, ok := held[n]
		if !ok {
			free = append(free, n)
			continue
		}
		skipped = append(skipped, Skipped{Platform: n, Why: enrolmentWhy(en), Holder: en.SubmissionID, Created: en, CustomerIDs: en.CustomerIDs})
	}
	return free, skipped, nil
}

func enrolmentWhy(en store.Enrolment) Why {
	switch en.State {
	case store.StateSettled:
		return WhyCreated
	case store.StateAttention:
		return WhyAttention
	}
	return WhySending
}

// SameCustomer compares records by their public JSON: an empty list and a
// missing one are the same record, as they are to every platform.
func SameCustomer(a, b platforms.Customer) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}
