// Package platformtest holds the test set-up the three platform packages share:
// golden answer files and round-trip servers. It is imported by tests only.
package platformtest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

// GoldenAnswers parses every body in dir (any file not ending in .golden) and
// compares the Result, as indented JSON, with the file beside it named
// BODY.golden. update rewrites the golden files instead; a missing golden file
// fails, so a new body cannot pass unseen.
func GoldenAnswers(t *testing.T, dir string, parse func([]byte) platforms.Result, update bool) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, e := range entries {
		if !e.IsDir() && !strings.HasSuffix(e.Name(), ".golden") {
			bodies = append(bodies, e.Name())
		}
	}
	sort.Strings(bodies)
	if len(bodies) == 0 {
		t.Fatalf("no answer bodies in %s", dir)
	}
	for _, name := range bodies {
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(parse(body), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join(dir, name+".golden")
			if update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Parse(%s) =\n%s\nwant (%s)\n%s", name, got, golden, want)
			}
		})
	}
}
