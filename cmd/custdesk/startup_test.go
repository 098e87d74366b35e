package main

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// heavyInit is more than any package of the binary may allocate at init:
// a package that builds tables or compiles patterns there costs every start
// of the console (phonenumbers allocated 2.4 MB, excelize's own tables
// 1.3 MB, go-runewidth's 2.2 MB, each some 10 ms on a busy till).
const heavyInit = 256 << 10

var initLine = regexp.MustCompile(`^init (\S+) @[0-9.]+ ms, [0-9.]+ ms clock, (\d+) bytes, (\d+) allocs$`)

// Nothing heavy runs at init: measured in bytes, which do not depend on
// how busy the machine is.
func TestNothingHeavyAtInit(t *testing.T) {
	cmd := exec.Command(buildBinary(t), "version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	seen := 0
	for _, line := range strings.Split(string(out), "\n") {
		m := initLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		seen++
		if n, _ := strconv.Atoi(m[2]); n > heavyInit {
			t.Errorf("package %s allocates %d bytes at init (%s allocations); build it on first use", m[1], n, m[3])
		}
	}
	if seen < 50 {
		t.Fatalf("only %d init lines in the trace:\n%s", seen, out)
	}
}

// The binary does not link libphonenumber: its init parses all of its
// metadata. The normaliser and ParseMobile read the table generated from it
// (platforms/mobileplans.go); the library is the tests' oracle only.
func TestConsoleDoesNotLinkPhonenumbers(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "github.com/custdesk/custdesk/platforms\n") {
		t.Fatalf("go list -deps does not list the platforms package:\n%s", out)
	}
	if strings.Contains(string(out), "github.com/nyaruka/phonenumbers") {
		t.Error("custdesk links github.com/nyaruka/phonenumbers")
	}
}
