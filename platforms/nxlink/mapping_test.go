package nxlink

import (
	"slices"
	"strings"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

func mappedClient(t *testing.T) *Client {
	t.Helper()
	return newTestClient(t, Config{Type: TypeMerge,
		Levels:       map[string]int{"gold": 4, "silver": 2},
		CustomFields: map[string]string{"card": "customize_1_14"}})
}

// The body a configured client sends: the whole region in address, the level
// as its mapped weight, custom fields under the tenant's field names.
func TestBuildMappedGolden(t *testing.T) {
	c := mappedClient(t)
	cu := platforms.Customer{Name: "王小二", Mobile: "13411111111", Province: "贵州省", City: "威海市", District: "东坡区",
		Address: "文三路 100 号", Level: "gold", Custom: map[string]string{"card": "A-1"}}
	en := platforms.Customer{Name: "Li Si", Mobile: "+852-12344567", Province: "Fujian Province", City: "Tai'an City",
		District: "Wujin District", Level: "3", Custom: map[string]string{"customize_1_14": "B-2"}}
	_, tr, err := c.Build(platforms.Submission{RequestID: "r1", Customers: []platforms.Customer{cu, en}, Time: fixedTime})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "build_mapped.golden", renderTrace(tr))
}

func TestAddressFoldsTheRegion(t *testing.T) {
	for _, c := range []struct {
		in   platforms.Customer
		want string
	}{
		{platforms.Customer{Province: "贵州省", City: "威海市", District: "东坡区"}, "贵州省威海市东坡区"},
		{platforms.Customer{Province: "浙江省", City: "杭州市", Address: "文三路 100 号"}, "浙江省杭州市 文三路 100 号"},
		{platforms.Customer{Province: "浙江省", City: "杭州市", Address: "浙江省杭州市文三路 100 号"}, "浙江省杭州市文三路 100 号"},
		{platforms.Customer{Address: " 文三路 "}, "文三路"},
		{platforms.Customer{City: "Kowloon", District: "Mong Kok", Address: "1 Nathan Rd"}, "Kowloon Mong Kok 1 Nathan Rd"},
	} {
		if got := Address(c.in); got != c.want {
			t.Errorf("Address(%+v) = %q, want %q", c.in, got, c.want)
		}
	}
	// The limit applies to the folded address, which is what NXLink stores.
	long := platforms.Customer{Name: "x", Mobile: "13411111111", Province: strings.Repeat("省", 60), Address: strings.Repeat("路", 50)}
	if got := failures(Validate(long)); len(got) != 1 || got[0] != (failure{"address", platforms.RuleMaxLen}) {
		t.Errorf("Validate(101-character folded address) = %v", got)
	}
}

func TestValidateThroughMapping(t *testing.T) {
	c := mappedClient(t)
	base := platforms.Customer{Name: "x", Mobile: "13411111111"}
	for _, tc := range []struct {
		level  string
		custom map[string]string
		want   []failure
	}{
		{"gold", nil, nil},
		{"4", nil, nil},
		{"platinum", nil, []failure{{"level", platforms.RuleFormat}}},
		{"", map[string]string{"card": "1"}, nil},
		{"", map[string]string{"customize_1_14": "1"}, nil},
		{"", map[string]string{"shoe": "42"}, []failure{{"custom", platforms.RuleOneOf}}},
	} {
		cu := base
		cu.Level, cu.Custom = tc.level, tc.custom
		if got := failures(c.Validate(cu)); !slices.Equal(got, tc.want) {
			t.Errorf("Validate(level %q, custom %v) = %v, want %v", tc.level, tc.custom, got, tc.want)
		}
	}
	errs := c.Validate(platforms.Customer{Name: "x", Mobile: "13411111111", Level: "platinum"})
	if len(errs) != 1 || !strings.Contains(errs[0].Message("en"), "or one of gold, silver") {
		t.Errorf("an unmapped level should name the mapped ones: %+v", errs)
	}
	// Without a mapping, a custom key passes through as before.
	if got := Validate(platforms.Customer{Name: "x", Mobile: "13411111111", Custom: map[string]string{"shoe": "42"}}); len(got) != 0 {
		t.Errorf("unmapped Validate = %v", got)
	}
}

func TestNewRejectsBadMappings(t *testing.T) {
	valid := Config{AccessKey: "k", AccessSecret: "s", TenantID: 1, AppKey: "a", Type: 1}
	for _, tc := range []struct {
		levels map[string]int
		fields map[string]string
		want   string
	}{
		{map[string]int{"gold": 6}, nil, "levels.gold: 6 is not an NXLink weight"},
		{map[string]int{"gold": 0}, nil, "levels.gold: 0 is not an NXLink weight"},
		{nil, map[string]string{"card": " "}, "custom_fields"},
	} {
		cfg := valid
		cfg.Levels, cfg.CustomFields = tc.levels, tc.fields
		if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(levels %v, fields %v) = %v, want %q", tc.levels, tc.fields, err, tc.want)
		}
	}
}
