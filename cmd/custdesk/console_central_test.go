package main

import (
	"strings"
	"testing"
)

// The console's chain view reads the central store: without [central] it
// says what is missing instead of opening on nothing.
func TestConsoleCentralNeedsCentralConfig(t *testing.T) {
	isolate(t)
	r := runCLI(t, "", "--central", "--sandbox")
	if r.code != exitBadInput || !strings.Contains(r.stderr, "--central needs a [central] url") {
		t.Fatalf("exit %d, want %d saying what is missing\n%s", r.code, exitBadInput, r.stderr)
	}
}
