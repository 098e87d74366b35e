package alsc

import (
	"reflect"
	"strings"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

func TestValidate(t *testing.T) {
	c := newClient(t, nil)
	type fail struct{ field, rule string }
	tests := []struct {
		name string
		cu   platforms.Customer
		want []fail
	}{
		{"the page's example", platforms.Customer{Name: "王小二", Mobile: "13411111111", Phone: "0571-87658765",
			Email: "xxx@gmail.com", Gender: "male", Birthday: "2010-01-01", Tags: []string{"爱吃辣"}}, nil},
		{"international mobile", platforms.Customer{Mobile: "+852-12344567"}, nil},
		{"mobile with +86", platforms.Customer{Mobile: "+8613411111111"}, nil},
		{"unknown gender is allowed (left out on the wire)", platforms.Customer{Mobile: "13411111111", Gender: "unknown"}, nil},
		{"no lengths on the page: a long name passes", platforms.Customer{Mobile: "13411111111", Name: strings.Repeat("名", 300)}, nil},
		{"mobile is the outer_id", platforms.Customer{Name: "王小二"}, []fail{{"mobile", platforms.RuleRequired}}},
		{"mobile too short", platforms.Customer{Mobile: "1341111111"}, []fail{{"mobile", platforms.RuleFormat}}},
		{"mobile with letters", platforms.Customer{Mobile: "1341111111x"}, []fail{{"mobile", platforms.RuleFormat}}},
		{"email", platforms.Customer{Mobile: "13411111111", Email: "xxx@"}, []fail{{"email", platforms.RuleFormat}}},
		{"email with a display name", platforms.Customer{Mobile: "13411111111", Email: "Wang <w@example.com>"}, []fail{{"email", platforms.RuleFormat}}},
		{"an e-mail typed as the landline", platforms.Customer{Mobile: "13411111111", Phone: "bad@@mail"}, []fail{{"phone", platforms.RuleFormat}}},
		{"a landline with an extension", platforms.Customer{Mobile: "13411111111", Phone: "0571-87658765 转 801"}, nil},
		{"birthday not a date", platforms.Customer{Mobile: "13411111111", Birthday: "2010-02-30"}, []fail{{"birthday", platforms.RuleFormat}}},
		{"birthday with a time", platforms.Customer{Mobile: "13411111111", Birthday: "2010-01-01 00:00:00"}, []fail{{"birthday", platforms.RuleFormat}}},
		{"gender outside the enumeration", platforms.Customer{Mobile: "13411111111", Gender: "男"}, []fail{{"gender", platforms.RuleOneOf}}},
		{"several at once", platforms.Customer{Email: "x", Birthday: "x", Gender: "x"},
			[]fail{{"mobile", platforms.RuleRequired}, {"email", platforms.RuleFormat}, {"birthday", platforms.RuleFormat}, {"gender", platforms.RuleOneOf}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := c.Validate(tt.cu)
			var got []fail
			for _, e := range errs {
				got = append(got, fail{e.Field, e.Rule})
				if e.Platform != "alsc" || e.Title != "Alibaba ALSC" || e.Zh == "" || e.En == "" {
					t.Errorf("field error %+v lacks its platform or a language", e)
				}
				if !strings.HasPrefix(e.Message("zh"), "阿里本地生活：") || !strings.HasPrefix(e.Message("en"), "Alibaba ALSC: ") {
					t.Errorf("messages %q / %q do not name the platform", e.Message("zh"), e.Message("en"))
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Validate = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValidateMessagesExplainTheOuterID(t *testing.T) {
	errs := newClient(t, nil).Validate(platforms.Customer{})
	if len(errs) != 1 || !strings.Contains(errs[0].Message("en"), "outer_id") || !strings.Contains(errs[0].Message("zh"), "outer_id") {
		t.Errorf("errors = %+v, want one saying the mobile is the outer_id", errs)
	}
}

func TestValidatePassingAllocatesNothing(t *testing.T) {
	c := newClient(t, nil)
	cu := platforms.Customer{Name: "王小二", Mobile: "13411111111", Birthday: "2010-01-01", Gender: "female"}
	if n := testing.AllocsPerRun(100, func() { _ = c.Validate(cu) }); n > 1 {
		t.Errorf("Validate of a passing customer allocates %.0f times", n)
	}
}

func BenchmarkValidate(b *testing.B) {
	c := newClient(b, nil)
	cu := platforms.Customer{Name: "王小二", Mobile: "+852-12344567", Email: "xxx@gmail.com", Phone: "0571-87658765",
		Gender: "male", Birthday: "2010-01-01", Tags: []string{"爱吃辣"}, Remark: "老板的朋友"}
	b.ReportAllocs()
	for b.Loop() {
		if errs := c.Validate(cu); errs != nil {
			b.Fatal(errs)
		}
	}
}
