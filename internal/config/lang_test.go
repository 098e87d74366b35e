package config

import (
	"strings"
	"testing"
)

// A language the console does not speak is an error, not English in disguise.
func TestUnknownLangIsAnError(t *testing.T) {
	sec := "\n[platforms." + firstKind() + "]\n"
	if _, err := Parse([]byte("lang = \"fr\"" + sec)); err == nil || !strings.Contains(err.Error(), "zh or en") {
		t.Errorf("lang = fr: %v", err)
	}
	for _, l := range []string{"zh", "en", ""} {
		_, err := Parse([]byte("lang = \"" + l + "\"" + sec))
		if err != nil && strings.Contains(err.Error(), "lang") {
			t.Errorf("lang = %q: %v", l, err)
		}
	}
}

func firstKind() string { return kindNames()[0] }
