package youzan

import (
	"io"
	"strings"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

// A configured mapping sends the level as Youzan's level alias and custom
// fields under Youzan's attribute names.
func TestBuildMappedGolden(t *testing.T) {
	cfg := validConfig()
	cfg.Levels = map[string]string{"gold": "VIP2"}
	cfg.CustomFields = map[string]string{"card": "会员卡号"}
	c := mustClient(t, cfg)
	cu := platforms.Customer{Name: "王小二", Mobile: "13411111111", Level: "gold", Custom: map[string]string{"card": "A-1", "会员卡号": "ignored"}}
	req, _, err := c.Build(platforms.Submission{RequestID: "req-1", Customers: []platforms.Customer{cu}, Time: fixedTime})
	if err != nil {
		t.Fatal(err)
	}
	sent, err := io.ReadAll(req.Body)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "build_mapped.golden.json", sent)
}

func TestValidateThroughMapping(t *testing.T) {
	cfg := validConfig()
	cfg.CustomFields = map[string]string{"card": "会员卡号"}
	c := mustClient(t, cfg)
	ok := platforms.Customer{Mobile: "13411111111", Custom: map[string]string{"card": "1", "会员卡号": "2"}}
	if errs := c.Validate(ok); len(errs) != 0 {
		t.Errorf("mapped and target keys should pass: %v", errs)
	}
	bad := platforms.Customer{Mobile: "13411111111", Custom: map[string]string{"shoe": "42"}}
	if errs := c.Validate(bad); len(errs) != 1 || errs[0].Field != "custom" || errs[0].Rule != platforms.RuleOneOf {
		t.Errorf("an unmapped key should fail: %v", errs)
	}
	if errs := Validate(bad); len(errs) != 0 {
		t.Errorf("without a mapping any key passes: %v", errs)
	}
	cfg.Levels = map[string]string{"gold": " "}
	if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "levels.gold: blank value") {
		t.Errorf("New with a blank level alias = %v", err)
	}
}
