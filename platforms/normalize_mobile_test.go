package platforms

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// libInternational is how the normaliser judged international numbers when
// it called libphonenumber: the reference the generated table must agree
// with, message for message.
func libInternational(d string) (out, rule, zh, en string) {
	num, err := phonenumbers.Parse("+"+d, "ZZ")
	if errors.Is(err, phonenumbers.ErrInvalidCountryCode) {
		return "", RuleFormat, "+ 后不是国家或地区区号", "+" + d + " does not start with a country calling code"
	}
	if err != nil || d == "" {
		return "", RuleFormat, "不是电话号码：+ 后应为国家区号和号码", "not a phone number: + must be followed by a country code and the number"
	}
	cc := int(num.GetCountryCode())
	nsn := phonenumbers.GetNationalSignificantNumber(num)
	ccs := "+" + strconv.Itoa(cc)
	if cc == 86 {
		if len(nsn) == 11 && nsn[0] == '1' {
			return nsn, "", "", ""
		}
		n := strconv.Itoa(len(nsn))
		return "", RuleFormat, "+86 后的大陆手机号是以 1 开头的 11 位数字（这个有 " + n + " 位）",
			"a mainland mobile after +86 has 11 digits starting with 1 (this one has " + n + ")"
	}
	lengths := libMobileLengths(cc)
	if phonenumbers.IsPossibleNumber(num) && (len(lengths) == 0 || slices.Contains(lengths, int8(len(nsn))) || libIsMobile(num)) {
		return ccs + "-" + nsn, "", "", ""
	}
	region := phonenumbers.GetRegionCodeForCountryCode(cc)
	want := lengthsText(lengths)
	n := strconv.Itoa(len(nsn))
	return "", RuleFormat, ccs + "（" + region + "）的手机号在区号后应为 " + want + " 位数字（这个有 " + n + " 位）",
		ccs + " (" + region + ") numbers have " + want + " digits after the country code (this one has " + n + ")"
}

func libIsMobile(num *phonenumbers.PhoneNumber) bool {
	t := phonenumbers.GetNumberType(num)
	return t == phonenumbers.MOBILE || t == phonenumbers.FIXED_LINE_OR_MOBILE
}

var libLengths sync.Map // calling code -> []int8

// libMobileLengths varies the length of the country's example mobile and
// asks the library which are still mobiles, as the normaliser did.
func libMobileLengths(cc int) []int8 {
	if v, ok := libLengths.Load(cc); ok {
		return v.([]int8)
	}
	var out []int8
	if ex := phonenumbers.GetExampleNumberForType(phonenumbers.GetRegionCodeForCountryCode(cc), phonenumbers.MOBILE); ex != nil {
		seed := phonenumbers.GetNationalSignificantNumber(ex)
		for l := 2; l <= 17 && seed != ""; l++ {
			digits := seed
			for len(digits) < l {
				digits += seed[len(seed)-1:]
			}
			num, err := phonenumbers.Parse("+"+strconv.Itoa(cc)+digits[:l], "ZZ")
			if err == nil && len(phonenumbers.GetNationalSignificantNumber(num)) == l && libIsMobile(num) {
				out = append(out, int8(l))
			}
		}
	}
	libLengths.Store(cc, out)
	return out
}

var numberTypes = []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE,
	phonenumbers.TOLL_FREE, phonenumbers.PREMIUM_RATE, phonenumbers.SHARED_COST, phonenumbers.VOIP,
	phonenumbers.PERSONAL_NUMBER, phonenumbers.PAGER, phonenumbers.UAN, phonenumbers.VOICEMAIL}

// regionCorpus is, for every region of every calling code, the library's
// example number of each type, each also shortened, lengthened, with a
// digit changed, and with a national prefix written after the code: the
// digits a normaliser sees after "+".
func regionCorpus(r *rand.Rand) []string {
	var out []string
	for _, p := range mobilePlans {
		cc := strconv.Itoa(p.code)
		for _, region := range phonenumbers.GetRegionCodesForCountryCode(p.code) {
			var examples []string
			for _, t := range numberTypes {
				var ex *phonenumbers.PhoneNumber
				if region == "001" {
					ex = phonenumbers.GetExampleNumberForNonGeoEntity(p.code)
				} else {
					ex = phonenumbers.GetExampleNumberForType(region, t)
				}
				if ex != nil {
					examples = append(examples, phonenumbers.GetNationalSignificantNumber(ex))
				}
			}
			for _, nsn := range examples {
				out = append(out, cc+nsn, cc+nsn[:len(nsn)-1], cc+nsn+strconv.Itoa(r.IntN(10)),
					cc+nsn+strconv.Itoa(r.IntN(100)), cc+"0"+nsn)
				if IsDigits(p.prefix) {
					out = append(out, cc+p.prefix+nsn)
				}
				if len(nsn) > 2 {
					out = append(out, cc+nsn[:len(nsn)-2])
				}
				for range 6 {
					b := []byte(nsn)
					b[r.IntN(len(b))] = byte('0' + r.IntN(10))
					out = append(out, cc+string(b))
				}
			}
		}
	}
	return out
}

// TestNormMobileMatchesLibphonenumber: the normaliser answers as it did
// when it asked libphonenumber (the value, the rule and both messages), on
// example numbers of every type of every region and their variations, and
// on the random numbers of every calling code of ParseMobile's test.
func TestNormMobileMatchesLibphonenumber(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 10))
	per := 200
	if testing.Short() {
		per = 40
	}
	corpus := regionCorpus(r)
	for _, s := range mobileCorpus(r, per) {
		corpus = append(corpus, strings.Map(func(c rune) rune {
			if c >= '0' && c <= '9' {
				return c
			}
			return -1
		}, s))
	}
	corpus = append(corpus, "", "0", "00", "1", "12", "123", strings.Repeat("4", 249), strings.Repeat("4", 250))
	bad, mobiles, refused := 0, 0, 0
	for _, d := range corpus {
		got := [4]string{}
		got[0], got[1], got[2], got[3] = international(d)
		want := [4]string{}
		want[0], want[1], want[2], want[3] = libInternational(d)
		if got != want {
			if bad++; bad <= 20 {
				t.Errorf("international(%q) = %q; libphonenumber %q", d, got, want)
			}
		}
		if want[0] != "" {
			mobiles++
		} else {
			refused++
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d numbers judged differently", bad, len(corpus))
	}
	// Both answers must be well represented, or the comparison proves little.
	if mobiles < len(corpus)/10 || refused < len(corpus)/10 {
		t.Errorf("corpus of %d: %d accepted, %d refused", len(corpus), mobiles, refused)
	}
	t.Logf("%d numbers: %d accepted, %d refused", len(corpus), mobiles, refused)
}

// TestNumberTypeMatchesLibphonenumber: the table tells mobiles from other
// numbers as GetNumberType does, on every number of the corpus the library
// parses (the normaliser asks only when the length alone does not decide).
func TestNumberTypeMatchesLibphonenumber(t *testing.T) {
	corpus := regionCorpus(rand.New(rand.NewPCG(14, 11)))
	bad, mobile, other := 0, 0, 0
	for _, d := range corpus {
		num, err := phonenumbers.Parse("+"+d, "ZZ")
		if err != nil {
			continue
		}
		plan, nsn, fail := parseDigits(d)
		if fail != parsed || plan.code != int(num.GetCountryCode()) || nsn != phonenumbers.GetNationalSignificantNumber(num) {
			t.Fatalf("parseDigits(%q) = %v, %q, %v; libphonenumber +%d %s", d, plan, nsn, fail,
				num.GetCountryCode(), phonenumbers.GetNationalSignificantNumber(num))
		}
		want := libIsMobile(num)
		if got := plan.isMobile(nsn); got != want {
			if bad++; bad <= 20 {
				t.Errorf("+%s: isMobile %v, libphonenumber %v (%v)", d, got, want, phonenumbers.GetNumberType(num))
			}
		}
		if want {
			mobile++
		} else {
			other++
		}
	}
	if bad > 0 {
		t.Errorf("%d numbers typed differently", bad)
	}
	if mobile < 1000 || other < 1000 {
		t.Errorf("%d mobiles, %d others: too few to compare", mobile, other)
	}
	t.Logf("%d mobiles, %d others", mobile, other)
}
