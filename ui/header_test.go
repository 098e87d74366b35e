package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/custdesk/custdesk/internal/store"
)

// A narrow header gives up the least useful words first: the sandbox's
// address, then its explanation, the start of a long config path, the
// chain's status; the sends waiting for a person stay in sight.
func TestHeaderGivesWayFromTheLeast(t *testing.T) {
	c := newEnv(t).model(t, "en").c
	waiting := store.QueueStats{Attention: 2, Queued: 3}
	for _, tc := range []struct {
		name  string
		h     header
		w     int
		shows []string
		hides []string
	}{
		{"sandbox, wide", header{sandbox: "http://127.0.0.1:47810"}, 100, []string{"SANDBOX: nothing leaves this machine http://127.0.0.1:47810"}, nil},
		{"sandbox, 60", header{sandbox: "http://127.0.0.1:47810"}, 60, []string{"SANDBOX: nothing leaves this machine"}, []string{"http"}},
		{"sandbox with counts, 54", header{sandbox: "http://127.0.0.1:47810", stats: waiting}, 54, []string{"SANDBOX", "2 need you", "3 queued"}, []string{"nothing leaves"}},
		{"long config path", header{source: "~/.config/custdesk/stores/hangzhou-xihu-007/config.toml", stats: waiting}, 60,
			[]string{"…", "config.toml", "2 need you", "3 queued"}, []string{"~/.config"}},
		{"chain status, narrow", header{source: "~/cfg.toml", central: "central: 12 behind", stats: waiting}, 44,
			[]string{"2 need you", "3 queued"}, []string{"central"}},
	} {
		tc.h.c = c
		line := ansi.Strip(tc.h.render(tc.w))
		if got := ansi.StringWidth(line); got != tc.w {
			t.Errorf("%s: %d cells wide, want %d: %q", tc.name, got, tc.w, line)
		}
		for _, s := range tc.shows {
			if !strings.Contains(line, s) {
				t.Errorf("%s: %q lacks %q", tc.name, line, s)
			}
		}
		for _, s := range tc.hides {
			if strings.Contains(line, s) {
				t.Errorf("%s: %q still has %q", tc.name, line, s)
			}
		}
	}
}
