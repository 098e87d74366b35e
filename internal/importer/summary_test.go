package importer

import (
	"testing"
	"time"
)

func TestRateMeter(t *testing.T) {
	var m rateMeter
	t0 := time.Now()
	if r := m.observe(t0, 0); r != 0 {
		t.Errorf("first sample gives rate %v", r)
	}
	if r := m.observe(t0.Add(2*time.Second), 100); r != 50 {
		t.Errorf("100 in 2 s = %v/s", r)
	}
	// Old samples fall out of the window: the rate follows a slowdown.
	m.observe(t0.Add(20*time.Second), 100)
	if r := m.observe(t0.Add(22*time.Second), 110); r != 5 {
		t.Errorf("10 in the last 2 s = %v/s", r)
	}
}
