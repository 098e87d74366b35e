package ui

import (
	"slices"
	"testing"
)

// Chinese text has no spaces to wrap at: a line may be cut anywhere, but
// not so that the next one starts with a comma or a full stop; the
// character before the mark goes down with it.
func TestWrapLinesKeepsPunctuationOffALineStart(t *testing.T) {
	for _, c := range []struct {
		text string
		w    int
		want []string
	}{
		{"请先在有赞核对，再选择。", 12, []string{"请先在有赞核", "对，再选择。"}},
		{"请先在有赞核对，再选择。", 14, []string{"请先在有赞核", "对，再选择。"}},
		{"核对，再选择", 4, []string{"核", "对，", "再选", "择"}},
		{"核，", 2, []string{"核", "，"}}, // one character per line: nothing to push down
		{"abc,def", 3, []string{"ab", "c,d", "ef"}},
		{"a b", 1, []string{"a", "b"}},
	} {
		if got := wrapLines(c.text, c.w); !slices.Equal(got, c.want) {
			t.Errorf("wrapLines(%q, %d) = %q, want %q", c.text, c.w, got, c.want)
		}
	}
}
