package platforms

import (
	"encoding/hex"
	"strconv"
	"testing"
	"time"
)

func TestRequestIDsAreHexAndSortInTheOrderMade(t *testing.T) {
	seen := map[string]bool{}
	prev := ""
	for i := range 2000 {
		if i%500 == 0 {
			time.Sleep(2 * time.Millisecond)
		}
		id := NewRequestID()
		if len(id) != 32 {
			t.Fatalf("request ID %q has %d characters, want 32", id, len(id))
		}
		if _, err := hex.DecodeString(id); err != nil {
			t.Fatalf("request ID %q is not lowercase hex: %v", id, err)
		}
		if seen[id] {
			t.Fatalf("request ID %q made twice", id)
		}
		seen[id] = true
		// Within a millisecond the order is random; across milliseconds a
		// later key sorts later.
		if prev != "" && id[:12] < prev[:12] {
			t.Fatalf("request ID %q made after %q sorts before it", id, prev)
		}
		prev = id
	}
	ms, err := strconv.ParseInt(prev[:12], 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(time.UnixMilli(ms)); d < 0 || d > time.Minute {
		t.Errorf("request ID %q begins with %v, want the time it was made", prev, time.UnixMilli(ms))
	}
}
