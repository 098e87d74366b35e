package termsafe

import (
	"io"
	"unicode/utf8"
)

// JSON rewrites encoded JSON so that it is also safe on a terminal: every
// character Unsafe reports, which encoding/json leaves as is (DEL, C1
// controls, bidi and zero-width characters), becomes its \uXXXX escape.
// Such characters can only stand inside strings, where the escape decodes
// to the same text, so the JSON means exactly what it did. Bytes that are
// not UTF-8 (which encoding/json never writes) become \ufffd. JSON already
// safe is returned as is.
func JSON(b []byte) []byte {
	start := firstUnsafeBytes(b)
	if start < 0 {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	out = append(out, b[:start]...)
	for i := start; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf && c != 0x7f {
			out = append(out, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			out = appendU(out, utf8.RuneError)
		case Unsafe(r):
			if r > 0xffff {
				r1, r2 := surrogates(r)
				out = appendU(appendU(out, r1), r2)
			} else {
				out = appendU(out, r)
			}
		default:
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

// firstUnsafeBytes is the offset of the first byte JSON changes, or -1.
// ASCII controls other than DEL are left to the encoder, which escapes them
// inside strings; outside strings they are JSON's own whitespace.
func firstUnsafeBytes(b []byte) int {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if (r == utf8.RuneError && size == 1) || Unsafe(r) {
			return i
		}
		i += size
	}
	return -1
}

func appendU(out []byte, r rune) []byte {
	const hex = "0123456789abcdef"
	return append(out, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
}

// surrogates is r's UTF-16 pair, as JSON writes characters past U+FFFF.
func surrogates(r rune) (rune, rune) {
	r -= 0x10000
	return 0xd800 + (r>>10)&0x3ff, 0xdc00 + r&0x3ff
}

// JSONWriter passes JSON to w through JSON. A character cut between two
// writes is held until the next one completes it.
func JSONWriter(w io.Writer) io.Writer { return &cutWriter{w: w, clean: JSON} }

// TextWriter passes text to w through Text, for streams (a CSV shown on a
// terminal) whose writes may cut a character in two.
func TextWriter(w io.Writer) io.Writer {
	return &cutWriter{w: w, clean: func(b []byte) []byte { return []byte(Text(string(b))) }}
}

// cutWriter holds back a character cut between two writes until the next one
// completes it, so clean always sees whole characters.
type cutWriter struct {
	w     io.Writer
	clean func([]byte) []byte
	tail  []byte
}

func (c *cutWriter) Write(p []byte) (int, error) {
	buf := p
	if len(c.tail) > 0 {
		buf = append(c.tail, p...)
		c.tail = nil
	}
	cut := len(buf)
	for k := 1; k < utf8.UTFMax && k <= len(buf); k++ {
		if utf8.RuneStart(buf[len(buf)-k]) {
			if !utf8.FullRune(buf[len(buf)-k:]) {
				cut = len(buf) - k
			}
			break
		}
	}
	c.tail = append([]byte(nil), buf[cut:]...)
	if _, err := c.w.Write(c.clean(buf[:cut])); err != nil {
		return 0, err
	}
	return len(p), nil
}
