package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

// A member, not a keypress, is what the console enrols. A form that was
// sent stays bound to its submission until it is cleared; ctrl+s on a bound
// form continues that submission (dispatch.Enrol decides, per platform,
// what still needs sending), so pressing it again, or after a restart, can
// never create a second customer.

// binding is the submission the form was sent as.
type binding struct {
	id       int64
	customer platforms.Customer // as sent
	// waiting: the submit ended with a platform still missing, which the
	// retry queue (or a resend) may yet create (see deliveredLater).
	waiting bool
}

// enrolledMsg answers a submit: what Enrol wrote ahead and will send.
type enrolledMsg struct {
	token int
	plan  dispatch.EnrolPlan
	err   error
}

// enrolHow carries what a person confirmed for this submit.
type enrolHow struct {
	confirmedEdit bool // send an edited record as a new submission
	duplicate     bool // create another customer where the member exists
}

// submit validates and, when the form is clean, asks Enrol to write ahead
// what the member still needs, then sends it to those platforms at once.
func (m *Model) submit() tea.Cmd {
	f := m.form
	m.setFocus(paneForm)
	if len(f.selectedNames()) == 0 {
		m.status.set(paneForm, noticeError, m.c.tr(msgNoPlatform))
		f.moveFocus(0)
		return nil
	}
	f.submitted = true
	f.validate()
	f.relayout()
	if n := f.problems(); n > 0 {
		f.moveFocus(f.firstProblem())
		f.ensureVisible()
		m.status.set(paneForm, noticeFix, fmt.Sprintf(m.c.tr(msgFixErrors), n))
		return nil
	}
	f.ensureVisible()
	if m.subs.sending(f.version) {
		m.status.set(paneForm, noticeInfo, m.c.tr(msgAlreadySending))
		return nil
	}
	return m.enrol(enrolHow{})
}

func (m *Model) enrol(how enrolHow) tea.Cmd {
	if m.send == nil {
		return nil
	}
	f := m.form
	c, _ := f.customer()
	req := dispatch.EnrolRequest{Customer: c, Platforms: f.selectedNames(), Source: store.SourceConsole,
		Confirmed: how.confirmedEdit, AllowDuplicate: how.duplicate}
	if m.bound != nil {
		req.Bound = m.bound.id
	}
	ctx, cancel := context.WithCancel(m.ctx)
	s := &submitting{name: termsafe.Line(c.Name), version: f.version, focus: f.focus, ctx: ctx, cancel: cancel,
		started: m.c.now(), names: req.Platforms, results: map[string]platforms.Exchange{}}
	m.subs.add(s)
	m.status.clear(paneForm)
	send, token := m.send, s.token
	// Writing ahead must not be cut short by a cancel: a plan that was
	// written is sent (a cancelled send is recorded as such, never lost).
	wctx := context.WithoutCancel(ctx)
	return tea.Batch(func() tea.Msg {
		plan, err := send.Enrol(wctx, req)
		return enrolledMsg{token: token, plan: plan, err: err}
	}, m.startSpinner())
}

func (m *Model) enrolled(msg enrolledMsg) tea.Cmd {
	s := m.subs.byToken(msg.token)
	if s == nil {
		return nil
	}
	var edit *dispatch.EditError
	switch {
	case errors.As(msg.err, &edit):
		m.subs.remove(s)
		m.askEditAccepted(edit.Accepted)
		return nil
	case msg.err != nil:
		m.subs.remove(s)
		m.status.set(paneForm, noticeError, fmt.Sprintf(m.c.tr(msgBeginFailed), msg.err))
		return m.lookupHere()
	}
	plan := msg.plan
	m.skipped = plan.Skipped
	if len(plan.Send) == 0 {
		m.subs.remove(s)
		m.status.set(paneForm, noticeError, m.nothingSent(plan.Skipped))
		return m.lookupHere()
	}
	s.id, s.names, s.skipped, s.planned = plan.Submission.ID, plan.Send, plan.Skipped, true
	m.bound = &binding{id: plan.Submission.ID, customer: plan.Submission.Customer}
	row := m.history.ownRow(plan.Submission)
	for _, p := range plan.Send {
		row.states[p] = stateInFlight
	}
	var refresh tea.Cmd
	switch {
	case filtered(m.history.search.shown):
		// Whether the row matches is the store's to say: ask again.
		refresh = m.history.refreshSearch()
	case plan.Continued:
		m.history.replace(row)
	default:
		m.history.prepend(row, m.focus != paneForm)
	}
	if len(plan.Skipped) > 0 {
		m.status.set(paneForm, noticeInfo, m.sendingText(plan))
	}
	cmds := make([]tea.Cmd, 0, len(plan.Send)+3)
	for _, p := range plan.Send {
		cmds = append(cmds, sendCmd(s.ctx, m.send, plan.Submission, p))
	}
	return tea.Batch(append(cmds, refresh, m.saveDraftNow(), m.lookupHere())...)
}

func (m *Model) sent(msg sentMsg) tea.Cmd {
	m.history.setState(msg.subID, msg.platform, exchangeState(msg.ex))
	cmds := []tea.Cmd{m.afterChange(msg.subID), m.lookupHere()}
	if msg.resend {
		m.resending[resendKey{msg.subID, msg.platform}] = false
		o := string(msg.ex.Result.Outcome)
		kind := noticeInfo
		if o != string(platforms.OK) {
			kind = noticeError
		}
		m.status.set(paneDetail, kind, fmt.Sprintf(m.c.tr(msgResent), m.c.platformTitle(msg.platform), m.c.outcomeText(o)))
	}
	for _, s := range m.subs.list {
		if s.id != msg.subID || !s.planned {
			continue
		}
		s.results[msg.platform] = msg.ex
		if !s.done() {
			break
		}
		m.subs.remove(s)
		cmds = append(cmds, m.finished(s))
	}
	return tea.Batch(cmds...)
}

// finished decides what a completed submit does to the form: all ok clears
// it (and its binding) for the next customer unless the cashier already
// moved on; anything else keeps it bound, so ctrl+s continues it.
func (m *Model) finished(s *submitting) tea.Cmd {
	allOK := true
	for _, ex := range s.results {
		if ex.Result.Outcome != platforms.OK {
			allOK = false
		}
	}
	unrecorded, lost := m.unrecordedNotice(s)
	held, onlyHeld := heldElsewhere(s)
	formsOwn := m.bound != nil && m.bound.id == s.id // the form is still bound to it
	switch {
	case lost:
		m.status.set(paneForm, noticeError, unrecorded)
	case s.canceled:
		m.status.set(paneForm, noticeInfo, fmt.Sprintf(m.c.tr(msgCancelled), len(s.names)))
	case onlyHeld && formsOwn:
		// Nothing went wrong: the chain's guard kept what another terminal
		// enrolled. Said as a skip, so ctrl+r offers to create it anyway.
		m.skipped = held
		m.status.set(paneForm, noticeError, m.nothingSent(held))
	case !allOK:
		if formsOwn {
			m.bound.waiting = true
		}
		m.status.set(paneForm, noticeError, fmt.Sprintf(m.c.tr(msgSomeFailed), s.name))
	case m.form.version != s.version:
		m.status.set(paneForm, noticeInfo, fmt.Sprintf(m.c.tr(msgKeptEdited), s.name))
	default:
		focusMoved := m.form.focus != s.focus
		focus := m.form.focus
		m.clearForm()
		if focusMoved {
			m.form.focusField(focus)
			m.form.ensureVisible()
		}
		m.status.set(paneForm, noticeInfo, fmt.Sprintf(m.c.tr(msgAllOK), s.name))
		return m.saveDraftNow() // the form is empty: the draft is forgotten
	}
	return nil
}

// heldElsewhere lists the platforms of a finished submit that the chain's
// guard held, and whether they are all that did not say ok.
func heldElsewhere(s *submitting) (held []dispatch.Skipped, only bool) {
	only = true
	for _, p := range s.names {
		switch r := s.results[p].Result; {
		case r.Code == dispatch.CodeEnrolledElsewhere:
			held = append(held, dispatch.Skipped{Platform: p, Why: dispatch.WhyElsewhere, Holder: s.id})
		case r.Outcome != platforms.OK:
			only = false
		}
	}
	return held, only && len(held) > 0
}

// deliveredLater tells the cashier when the retry queue (or a resend) has
// finished what a submit left: once the bound submission is ok on every
// platform it names, "not every platform said ok" would be stale. The form
// keeps the member (the guard above it says where it was created); ctrl+x
// clears it, as the status says.
func (m *Model) deliveredLater(sub store.Submission) {
	b := m.bound
	if b == nil || b.id != sub.ID || !b.waiting || m.subs.has(sub.ID) {
		return
	}
	for _, p := range sub.Platforms {
		if sub.States[p].Outcome != platforms.OK {
			return
		}
	}
	b.waiting = false
	m.status.set(paneForm, noticeInfo, fmt.Sprintf(m.c.tr(msgDeliveredLater), termsafe.Line(sub.Customer.Name)))
}

// unsent reports a form holding text that is in no submission: typed and
// never sent, or edited since it was.
func (m *Model) unsent() bool {
	if m.form.empty() {
		return false
	}
	if m.bound == nil {
		return true
	}
	c, _ := m.form.customer()
	return !dispatch.SameCustomer(c, m.bound.customer)
}

// clearForm empties the form and forgets its binding: what is typed next is
// another member.
func (m *Model) clearForm() {
	m.form.clear()
	m.bound, m.skipped = nil, nil
	m.guard = m.guard.forMember("")
	m.form.setNotes(mobileNoteKey, nil)
	m.form.setNotes(platformsNoteKey, nil)
	m.drafts.saved = m.form.version
}

// askCancel asks before cancelling the sends in flight: a cancelled send is
// not lost (it goes back on the retry queue, or to the attention inbox),
// but it is not what a stray key should do.
func (m *Model) askCancel() tea.Cmd {
	n := m.inFlight()
	if n == 0 {
		return nil
	}
	m.ask(fmt.Sprintf(m.c.tr(msgAskCancel), n), func() tea.Cmd {
		m.cancelAll()
		return nil
	})
	return nil
}

// cancelAll cancels every send still in flight.
func (m *Model) cancelAll() {
	if n := m.subs.cancelAll(); n > 0 {
		m.status.set(paneForm, noticeInfo, fmt.Sprintf(m.c.tr(msgCancelled), n))
	}
}

// askEditAccepted asks before an edited record goes out as a new
// submission while platforms accepted the record as it was.
func (m *Model) askEditAccepted(accepted []string) {
	titles := make([]string, len(accepted))
	for i, p := range accepted {
		titles[i] = m.c.platformTitle(p)
	}
	m.ask(fmt.Sprintf(m.c.tr(msgAskEditAccepted), m.c.list(titles)), func() tea.Cmd {
		return m.enrol(enrolHow{confirmedEdit: true})
	})
}

// askDuplicate asks before creating another customer for a member that the
// last submit found enrolled already.
func (m *Model) askDuplicate() tea.Cmd {
	if !m.offerAgain() {
		return nil
	}
	var created []string
	for _, sk := range m.skipped {
		if sk.Why == dispatch.WhyCreated || sk.Why == dispatch.WhyAttention || sk.Why == dispatch.WhyElsewhere {
			created = append(created, m.c.platformTitle(sk.Platform))
		}
	}
	if len(created) == 0 || m.send == nil {
		return nil
	}
	m.ask(fmt.Sprintf(m.c.tr(msgAskDuplicate), m.c.list(created)), func() tea.Cmd {
		return m.enrol(enrolHow{duplicate: true, confirmedEdit: true})
	})
	return nil
}

// skipText says why a submit did not send to each platform, one clause per
// reason and holder ("Alibaba ALSC, Youzan already created (#1)"), short
// enough for the status line at 80 columns.
func (m *Model) skipText(skipped []dispatch.Skipped) string {
	type group struct {
		why    dispatch.Why
		holder int64
		titles []string
	}
	var groups []*group
	for _, sk := range skipped {
		var g *group
		for _, x := range groups {
			if x.why == sk.Why && x.holder == sk.Holder {
				g = x
			}
		}
		if g == nil {
			g = &group{why: sk.Why, holder: sk.Holder}
			groups = append(groups, g)
		}
		g.titles = append(g.titles, m.c.platformTitle(sk.Platform))
	}
	words := map[dispatch.Why]text{dispatch.WhyCreated: whyCreated, dispatch.WhySending: whySending,
		dispatch.WhyAttention: whyAttention, dispatch.WhyRejected: whyRejected, dispatch.WhyDropped: whyDropped,
		dispatch.WhyElsewhere: whyElsewhere}
	parts := make([]string, 0, len(groups))
	for _, g := range groups {
		titles := m.c.list(g.titles)
		if g.why == dispatch.WhyRejected || g.why == dispatch.WhyElsewhere {
			parts = append(parts, fmt.Sprintf(m.c.tr(words[g.why]), titles))
			continue
		}
		parts = append(parts, fmt.Sprintf(m.c.tr(words[g.why]), titles, g.holder))
	}
	// ctrl+r, create another anyway, is offered in the help bar.
	return strings.Join(parts, m.c.tr(clauseSemicolon))
}

func (m *Model) nothingSent(skipped []dispatch.Skipped) string {
	return fmt.Sprintf(m.c.tr(msgNothingSent), m.skipText(skipped))
}

func (m *Model) sendingText(plan dispatch.EnrolPlan) string {
	titles := make([]string, len(plan.Send))
	for i, p := range plan.Send {
		titles[i] = m.c.platformTitle(p)
	}
	return fmt.Sprintf(m.c.tr(msgSendingSkip), m.c.list(titles), m.skipText(plan.Skipped))
}

// offerAgain: the last submit skipped a platform where another submission
// has the member (here, or at another terminal of the chain), so ctrl+r
// (create another anyway) means something.
func (m *Model) offerAgain() bool {
	for _, sk := range m.skipped {
		if (sk.Why == dispatch.WhyCreated || sk.Why == dispatch.WhyAttention) && (m.bound == nil || sk.Holder != m.bound.id) {
			return true
		}
		if sk.Why == dispatch.WhyElsewhere {
			return true
		}
	}
	return false
}
