// Package termsafe makes untrusted text safe to write to a terminal. What a
// platform answers, what an import file holds and what a customer record
// carries reach the screen through it, so none of it can move the cursor,
// change colors, set the window title, write the clipboard (OSC 52), hide a
// link (OSC 8), reorder what is shown (bidi overrides) or hide characters.
//
// Everything a terminal could act on, or that is invisible, is shown as a
// visible escape instead of being emitted:
//
//   - C0 controls and DEL as \xNN, with \r, \n and \t by name;
//   - C1 controls (U+0080–U+009F, which some terminals read as ESC [ and
//     ESC ]) as \u00NN;
//   - bytes that are not UTF-8 as \xNN;
//   - format characters (Unicode category Cf: bidi controls U+202A–U+202E,
//     U+2066–U+2069, U+200E/U+200F, U+061C; zero-width U+200B–U+200D, U+2060,
//     U+FEFF, the tag characters; the soft hyphen) and the line and paragraph
//     separators U+2028/U+2029 as ⟨U+XXXX⟩.
//
// All other text, Chinese included, passes unchanged. Every escape is made of
// characters one column wide, so width computations on the result are exact.
// Text already safe is returned as is, without allocating.
package termsafe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line makes s safe for one line of a terminal: newlines and tabs are escaped
// too, so a value cannot break a table or a row.
func Line(s string) string { return clean(s, false) }

// Text makes s safe for a block of lines: newlines stay, a tab becomes four
// spaces (tab stops mean nothing inside a scrolled, wrapped view), everything
// else is as Line.
func Text(s string) string { return clean(s, true) }

// Safe reports whether Line would return s unchanged.
func Safe(s string) bool { return firstUnsafe(s, false) < 0 }

// Unsafe reports whether r is a character termsafe never emits: a control
// (C0, DEL, C1), a format character (bidi controls, zero-width characters) or
// a line or paragraph separator. Validation uses it to refuse such characters
// in customer fields.
func Unsafe(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f:
		return true
	case r < 0xa0:
		return r >= 0x80
	case r >= 0x3000 && r < 0xfe00:
		// CJK and Hangul: the bulk of non-ASCII text holds no format
		// characters, so it skips the table lookup.
		return false
	case r == 0x2028 || r == 0x2029:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// firstUnsafe is the byte offset of the first thing Line (or Text, keepNL)
// would change, or -1.
func firstUnsafe(s string, keepNL bool) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				if !keepNL || c != '\n' {
					return i
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || Unsafe(r) {
			return i
		}
		i += size
	}
	return -1
}

func clean(s string, keepNL bool) string {
	start := firstUnsafe(s, keepNL)
	if start < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:start])
	for i := start; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			// Copy the run of printable ASCII in one go.
			j := i + 1
			for j < len(s) && s[j] >= 0x20 && s[j] < 0x7f {
				j++
			}
			b.WriteString(s[i:j])
			i = j
			continue
		}
		if c < utf8.RuneSelf {
			writeASCIIControl(&b, c, keepNL)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			writeHex(&b, `\x`, uint32(c), 2, lowerHex)
		case r < 0xa0:
			writeHex(&b, `\u`, uint32(r), 4, lowerHex)
		case Unsafe(r):
			writeHex(&b, "⟨U+", uint32(r), 4, upperHex)
			b.WriteString("⟩")
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func writeASCIIControl(b *strings.Builder, c byte, keepNL bool) {
	switch c {
	case '\n':
		if keepNL {
			b.WriteByte('\n')
		} else {
			b.WriteString(`\n`)
		}
	case '\t':
		if keepNL {
			b.WriteString("    ")
		} else {
			b.WriteString(`\t`)
		}
	case '\r':
		b.WriteString(`\r`)
	default:
		writeHex(b, `\x`, uint32(c), 2, lowerHex)
	}
}

// Escapes read as Go and C write them (\x1b, \u009b) and as Unicode names
// code points (U+202E).
const (
	lowerHex = "0123456789abcdef"
	upperHex = "0123456789ABCDEF"
)

// writeHex writes prefix then v in hex, at least digits long.
func writeHex(b *strings.Builder, prefix string, v uint32, digits int, hex string) {
	b.WriteString(prefix)
	var buf [8]byte
	n := 0
	for v > 0 || n < digits {
		buf[len(buf)-1-n] = hex[v&0xf]
		v >>= 4
		n++
	}
	b.Write(buf[len(buf)-n:])
}
