package platforms

import (
	"regexp"
	"sync"
)

// numberRegion is what libphonenumber's GetNumberType consults of one
// region's metadata (mobileplans.go): whether a number is a mobile, and, when
// regions share a calling code, whether the number is the region's.
type numberRegion struct {
	id      string
	leading string // leading digits that place a number in the region, if the metadata has them
	// same: the region's fixed-line and mobile numbers are not told apart.
	same                   bool
	general, fixed, mobile numberDesc
	others                 []numberDesc // types checked before fixed line: premium rate, toll free, …
}

// numberDesc is one type of number: its possible lengths (none: those of
// the general description) and pattern. The zero numberDesc matches nothing.
type numberDesc struct {
	lengths []int8
	pattern string
}

type numberType int

const (
	typeUnknown numberType = iota
	typeOther              // premium rate, toll free, shared cost, VoIP, …
	typeFixedLine
	typeMobile // mobile, or fixed line or mobile
)

// regionRegexps are a region's patterns, compiled on its first number; the
// index of each desc's regexp is its position in general, fixed, mobile,
// others.
type regionRegexps struct {
	leading *regexp.Regexp
	descs   []*regexp.Regexp
}

var compiledRegions sync.Map // *numberRegion -> *regionRegexps

func (r *numberRegion) regexps() *regionRegexps {
	if v, ok := compiledRegions.Load(r); ok {
		return v.(*regionRegexps)
	}
	c := &regionRegexps{}
	if r.leading != "" {
		c.leading = regexp.MustCompile("^(?:" + r.leading + ")")
	}
	for _, d := range r.descList() {
		var re *regexp.Regexp
		if d.pattern != "" {
			re = regexp.MustCompile("^(?:" + d.pattern + ")$")
		}
		c.descs = append(c.descs, re)
	}
	v, _ := compiledRegions.LoadOrStore(r, c)
	return v.(*regionRegexps)
}

func (r *numberRegion) descList() []numberDesc {
	return append([]numberDesc{r.general, r.fixed, r.mobile}, r.others...)
}

// matches is libphonenumber's isNumberMatchingDesc for desc i of descList.
func (r *numberRegion) matches(c *regionRegexps, i int, d numberDesc, nsn string) bool {
	if c.descs[i] == nil {
		return false
	}
	if len(d.lengths) > 0 {
		n, found := len(nsn), false
		for _, l := range d.lengths {
			found = found || int(l) == n
		}
		if !found {
			return false
		}
	}
	return c.descs[i].MatchString(nsn)
}

// numberType is libphonenumber's getNumberTypeHelper, to the detail the
// normaliser asks: a mobile, another type, or no number of the region.
func (r *numberRegion) numberType(nsn string) numberType {
	c := r.regexps()
	if !r.matches(c, 0, r.general, nsn) {
		return typeUnknown
	}
	for i, d := range r.others {
		if r.matches(c, 3+i, d, nsn) {
			return typeOther
		}
	}
	mobile := r.matches(c, 2, r.mobile, nsn)
	if r.matches(c, 1, r.fixed, nsn) {
		if r.same || mobile {
			return typeMobile
		}
		return typeFixedLine
	}
	if !r.same && mobile {
		return typeMobile
	}
	return typeUnknown
}

// regionOf is libphonenumber's GetRegionCodeForNumber: the region of the
// calling code a national number belongs to, nil if none.
func (p *mobilePlan) regionOf(nsn string) *numberRegion {
	if len(p.regions) == 1 {
		return &p.regions[0]
	}
	for i := range p.regions {
		r := &p.regions[i]
		if r.leading != "" {
			if r.regexps().leading.MatchString(nsn) {
				return r
			}
		} else if r.numberType(nsn) != typeUnknown {
			return r
		}
	}
	return nil
}

// isMobile is libphonenumber's GetNumberType being MOBILE or
// FIXED_LINE_OR_MOBILE.
func (p *mobilePlan) isMobile(nsn string) bool {
	r := p.regionOf(nsn)
	return r != nil && r.numberType(nsn) == typeMobile
}
