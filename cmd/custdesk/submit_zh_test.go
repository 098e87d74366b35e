package main

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// submit --lang zh says what became of the record in Chinese, and its table
// lines up on screen although the platforms' messages are Chinese.
func TestSubmitInChineseLinesUp(t *testing.T) {
	isolate(t)
	r := runCLI(t, `{"name":"欧阳娜娜","mobile":"13422223333"}`, "submit", "--lang", "zh")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if last := lines[len(lines)-1]; !strings.Contains(last, "已记录") {
		t.Errorf("the summary is not in Chinese: %q", last)
	}
	// The last column (the time taken) starts at one display column on
	// every platform's line.
	start := -1
	for _, l := range lines[:len(lines)-1] {
		i := strings.LastIndex(l, "  ")
		col := ansi.StringWidth(l[:i+2])
		if start >= 0 && col != start {
			t.Errorf("columns do not line up:\n%s", r.stdout)
			break
		}
		start = col
	}
}
