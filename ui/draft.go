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

// drafts is what the console knows of the draft it wrote.
type drafts struct {
	saved int // form version last written as a draft
}

// draftAfterEdit writes the draft once typing pauses.
func (m *Model) draftAfterEdit() tea.Cmd {
	if m.hist == nil || !m.timers {
		return nil
	}
	v := m.form.version
	return tea.Tick(draftDelay, func(time.Time) tea.Msg { return draftTickMsg{v} })
}

// draftMsg takes the draft's timer and the answer of a write.
func (m *Model) draftMsg(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case draftTickMsg:
		return m.saveDraft(msg.version)
	case draftSavedMsg:
		if msg.err != nil {
			m.status.set(paneForm, noticeError, fmt.Sprintf(m.c.tr(msgStoreError), msg.err))
		} else {
			m.drafts.saved = max(m.drafts.saved, msg.version)
		}
	}
	return nil
}

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
	if m.hist == nil || version != m.form.version || version <= m.drafts.saved {
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
		m.status.set(paneForm, noticeError, errText(m.c, err))
		return
	}
	if !ok {
		return
	}
	m.form.setCustomer(d.Customer)
	m.drafts.saved = m.form.version
	m.guardAfterEdit()
	if d.SubmissionID == 0 {
		m.status.set(paneForm, noticeInfo, m.c.tr(msgDraftRestored))
		return
	}
	sub, err := m.hist.Get(ctx, d.SubmissionID)
	if err != nil {
		// The submission is gone (another data directory's draft?): what
		// was typed is still worth keeping, as typing.
		m.status.set(paneForm, noticeInfo, m.c.tr(msgDraftRestored))
		return
	}
	m.bound = &binding{id: sub.ID, customer: sub.Customer}
	var marks []string
	for _, p := range sub.Platforms {
		marks = append(marks, m.c.platformTitle(p)+" "+(&history{c: m.c}).mark(stateOf(sub.States[p])))
	}
	m.status.set(paneForm, noticeInfo, fmt.Sprintf(m.c.tr(msgBoundRestored), sub.ID, strings.Join(marks, " ")))
}
