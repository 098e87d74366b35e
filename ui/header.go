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
	title := st.title.Render(" " + h.c.tr(msgTitle) + " ")
	right := h.right()
	if ansi.StringWidth(title)+ansi.StringWidth(right) >= w && h.central != "" {
		right = h.counts() // the queue's counts before the chain's status
	}
	room := w - ansi.StringWidth(title) - ansi.StringWidth(right) - 1
	left := title
	if where := h.where(room - 1); where != "" {
		left += " " + where
	}
	gap := w - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 1 {
		return padRight(left, w)
	}
	return left + strings.Repeat(" ", gap) + right
}

// where says what the console sends to, in at most room cells: the
// sandbox's banner (its address dropped first), or the config in use with
// the start of its path cut.
func (h *header) where(room int) string {
	st := h.c.st
	switch {
	case h.sandbox != "":
		for _, b := range []string{" " + h.c.tr(msgSandbox) + h.sandbox + " ", " " + h.c.tr(msgSandbox), " " + h.c.tr(msgSandboxShort) + " "} {
			if ansi.StringWidth(b) <= room {
				return st.banner.Render(b)
			}
		}
		return ""
	case h.source != "" && room > 1:
		src := h.source
		if cut := ansi.StringWidth(src) - room; cut > 0 {
			src = "…" + ansi.TruncateLeft(src, cut+1, "")
		}
		return st.dim.Render(src)
	}
	return ""
}

// right is the header's right end: the chain's status, then the counts.
func (h *header) right() string {
	right := h.counts()
	if h.central != "" {
		right = h.c.st.dim.Render(h.central) + "  " + right
	}
	return right
}

// counts are the sends waiting for a person and for the queue.
func (h *header) counts() string {
	st := h.c.st
	var parts []string
	if n := h.stats.Attention; n > 0 {
		parts = append(parts, st.errText.Render(strings.Replace(h.c.tr(msgNeedsYou), "%d", strconv.Itoa(n), 1)))
	}
	if n := h.stats.Queued; n > 0 {
		parts = append(parts, st.notice.Render(strings.Replace(h.c.tr(msgQueued), "%d", strconv.Itoa(n), 1)))
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, st.dim.Render(" · ")) + " "
}
