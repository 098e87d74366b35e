package platforms

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// libMobile is how ParseMobile judged international numbers when it called
// libphonenumber: the reference the generated table must agree with.
func libMobile(s string) (Mobile, bool) {
	n, err := phonenumbers.Parse(s, "ZZ")
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return Mobile{}, false
	}
	m := Mobile{CountryCode: int(n.GetCountryCode()), National: phonenumbers.GetNationalSignificantNumber(n)}
	if m.Mainland() && (len(m.National) != 11 || m.National[0] != '1') {
		return Mobile{}, false
	}
	return m, true
}

// mobileCorpus is numbers of every calling code, of every length a national
// number may have and then some, with national prefixes written after the
// code, separators and the odd malformed one.
func mobileCorpus(r *rand.Rand, perCode int) []string {
	digits := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(byte('0' + r.IntN(10)))
		}
		return b.String()
	}
	prefixes := []string{"", "", "", "0", "1", "8", "06", "00", "9", "180020", "003768", "90"}
	seps := []string{"", "", " ", "-", "(", ")", " - "}
	var out []string
	for _, p := range mobilePlans {
		for range perCode {
			nsn := prefixes[r.IntN(len(prefixes))] + digits(r.IntN(19))
			var b strings.Builder
			b.WriteString("+")
			for i, c := range strings.Split(strconv.Itoa(p.code)+nsn, "") {
				if i > 0 && r.IntN(4) == 0 {
					b.WriteString(seps[r.IntN(len(seps))])
				}
				b.WriteString(c)
			}
			out = append(out, b.String())
		}
	}
	out = append(out, "+", "+1", "+12", "+123", "+0086 13411111111", "0086 13411111111", "0013411111111",
		"+86 134 1111 1111", "+8613411111111", "+852-12344567", "+852 1234 4567", "+(852) 1234-4567",
		"+86 (0) 134 1111 1111", "+44 07911 123456", "+39 06 1234 5678", "+1 (202) 555-0100-",
		"+"+strings.Repeat("1", 260), "+999 1234567", "+800 12345678", "+882 12 3456 7890", "+ 86 13411111111",
		"+--86--13411111111--", "+()()", "+ ", "+00", "+0", "+86", "+861", "+8613")
	for range 2000 {
		out = append(out, "+"+digits(1+r.IntN(20)))
	}
	return out
}

// TestParseMobileMatchesLibphonenumber: the table parses every number of
// the corpus as libphonenumber does (mobileplans.go is generated from its
// metadata; regenerate it with go generate after an upgrade).
func TestParseMobileMatchesLibphonenumber(t *testing.T) {
	per := 200
	if testing.Short() {
		per = 40
	}
	r := rand.New(rand.NewPCG(14, 86))
	bad := 0
	for _, s := range mobileCorpus(r, per) {
		want, wantOK := libMobile(s)
		got, gotOK := parseMobile(s)
		if got != want || gotOK != wantOK {
			if bad++; bad <= 20 {
				t.Errorf("parseMobile(%q) = %+v, %v; libphonenumber %+v, %v", s, got, gotOK, want, wantOK)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d numbers parsed differently", bad)
	}
}
