package platforms

import (
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/custdesk/custdesk/platforms/termsafe"
)

// RuleCharacters: a field holds a control character (ESC, NUL, C1…), a bidi
// control or a zero-width character, or bytes that are not UTF-8. No
// platform wants them, and on a screen they hide or rearrange what a person
// reads, so every platform refuses them alike.
const RuleCharacters = "characters"

// CheckCharacters returns one error per field of c that holds a character
// termsafe would not print. The errors name no platform: they hold whichever
// platforms are chosen.
func CheckCharacters(c Customer) []FieldError {
	var errs []FieldError
	for _, f := range Fields {
		switch f {
		case "member":
			continue
		case "custom":
			errs = appendCustomErr(errs, c.Custom)
			continue
		}
		if e, bad := charError(f, c.Get(f)); bad {
			errs = append(errs, e)
		}
	}
	return errs
}

// appendCustomErr checks custom attributes' keys and values; their JSON form
// would hide control characters behind \u escapes.
func appendCustomErr(errs []FieldError, custom map[string]string) []FieldError {
	keys := make([]string, 0, len(custom))
	for k := range custom {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if e, bad := charError("custom", k+"="+custom[k]); bad {
			return append(errs, e)
		}
	}
	return errs
}

// charError describes the first offending character of value, counting
// characters from 1 as a person does.
func charError(field, value string) (FieldError, bool) {
	if termsafe.Safe(value) {
		return FieldError{}, false
	}
	n := 0
	for i := 0; i < len(value); {
		r, size := utf8.DecodeRuneInString(value[i:])
		n++
		switch {
		case r == utf8.RuneError && size == 1:
			return FieldError{Field: field, Rule: RuleCharacters,
				Zh: fmt.Sprintf("第 %d 个字符不是有效的 UTF-8 文本", n),
				En: fmt.Sprintf("character %d is not valid UTF-8 text", n)}, true
		case termsafe.Unsafe(r):
			return FieldError{Field: field, Rule: RuleCharacters,
				Zh: fmt.Sprintf("第 %d 个字符 U+%04X 是控制字符或不可见字符，请删除", n, r),
				En: fmt.Sprintf("character %d, U+%04X, is a control or invisible character; remove it", n, r)}, true
		}
		i += size
	}
	return FieldError{}, false
}
