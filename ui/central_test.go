package ui

import (
	"sync/atomic"
	"testing"

	"github.com/charmbracelet/x/exp/teatest/v2"
)

// The header shows the central store's status from the provider and
// follows it as it changes, on the real program's clock.
func TestHeaderShowsCentralStatus(t *testing.T) {
	e := newEnv(t)
	var status atomic.Value
	status.Store("central: 3 behind")
	m := New(Options{Platforms: e.ps, Dispatcher: e.disp, Store: e.st, Lang: "en",
		Central: func() string { return status.Load().(string) }})
	tm := teatest.NewTestModel(t, probed{m}, teatest.WithInitialTermSize(100, 24))
	t.Cleanup(func() { _ = tm.Quit() })
	waitScreen(t, tm, "central: 3 behind")
	status.Store("central: unreachable since 14:02")
	waitScreen(t, tm, "central: unreachable since 14:02")
}
