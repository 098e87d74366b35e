package catalog

import "testing"

// Every kind's sandbox section builds the client of that platform, and its
// empty section does not: the catalog and the platform packages agree.
func TestKindsBuildTheirOwnPlatform(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range Kinds() {
		if seen[k.Name] {
			t.Fatalf("%s listed twice", k.Name)
		}
		seen[k.Name] = true
		p, err := k.Sandbox("http://127.0.0.1:1").Build()
		if err != nil {
			t.Fatalf("%s: %v", k.Name, err)
		}
		if p.Name() != k.Name {
			t.Errorf("the %s section builds %s", k.Name, p.Name())
		}
		if p, err := k.New().Build(); err == nil || p != nil {
			t.Errorf("%s: an empty section built %v", k.Name, p)
		}
	}
	if len(seen) != 3 {
		t.Errorf("%d kinds", len(seen))
	}
}
