package nxlink

import (
	"slices"
	"strings"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

func goodCustomer() platforms.Customer {
	return platforms.Customer{
		Name: "王小二", FirstName: "小二", LastName: "王",
		Mobile: "13411111111", WhatsApp: "8613411111111", Viber: "8613411111111",
		Messenger: "9876543210", Instagram: "1122334455", Zalo: "1234567890", Line: "line123456",
		Email: "wang@example.com", Gender: platforms.GenderMale, Birthday: "1976-04-12",
		Country: "China", Address: "文三路 100 号", Tags: []string{"vip", "99"}, Remark: "重要客户",
		Level: "5", TimeZone: "GMT+8", Agent: "agent@example.com",
		Custom: map[string]string{"customize_1_14": "aa"},
	}
}

type failure struct{ field, rule string }

func failures(errs []platforms.FieldError) []failure {
	out := make([]failure, len(errs))
	for i, e := range errs {
		out[i] = failure{e.Field, e.Rule}
	}
	return out
}

func TestValidateAcceptsAFullCustomer(t *testing.T) {
	if errs := Validate(goodCustomer()); len(errs) != 0 {
		t.Fatalf("unexpected errors: %v", errs)
	}
	// The smallest valid customer: a name and one contact channel.
	for _, c := range []platforms.Customer{
		{Name: "a", Mobile: "13411111111"},
		{Name: "a", Mobile: "+852-12344567"},
		{Name: "a", Email: "a@b.co"},
		{Name: "a", Line: "x"},
		{Name: "a", Zalo: "1"},
	} {
		if errs := Validate(c); len(errs) != 0 {
			t.Errorf("%+v: unexpected errors %v", c, errs)
		}
	}
}

func TestValidateRules(t *testing.T) {
	long := func(n int) string { return strings.Repeat("字", n) }
	cases := []struct {
		name   string
		change func(*platforms.Customer)
		want   []failure
	}{
		{"name required", func(c *platforms.Customer) { c.Name = "" }, []failure{{"name", platforms.RuleRequired}}},
		{"name blank", func(c *platforms.Customer) { c.Name = "   " }, []failure{{"name", platforms.RuleRequired}}},
		{"name 255 ok", func(c *platforms.Customer) { c.Name = long(255) }, nil},
		{"name 256", func(c *platforms.Customer) { c.Name = long(256) }, []failure{{"name", platforms.RuleMaxLen}}},
		{"first name 129", func(c *platforms.Customer) { c.FirstName = long(129) }, []failure{{"first_name", platforms.RuleMaxLen}}},
		{"last name 129", func(c *platforms.Customer) { c.LastName = long(129) }, []failure{{"last_name", platforms.RuleMaxLen}}},
		{"mobile format", func(c *platforms.Customer) { c.Mobile = "12345" }, []failure{{"mobile", platforms.RuleFormat}}},
		{"mobile letters", func(c *platforms.Customer) { c.Mobile = "1341111111a" }, []failure{{"mobile", platforms.RuleFormat}}},
		{"whatsapp digits", func(c *platforms.Customer) { c.WhatsApp = "+8613411111111" }, []failure{{"whatsapp", platforms.RuleDigits}}},
		{"whatsapp 31", func(c *platforms.Customer) { c.WhatsApp = strings.Repeat("1", 31) }, []failure{{"whatsapp", platforms.RuleMaxLen}}},
		{"whatsapp 30 ok", func(c *platforms.Customer) { c.WhatsApp = strings.Repeat("1", 30) }, nil},
		{"viber digits", func(c *platforms.Customer) { c.Viber = "86 134" }, []failure{{"viber", platforms.RuleDigits}}},
		{"viber 31", func(c *platforms.Customer) { c.Viber = strings.Repeat("1", 31) }, []failure{{"viber", platforms.RuleMaxLen}}},
		{"messenger digits", func(c *platforms.Customer) { c.Messenger = "john.doe" }, []failure{{"messenger", platforms.RuleDigits}}},
		{"messenger 32 ok", func(c *platforms.Customer) { c.Messenger = strings.Repeat("1", 32) }, nil},
		{"messenger 33", func(c *platforms.Customer) { c.Messenger = strings.Repeat("1", 33) }, []failure{{"messenger", platforms.RuleMaxLen}}},
		{"instagram digits", func(c *platforms.Customer) { c.Instagram = "@wang" }, []failure{{"instagram", platforms.RuleDigits}}},
		{"instagram 33", func(c *platforms.Customer) { c.Instagram = strings.Repeat("1", 33) }, []failure{{"instagram", platforms.RuleMaxLen}}},
		{"zalo digits", func(c *platforms.Customer) { c.Zalo = "１２３" }, []failure{{"zalo", platforms.RuleDigits}}},
		{"zalo 33", func(c *platforms.Customer) { c.Zalo = strings.Repeat("1", 33) }, []failure{{"zalo", platforms.RuleMaxLen}}},
		{"line 51", func(c *platforms.Customer) { c.Line = long(51) }, []failure{{"line", platforms.RuleMaxLen}}},
		{"country 51", func(c *platforms.Customer) { c.Country = long(51) }, []failure{{"country", platforms.RuleMaxLen}}},
		{"email format", func(c *platforms.Customer) { c.Email = "not-an-email" }, []failure{{"email", platforms.RuleFormat}}},
		{"email 51", func(c *platforms.Customer) { c.Email = strings.Repeat("a", 39) + "@example.com" }, []failure{{"email", platforms.RuleMaxLen}}},
		{"email 50 ok", func(c *platforms.Customer) { c.Email = strings.Repeat("a", 38) + "@example.com" }, nil},
		{"address 101", func(c *platforms.Customer) { c.Address = long(101) }, []failure{{"address", platforms.RuleMaxLen}}},
		{"remark 2000 ok", func(c *platforms.Customer) { c.Remark = long(2000) }, nil},
		{"remark 2001", func(c *platforms.Customer) { c.Remark = long(2001) }, []failure{{"remark", platforms.RuleMaxLen}}},
		{"agent 129", func(c *platforms.Customer) { c.Agent = long(129) }, []failure{{"agent", platforms.RuleMaxLen}}},
		{"birthday format", func(c *platforms.Customer) { c.Birthday = "1976/04/12" }, []failure{{"birthday", platforms.RuleFormat}}},
		{"birthday impossible", func(c *platforms.Customer) { c.Birthday = "1976-02-30" }, []failure{{"birthday", platforms.RuleFormat}}},
		{"gender enum", func(c *platforms.Customer) { c.Gender = "m" }, []failure{{"gender", platforms.RuleOneOf}}},
		{"gender unknown ok", func(c *platforms.Customer) { c.Gender = platforms.GenderUnknown }, nil},
		{"level 0", func(c *platforms.Customer) { c.Level = "0" }, []failure{{"level", platforms.RuleRange}}},
		{"level 6", func(c *platforms.Customer) { c.Level = "6" }, []failure{{"level", platforms.RuleRange}}},
		{"level 1 ok", func(c *platforms.Customer) { c.Level = "1" }, nil},
		{"level word", func(c *platforms.Customer) { c.Level = "gold" }, []failure{{"level", platforms.RuleFormat}}},
		{"level fraction", func(c *platforms.Customer) { c.Level = "2.5" }, []failure{{"level", platforms.RuleFormat}}},
		{"tag with comma", func(c *platforms.Customer) { c.Tags = []string{"a,b"} }, []failure{{"tags", platforms.RuleFormat}}},
		{"no contact", func(c *platforms.Customer) {
			c.Mobile, c.WhatsApp, c.Email, c.Viber, c.Messenger, c.Instagram, c.Line, c.Zalo = "", "", "", "", "", "", "", ""
		}, []failure{{"mobile", platforms.RuleContact}}},
		{"blank contact only", func(c *platforms.Customer) {
			c.Mobile, c.WhatsApp, c.Email, c.Viber, c.Messenger, c.Instagram, c.Zalo = "", "", "", "", "", "", ""
			c.Line = "  "
		}, []failure{{"mobile", platforms.RuleContact}}},
		{"several at once", func(c *platforms.Customer) { c.Name, c.WhatsApp, c.Level = "", "abc", "9" },
			[]failure{{"name", platforms.RuleRequired}, {"whatsapp", platforms.RuleDigits}, {"level", platforms.RuleRange}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cu := goodCustomer()
			c.change(&cu)
			got := failures(Validate(cu))
			if !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestValidateMessagesNamePlatformInBothLanguages(t *testing.T) {
	errs := Validate(platforms.Customer{Name: "x", WhatsApp: "abc"})
	if len(errs) != 1 {
		t.Fatalf("errs = %v", errs)
	}
	e := errs[0]
	if e.Platform != "nxlink" || e.Title != "NXLink" {
		t.Errorf("platform identity = %q/%q", e.Platform, e.Title)
	}
	if got := e.Message("en"); got != "NXLink: digits only" {
		t.Errorf("en = %q", got)
	}
	if got := e.Message("zh"); got != "NXLink：只能是数字" {
		t.Errorf("zh = %q", got)
	}
	contact := Validate(platforms.Customer{Name: "x"})
	if len(contact) != 1 || contact[0].Rule != platforms.RuleContact ||
		!strings.HasPrefix(contact[0].Message("zh"), "NXLink：") || !strings.Contains(contact[0].Message("en"), "at least one contact") {
		t.Errorf("contact rule = %+v", contact)
	}
}

func TestClientValidateIsValidate(t *testing.T) {
	c := newTestClient(t, DefaultConfig())
	got, want := failures(c.Validate(platforms.Customer{})), failures(Validate(platforms.Customer{}))
	if !slices.Equal(got, want) || len(got) == 0 {
		t.Errorf("Client.Validate = %v, Validate = %v", got, want)
	}
}

// A passing customer without email allocates nothing: email is checked by
// net/mail, which allocates, and the mobile cache is warm after the first call.
func TestValidateDoesNotAllocateWhenValid(t *testing.T) {
	c := goodCustomer()
	c.Email = ""
	Validate(c)
	if n := testing.AllocsPerRun(100, func() { Validate(c) }); n != 0 {
		t.Errorf("Validate allocated %v times per run", n)
	}
}

func BenchmarkValidate(b *testing.B) {
	c := goodCustomer()
	b.ReportAllocs()
	for b.Loop() {
		if errs := Validate(c); errs != nil {
			b.Fatal(errs)
		}
	}
}

func BenchmarkValidateInternationalWithErrors(b *testing.B) {
	c := goodCustomer()
	c.Mobile, c.WhatsApp, c.Level = "+852 1234 4567", "abc", "9"
	b.ReportAllocs()
	for b.Loop() {
		Validate(c)
	}
}
