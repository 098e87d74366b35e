package config

import (
	"testing"

	"github.com/custdesk/custdesk/platforms/termsafe"
)

// FuzzParse: no TOML text makes Parse or Build panic; what Parse refuses it
// explains; what it accepts either builds or says why not.
func FuzzParse(f *testing.F) {
	f.Add(Example)
	if b, err := Encode(ForSandbox("http://127.0.0.1:8765")); err == nil {
		f.Add(b)
	}
	f.Add([]byte("[platforms.alsc]\napp_secret = \"SUPERSECRET\nbroken"))
	f.Add([]byte("[platforms.youzan]\nbase_url = \"http://u:p@127.0.0.1/\"\nheaders = { Authorization = \"env:NOPE\" }\n"))
	f.Add([]byte("[platforms.nxlink]\ntimeout = \"-1s\"\ntype = 9\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Parse(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error with no message")
			}
			return
		}
		for _, w := range l.Warnings {
			if termsafe.Line(w) == "" {
				t.Fatal("an empty warning")
			}
		}
		ps, err := l.Build()
		if err == nil && len(ps) == 0 {
			t.Fatal("a config that builds no platform and says nothing")
		}
	})
}
