package alsc

import (
	"strings"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

// A configured level name is sent as its ALSC level ID; other values pass
// through as IDs typed directly.
func TestLevelMapping(t *testing.T) {
	c := newClient(t, func(c *Config) { c.Levels = map[string]string{"gold": "L-9001"} })
	for level, want := range map[string]string{"gold": "L-9001", " gold ": "L-9001", "L-7": "L-7", "": ""} {
		if got := c.Request("rid", platforms.Customer{Level: level}).LevelID; got != want {
			t.Errorf("level %q: level_id %q, want %q", level, got, want)
		}
	}
	cfg := Config{Gateway: "https://gw", AppKey: "k", AppSecret: "s", Levels: map[string]string{"gold": ""}}
	if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "levels.gold: blank value") {
		t.Errorf("New with a blank level ID = %v", err)
	}
}
