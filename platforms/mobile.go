package platforms

import (
	"regexp"
	"sort"
	"strconv"
	"sync"
)

//go:generate go run ./internal/mobilegen

// mobilePlan is what parsing an international number needs of one country
// calling code's numbering plan, taken from libphonenumber's metadata
// (mobileplans.go). The library itself parses all of its metadata and
// compiles its patterns at init, some 15 ms of every start of custdesk;
// this table costs nothing until a number with that code is parsed.
type mobilePlan struct {
	code      int
	region    string // the main region's code ("US" for +1; "001" for a non-geographic code)
	lengths   []int8 // possible lengths of a national number, ascending
	localOnly []int8 // lengths only dialled within an area; still possible
	// mobileLengths are the lengths of the main region's mobiles, for the
	// normaliser's message (nil when the library has no example mobile).
	mobileLengths []int8
	// prefix recognises a national prefix written after the country code
	// ("+44 0…"); transform, when set, rewrites the number it matched.
	prefix, transform string
	pattern           string // every national number of the plan
	// regions share the calling code, in the order libphonenumber tries
	// them to place a number (numbertype.go).
	regions []numberRegion
}

// planRegexps are a plan's patterns, compiled on first use.
type planRegexps struct {
	prefix, whole *regexp.Regexp
}

var compiledPlans sync.Map // calling code -> *planRegexps

func (p *mobilePlan) regexps() *planRegexps {
	if v, ok := compiledPlans.Load(p.code); ok {
		return v.(*planRegexps)
	}
	r := &planRegexps{prefix: regexp.MustCompile("^(?:" + p.prefix + ")"), whole: regexp.MustCompile("^(?:" + p.pattern + ")$")}
	v, _ := compiledPlans.LoadOrStore(p.code, r)
	return v.(*planRegexps)
}

// parseInternational parses "+" and a number as libphonenumber's
// Parse(s, "ZZ") and IsPossibleNumber do, for the characters parseMobile
// lets through (digits, spaces, hyphens, parentheses after the plus).
func parseInternational(s string) (Mobile, bool) {
	if len(s) > maxParseInput {
		return Mobile{}, false
	}
	digits := make([]byte, 0, len(s))
	for i := 1; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digits = append(digits, s[i])
		}
	}
	plan, nsn, fail := parseDigits(string(digits))
	if fail != parsed || !plan.possible(nsn) {
		return Mobile{}, false
	}
	return Mobile{CountryCode: plan.code, National: nsn}, true
}

// maxParseInput is the longest input libphonenumber parses.
const maxParseInput = 250

// parseFailure is why libphonenumber's Parse refuses a number: its
// ErrInvalidCountryCode, or any other of its errors.
type parseFailure int

const (
	parsed parseFailure = iota
	notANumber
	badCallingCode
)

// parseDigits is libphonenumber's Parse("+"+digits, "ZZ") for digits only:
// the plan of the calling code the digits start with and the national
// significant number after it, its national prefix stripped.
func parseDigits(digits string) (*mobilePlan, string, parseFailure) {
	const minNSN, maxNSN = 2, 17
	// Fewer than three digits is not a phone number; a calling code never
	// begins with 0.
	if len(digits) < 3 {
		return nil, "", notANumber
	}
	if digits[0] == '0' {
		return nil, "", badCallingCode
	}
	plan, nsn := splitCallingCode(digits)
	if plan == nil {
		return nil, "", badCallingCode
	}
	if len(nsn) < minNSN {
		return nil, "", notANumber
	}
	nsn = plan.stripNationalPrefix(nsn)
	if len(nsn) < minNSN || len(nsn) > maxNSN {
		return nil, "", notANumber
	}
	return plan, nsn, parsed
}

// splitCallingCode finds the calling code a number starts with (calling
// codes are a prefix code: at most one of its first three digits' prefixes
// is one).
func splitCallingCode(digits string) (*mobilePlan, string) {
	for n := 1; n <= 3 && n <= len(digits); n++ {
		code, _ := strconv.Atoi(digits[:n])
		i := sort.Search(len(mobilePlans), func(i int) bool { return mobilePlans[i].code >= code })
		if i < len(mobilePlans) && mobilePlans[i].code == code {
			return &mobilePlans[i], digits[n:]
		}
	}
	return nil, ""
}

type lengthCheck int

const (
	lengthPossible lengthCheck = iota
	lengthLocalOnly
	lengthTooShort
	lengthTooLong
	lengthInvalid
)

// checkLength is libphonenumber's testNumberLength for the plan's numbers
// of any type.
func (p *mobilePlan) checkLength(nsn string) lengthCheck {
	n := int8(min(len(nsn), 127))
	for _, l := range p.localOnly {
		if l == n {
			return lengthLocalOnly
		}
	}
	switch {
	case n < p.lengths[0]:
		return lengthTooShort
	case n > p.lengths[len(p.lengths)-1]:
		return lengthTooLong
	}
	for _, l := range p.lengths {
		if l == n {
			return lengthPossible
		}
	}
	return lengthInvalid
}

func (p *mobilePlan) possible(nsn string) bool {
	c := p.checkLength(nsn)
	return c == lengthPossible || c == lengthLocalOnly
}

// stripNationalPrefix drops a national prefix dialled after the country
// code ("+44 07911…"), when what is left is still a number of the plan and
// of a possible length (libphonenumber's
// maybeStripNationalPrefixAndCarrierCode and the check Parse makes of it).
func (p *mobilePlan) stripNationalPrefix(nsn string) string {
	if p.prefix == "" {
		return nsn
	}
	re := p.regexps()
	groups := re.prefix.FindStringSubmatchIndex(nsn)
	if groups == nil {
		return nsn
	}
	viable := re.whole.MatchString(nsn)
	last := len(groups)/2 - 1
	stripped := nsn[groups[1]:]
	if p.transform != "" && groups[last*2] >= 0 {
		stripped = re.prefix.ReplaceAllString(nsn, p.transform)
	}
	if viable && !re.whole.MatchString(stripped) {
		return nsn
	}
	if c := p.checkLength(stripped); c != lengthPossible && c != lengthTooLong {
		return nsn
	}
	return stripped
}
