package ui

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/custdesk/custdesk/internal/central"
)

// flakyChain is the real central store behind a switch that makes it
// unreachable.
type flakyChain struct {
	ChainHistory
	down atomic.Bool
}

var errAway = errors.New("dial unix /run/pg/.s.PGSQL.5432: connect: connection refused")

func (f *flakyChain) List(ctx context.Context, q central.Query) ([]central.Entry, error) {
	if f.down.Load() {
		return nil, errAway
	}
	return f.ChainHistory.List(ctx, q)
}

// The chain view follows the chain on the replication status's beat: it
// shows what it could not while the central store was away once it is
// back, brings in other terminals' new rows on top, and says when the store
// goes away again while keeping the rows it has.
func TestChainViewFollowsTheChainAndItsOutages(t *testing.T) {
	ce := newChainEnv(t)
	ce.enrolAt(t, ce.st, "Ann Own", "13422220001", "youzan")
	ce.enrolAt(t, ce.other, "Bob Theirs", "13422220002", "youzan")
	ce.ship()
	ch := &flakyChain{ChainHistory: ce.pool}
	ch.down.Store(true)
	d := drive(t, ce.model(t, "en", ch), 120, 30)
	d.settle()
	if scr := d.screen(); !strings.Contains(scr, "Chain history · unreachable") || !strings.Contains(scr, "connect: connection") {
		t.Fatalf("the pane does not say the central store is away:\n%s", scr)
	}
	beat := func() {
		t.Helper()
		d.send(centralMsg("central: synced"))
		d.settle()
	}
	// A member enrolled here meanwhile shows at once, from this terminal's
	// own history; the rest of the chain when the store is back.
	d.focusOn("name")
	d.typeText("Dee Own")
	d.press("tab")
	d.typeText("13422220004")
	d.press("ctrl+s")
	d.settle()
	if h := d.m.history; len(h.rows) != 1 || h.rows[0].name != "Dee Own" || h.rows[0].terminal != selfTerminal {
		t.Fatalf("the member enrolled with the store away: %+v", h.rows)
	}
	ce.ship()
	ch.down.Store(false)
	beat()
	if scr := d.screen(); !strings.Contains(scr, "Chain history (3)") || !strings.Contains(scr, "Bob Theirs") || !strings.Contains(scr, "Ann Own") ||
		strings.Contains(scr, "unreachable") {
		t.Fatalf("back, the central store's rows do not show:\n%s", scr)
	}
	ce.enrolAt(t, ce.other, "Cid Theirs", "13422220003", "youzan")
	ce.ship()
	beat()
	h := d.m.history
	if len(h.rows) != 4 || h.rows[0].name != "Cid Theirs" || h.rows[0].terminal != otherTerminal {
		t.Fatalf("the other terminal's new row is not on top: %d rows, top %+v", len(h.rows), h.rows[0])
	}
	ch.down.Store(true)
	beat()
	if scr := d.screen(); !strings.Contains(scr, "Chain history (4) · unreachable") || !strings.Contains(scr, "Cid Theirs") {
		t.Fatalf("away again, the pane should keep its rows and say so:\n%s", scr)
	}
}
