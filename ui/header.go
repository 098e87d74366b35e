package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/internal/store"
)

// header is the top line: the title, the sandbox banner or the config in
// use, the queue's counts, and where replication to the chain's central
// store stands when one is configured.
type header struct {
	c       *common
	sandbox string // the sandbox's address when running on it
	source  string // the config file or profile when not on the sandbox
	stats   store.QueueStats
	central string // "central: synced", "central: 12 behind", …; "" without one
	memo    string
	memoKey [4]int
	memoFor string // central, as memo was rendered
}

func (h *header) line(w int) string {
	k := [4]int{w, h.stats.Queued, h.stats.Attention, len(h.source)}
	if h.memo != "" && k == h.memoKey && h.central == h.memoFor {
		return h.memo
	}
	h.memo, h.memoKey, h.memoFor = h.render(w), k, h.central
	return h.memo
}

func (h *header) render(w int) string {
	st := h.c.st
	left := st.title.Render(" " + h.c.tr(msgTitle) + " ")
	switch {
	case h.sandbox != "":
		left += " " + st.banner.Render(" "+h.c.tr(msgSandbox)+h.sandbox+" ")
	case h.source != "":
		left += " " + st.dim.Render(h.source)
	}
	var parts []string
	if n := h.stats.Attention; n > 0 {
		parts = append(parts, st.errText.Render(strings.Replace(h.c.tr(msgNeedsYou), "%d", strconv.Itoa(n), 1)))
	}
	if n := h.stats.Queued; n > 0 {
		parts = append(parts, st.notice.Render(strings.Replace(h.c.tr(msgQueued), "%d", strconv.Itoa(n), 1)))
	}
	right := ""
	if len(parts) > 0 {
		right = strings.Join(parts, st.dim.Render(" · ")) + " "
	}
	if h.central != "" {
		right = st.dim.Render(h.central) + "  " + right
	}
	gap := w - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 1 {
		return padRight(left, w)
	}
	return left + strings.Repeat(" ", gap) + right
}
