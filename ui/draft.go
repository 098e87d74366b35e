package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/internal/store"
)

// The form survives a crash or a quit as a draft. A draft remembers the
// submission its form is bound to, so a restart tells "the draft you were
// typing" from "submission #12, sent": the latter comes back bound, with
// its platforms' states, and ctrl+s continues it.

// draftTickMsg asks to save the draft if the form is still at version.
type draftTickMsg struct{ version int }

// draftDelay is how long typing must pause before the draft is written, so a
// crash loses at most that much typing and a keystroke never waits on disk.
const draftDelay = 800 * time.Millisecond

func (m *Model) draft() store.Draft {
	c, _ := m.form.customer()
	d := store.Draft{Customer: c}
	if m.bound != nil {
		d.SubmissionID = m.bound.id
	}
	return d
}

// writeDraft saves the form (or forgets it when empty), here and now.
func (m *Model) writeDraft(ctx context.Context) error {
	if m.form.empty() {
		return m.hist.ClearDraft(ctx)
	}
	return m.hist.SaveDraft(ctx, m.draft())
}

func (m *Model) saveDraft(version int) tea.Cmd {
	if m.hist == nil || version != m.form.version || version <= m.draftSaved {
		return nil
	}
	return m.draftCmd(version)
}

// saveDraftNow writes the draft whatever was written before: the form was
// just bound to a submission.
func (m *Model) saveDraftNow() tea.Cmd {
	if m.hist == nil {
		return nil
	}
	return m.draftCmd(m.form.version)
}

func (m *Model) draftCmd(version int) tea.Cmd {
	d, empty, hs := m.draft(), m.form.empty(), m.hist
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		var err error
		if empty {
			err = hs.ClearDraft(ctx)
		} else {
			err = hs.SaveDraft(ctx, d)
		}
		return draftSavedMsg{version: version, err: err}
	}
}

// restoreDraft brings back the form left last time: as typing, or as the
// submission it was sent as.
func (m *Model) restoreDraft(ctx context.Context) {
	d, ok, err := m.hist.LoadDraft(ctx)
	if err != nil {
		m.setNotice(errText(m.c, err), true)
		return
	}
	if !ok {
		return
	}
	m.form.setCustomer(d.Customer)
	m.draftSaved = m.form.version
	m.guardAfterEdit()
	if d.SubmissionID == 0 {
		m.setNotice(m.c.tr(msgDraftRestored), false)
		return
	}
	sub, err := m.hist.Get(ctx, d.SubmissionID)
	if err != nil {
		// The submission is gone (another data directory's draft?): what
		// was typed is still worth keeping, as typing.
		m.setNotice(m.c.tr(msgDraftRestored), false)
		return
	}
	m.bound = &binding{id: sub.ID, customer: sub.Customer}
	var marks []string
	for _, p := range sub.Platforms {
		marks = append(marks, m.c.platformTitle(p)+" "+(&history{c: m.c}).mark(stateOf(sub.States[p])))
	}
	m.setNotice(fmt.Sprintf(m.c.tr(msgBoundRestored), sub.ID, strings.Join(marks, " ")), false)
}
