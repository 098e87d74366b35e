package importer

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding is the character encoding of an import file.
type Encoding string

const (
	// EncodingAuto decides from a byte order mark, else from the first
	// non-ASCII bytes: UTF-8 when they are valid UTF-8, GB18030 otherwise.
	EncodingAuto Encoding = "auto"
	EncodingUTF8 Encoding = "utf-8"
	// EncodingGBK is decoded as GB18030, its superset: Chinese spreadsheet
	// programs label their exports "GBK" or "ANSI" and may contain characters
	// only GB18030 defines.
	EncodingGBK Encoding = "gbk"
	// EncodingUTF16 is only ever detected from a byte order mark (Excel's
	// "Unicode text" export); it cannot be asked for.
	EncodingUTF16 Encoding = "utf-16"
)

// ParseEncoding reads an --encoding value.
func ParseEncoding(s string) (Encoding, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return EncodingAuto, nil
	case "utf-8", "utf8":
		return EncodingUTF8, nil
	case "gbk", "gb18030", "gb2312", "cp936":
		return EncodingGBK, nil
	}
	return "", fmt.Errorf("encoding %q is not one of auto, utf-8, gbk", s)
}

// sniffWindow is how far past the first non-ASCII byte auto-detection looks.
// A few hundred Chinese characters are decisive: GBK text of more than a
// handful of characters is practically never valid UTF-8.
const sniffWindow = 4096

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// decoded turns the raw file into UTF-8 text.
type decoded struct {
	io.Reader
	// used reports the encoding in effect; for auto it is EncodingAuto until
	// the first non-ASCII byte has been read (an all-ASCII file is both).
	used func() Encoding
}

// decode wraps raw so that it reads as UTF-8. A byte order mark is consumed and
// decides the encoding; one that contradicts an explicit choice is an error
// rather than a guess, since decoding with the wrong table corrupts every name.
func decode(raw io.Reader, want Encoding) (decoded, error) {
	br := bufio.NewReaderSize(raw, 64<<10)
	head, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		if want == EncodingGBK || want == EncodingUTF16 {
			return decoded{}, fmt.Errorf("the file starts with a UTF-8 byte order mark but --encoding %s was given (use --encoding auto)", want)
		}
		_, _ = br.Discard(len(bomUTF8))
		return fixed(br, EncodingUTF8), nil
	case bytes.HasPrefix(head, bomUTF16LE), bytes.HasPrefix(head, bomUTF16BE):
		// The sending pass asks for what the check pass detected, so
		// utf-16 is as good as auto here: both passes read the file alike.
		if want != EncodingAuto && want != EncodingUTF16 {
			return decoded{}, fmt.Errorf("the file is UTF-16 (it starts with a UTF-16 byte order mark) but --encoding %s was given (use --encoding auto)", want)
		}
		// ExpectBOM reads the mark, either byte order, and consumes it.
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		return fixed(transform.NewReader(br, dec), EncodingUTF16), nil
	}
	switch want {
	case EncodingUTF16:
		return decoded{}, fmt.Errorf("the file has no UTF-16 byte order mark; UTF-16 is only read from one (use --encoding auto)")
	case EncodingUTF8:
		return fixed(br, EncodingUTF8), nil
	case EncodingGBK:
		return fixed(transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder()), EncodingGBK), nil
	}
	a := &autoReader{br: br}
	return decoded{Reader: a, used: func() Encoding { return a.used }}, nil
}

func fixed(r io.Reader, e Encoding) decoded {
	return decoded{Reader: r, used: func() Encoding { return e }}
}

// autoReader passes ASCII through until the first non-ASCII byte, then looks
// at the bytes from there to choose UTF-8 or GB18030 for the rest. ASCII is
// the same in both, so deciding late never changes what was already read, and
// the file is read once, as a stream.
type autoReader struct {
	br   *bufio.Reader
	used Encoding // "" while undecided
	rest io.Reader
}

func (a *autoReader) Read(p []byte) (int, error) {
	if a.rest != nil {
		return a.rest.Read(p)
	}
	if len(p) == 0 {
		return 0, nil
	}
	if _, err := a.br.Peek(1); err != nil {
		return 0, err
	}
	buf, _ := a.br.Peek(a.br.Buffered())
	ascii := 0
	for ascii < len(buf) && buf[ascii] < utf8.RuneSelf {
		ascii++
	}
	if ascii > 0 {
		return a.br.Read(p[:min(len(p), ascii)])
	}
	window, err := a.br.Peek(sniffWindow)
	atEOF := err != nil // EOF, or a short file: the window holds all that is left
	if looksUTF8(window, atEOF) {
		a.used, a.rest = EncodingUTF8, a.br
	} else {
		a.used, a.rest = EncodingGBK, transform.NewReader(a.br, simplifiedchinese.GB18030.NewDecoder())
	}
	return a.rest.Read(p)
}

// looksUTF8 reports whether window is valid UTF-8, forgiving a rune cut in
// half at the window's end unless the file ends there.
func looksUTF8(window []byte, atEOF bool) bool {
	if utf8.Valid(window) {
		return true
	}
	if atEOF {
		return false
	}
	for cut := 1; cut < utf8.UTFMax && cut <= len(window); cut++ {
		tail := window[len(window)-cut:]
		if utf8.RuneStart(tail[0]) {
			return !utf8.FullRune(tail) && utf8.Valid(window[:len(window)-cut])
		}
	}
	return false
}
