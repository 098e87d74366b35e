package platforms

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FoldAddress folds region parts (largest first: province, city, district)
// and the street into the single address line platforms without structured
// addresses take. Parts are joined as addresses are written: with no separator
// between Chinese text ("浙江省杭州市西湖区"), with a space otherwise
// ("Kowloon Hong Kong"). The street follows after a space; when it already
// starts with the region (staff typed the full address there), the region is
// not repeated.
func FoldAddress(region []string, street string) string {
	if !slices.ContainsFunc(region, func(p string) bool { return strings.TrimSpace(p) != "" }) {
		return strings.TrimSpace(street) // the common case, on every keystroke: no allocation
	}
	street = strings.TrimSpace(street)
	// Room for the parts, their separators and the street: one allocation.
	n := len(street) + len(region)
	for _, part := range region {
		n += len(part)
	}
	var b strings.Builder
	b.Grow(n)
	for _, part := range region {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if b.Len() > 0 {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			first, _ := utf8.DecodeRuneInString(part)
			if !unicode.Is(unicode.Han, last) || !unicode.Is(unicode.Han, first) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(part)
	}
	// A Builder's String is a view that later writes leave as it is.
	folded := b.String()
	switch {
	case street == "":
		return folded
	case folded == "" || strings.HasPrefix(street, folded):
		return street
	}
	b.WriteByte(' ')
	b.WriteString(street)
	return b.String()
}
