package config

import (
	"io"
	"strings"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

const mappedTOML = `
[platforms.youzan]
base_url = "http://127.0.0.1:1"
app_id = "a"
levels = { gold = "VIP2" }
custom_fields = { card = "会员卡号" }

[platforms.nxlink]
access_key = "ak"
access_secret = "nx-secret-1234"
tenant_id = 1
app_key = "k"
levels = { gold = 4 }
custom_fields = { card = "customize_1_14" }
`

// The level and custom-field mappings of each section reach that platform's
// request, and only that platform's.
func TestMappingsReachEachPlatform(t *testing.T) {
	l, err := Parse([]byte(mappedTOML))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Warnings) > 0 {
		t.Fatalf("warnings: %v", l.Warnings)
	}
	ps, err := l.Build()
	if err != nil {
		t.Fatal(err)
	}
	cu := platforms.Customer{Name: "王小二", Mobile: "13411111111", Level: "gold", Custom: map[string]string{"card": "A-1"}}
	want := map[string][]string{
		ps[0].Name(): {`"yzLevelAlias":"VIP2"`, `"name":"会员卡号","value":"A-1"`},
		ps[1].Name(): {`"weight":4`, `"customize_field":"{\"customize_1_14\":\"A-1\"}"`},
	}
	for _, p := range ps {
		if errs := p.Validate(cu); len(errs) != 0 {
			t.Errorf("%s: %v", p.Name(), errs)
		}
		req, _, err := p.Build(platforms.Single("r", cu))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(req.Body)
		for _, w := range want[p.Name()] {
			if !strings.Contains(string(body), w) {
				t.Errorf("%s body lacks %s:\n%s", p.Name(), w, body)
			}
		}
	}
}

func TestBadMappingIsAConfigError(t *testing.T) {
	l, err := Parse([]byte(strings.Replace(mappedTOML, "gold = 4", "gold = 9", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Build(); err == nil || !strings.Contains(err.Error(), "levels.gold: 9 is not an NXLink weight") {
		t.Fatalf("Build = %v", err)
	}
}
