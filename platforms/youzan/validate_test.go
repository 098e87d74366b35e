package youzan

import (
	"reflect"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

func TestValidate(t *testing.T) {
	type failure struct{ field, rule string }
	cases := []struct {
		name string
		cu   platforms.Customer
		want []failure
	}{
		{"full customer passes", fullCustomer(), nil},
		{"mainland mobile only", platforms.Customer{Mobile: "13411111111"}, nil},
		{"hong kong mobile", platforms.Customer{Mobile: "+852-12344567"}, nil},
		{"mobile missing", platforms.Customer{Name: "王小二"}, []failure{{"mobile", platforms.RuleRequired}}},
		{"mobile too short", platforms.Customer{Mobile: "1341111111"}, []failure{{"mobile", platforms.RuleFormat}}},
		{"mobile not starting with 1", platforms.Customer{Mobile: "23411111111"}, []failure{{"mobile", platforms.RuleFormat}}},
		{"mobile without country code", platforms.Customer{Mobile: "12344567"}, []failure{{"mobile", platforms.RuleFormat}}},
		{"mobile blank", platforms.Customer{Mobile: "   "}, []failure{{"mobile", platforms.RuleFormat}}},
		{"mobile letters", platforms.Customer{Mobile: "+852-1234abcd"}, []failure{{"mobile", platforms.RuleFormat}}},
		{"gender outside enum", platforms.Customer{Mobile: "13411111111", Gender: "1"}, []failure{{"gender", platforms.RuleOneOf}}},
		{"birthday not a date", platforms.Customer{Mobile: "13411111111", Birthday: "1990-02-30"}, []failure{{"birthday", platforms.RuleFormat}}},
		{"birthday with time", platforms.Customer{Mobile: "13411111111", Birthday: "1990-02-03 00:00:00"}, []failure{{"birthday", platforms.RuleFormat}}},
		{"blank level", platforms.Customer{Mobile: "13411111111", Level: "  "}, []failure{{"level", platforms.RuleRequired}}},
		{"area code not a division code", platforms.Customer{Mobile: "13411111111", AreaCode: "abc"}, []failure{{"area_code", platforms.RuleFormat}}},
		{"empty custom key", platforms.Customer{Mobile: "13411111111", Custom: map[string]string{"": "x", " ": "y"}}, []failure{{"custom", platforms.RuleRequired}}},
		{"several at once", platforms.Customer{Gender: "x", Birthday: "yesterday"}, []failure{
			{"mobile", platforms.RuleRequired}, {"gender", platforms.RuleOneOf}, {"birthday", platforms.RuleFormat}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errs := Validate(tc.cu)
			var got []failure
			for _, e := range errs {
				got = append(got, failure{e.Field, e.Rule})
				if e.Platform != "youzan" || e.Title != "Youzan" || e.Zh == "" || e.En == "" {
					t.Errorf("error %+v: want platform youzan, title Youzan and both languages", e)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Validate = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestValidateMessagesNameThePlatform(t *testing.T) {
	errs := mustClient(t, validConfig()).Validate(platforms.Customer{Mobile: "12345"})
	if len(errs) != 1 {
		t.Fatalf("errors %v", errs)
	}
	if got := errs[0].Message("zh"); got != "有赞：手机号应为 11 位大陆号码或 +区号-号码" {
		t.Errorf("zh message %q", got)
	}
	if got := errs[0].Message("en"); got != "Youzan: mobile must be 11 mainland digits or +<country code>-<number>" {
		t.Errorf("en message %q", got)
	}
}

// A customer Validate accepts must also be one Build can write: the form says
// "ready" only when sending can proceed.
func TestValidCustomersBuild(t *testing.T) {
	c := mustClient(t, validConfig())
	for _, m := range []string{"13411111111", "+8613411111111", "+852 1234 4567", "+44 7911 123456", "+1-415-555-2671"} {
		for _, g := range []string{"", "male", "female", "unknown"} {
			cu := platforms.Customer{Mobile: m, Gender: g}
			if errs := Validate(cu); len(errs) != 0 {
				t.Errorf("Validate(%+v) = %v", cu, errs)
				continue
			}
			if _, _, err := c.Build(platforms.Single("r", cu)); err != nil {
				t.Errorf("Validate accepts %+v but Build refuses: %v", cu, err)
			}
		}
	}
}

func TestValidatePassingAllocatesNothing(t *testing.T) {
	cu := fullCustomer()
	Validate(cu) // warm the mobile cache, as the form's first keystroke does
	if n := testing.AllocsPerRun(100, func() { Validate(cu) }); n != 0 {
		t.Errorf("Validate of a valid customer allocates %.0f times per call", n)
	}
}

func BenchmarkValidate(b *testing.B) {
	cu := fullCustomer()
	b.ReportAllocs()
	for b.Loop() {
		Validate(cu)
	}
}

func BenchmarkValidateFailing(b *testing.B) {
	cu := platforms.Customer{Mobile: "1341111", Gender: "x", Birthday: "1990-13-01"}
	b.ReportAllocs()
	for b.Loop() {
		Validate(cu)
	}
}
