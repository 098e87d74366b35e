package ui

import (
	"context"
	"time"

	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/platforms"
)

// submitting is one ctrl+s of this console, from the key until every
// platform it sends to answered.
type submitting struct {
	token    int
	id       int64 // 0 until Enrol wrote the submission ahead
	name     string
	version  int // the form's version when sent: unchanged means clear it on success
	focus    int // the form's focus when sent: unchanged means go back to name
	ctx      context.Context
	cancel   context.CancelFunc
	started  time.Time
	names    []string // the platforms sent to (known once planned)
	planned  bool
	skipped  []dispatch.Skipped
	results  map[string]platforms.Exchange
	canceled bool
}

func (s *submitting) done() bool { return s.planned && len(s.results) == len(s.names) }

// submits are this console's ctrl+s in flight, oldest first.
type submits struct {
	list      []*submitting
	nextToken int
}

func (ss *submits) len() int { return len(ss.list) }

func (ss *submits) add(s *submitting) {
	ss.nextToken++
	s.token = ss.nextToken
	ss.list = append(ss.list, s)
}

func (ss *submits) byToken(token int) *submitting {
	for _, x := range ss.list {
		if x.token == token {
			return x
		}
	}
	return nil
}

func (ss *submits) remove(s *submitting) {
	for i, x := range ss.list {
		if x == s {
			ss.list = append(ss.list[:i], ss.list[i+1:]...)
			return
		}
	}
}

// has reports a submit of submission id still in this list.
func (ss *submits) has(id int64) bool {
	for _, s := range ss.list {
		if s.id == id {
			return true
		}
	}
	return false
}

// inFlight counts sends not answered yet.
func (ss *submits) inFlight() int {
	n := 0
	for _, s := range ss.list {
		if !s.canceled {
			n += len(s.names) - len(s.results)
		}
	}
	return n
}

// sending reports a send of the form at version still on its way.
func (ss *submits) sending(version int) bool {
	for _, s := range ss.list {
		if s.version == version && !s.canceled && !s.done() {
			return true
		}
	}
	return false
}

// cancelAll cancels every send still in flight and counts them.
func (ss *submits) cancelAll() int {
	n := 0
	for _, s := range ss.list {
		if !s.canceled {
			s.canceled = true
			s.cancel()
			n += len(s.names) - len(s.results)
		}
	}
	return n
}
