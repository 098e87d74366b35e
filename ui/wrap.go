package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// wrapLines wraps plain text at spaces only ("YYYY-MM-DD" stays whole; the
// ansi wrappers also break at hyphens), cutting only words wider than a line.
func wrapLines(s string, w int) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		start := len(out)
		line, lineW := "", 0
		for _, word := range strings.Split(para, " ") {
			ww := ansi.StringWidth(word)
			if lineW > 0 && lineW+1+ww > w {
				out = append(out, line)
				line, lineW = "", 0
			}
			if lineW > 0 {
				line += " "
				lineW++
			}
			for lineW == 0 && ww > w {
				head := pushOut(ansi.Truncate(word, w, ""), word)
				if head == "" { // a character wider than the line
					_, size := utf8.DecodeRuneInString(word)
					head = word[:size]
				}
				out = append(out, head)
				word = word[len(head):]
				ww = ansi.StringWidth(word)
			}
			line += word
			lineW += ww
		}
		if line != "" || len(out) == start {
			out = append(out, line)
		}
	}
	return out
}

// noLineStart are the marks Chinese typesetting never starts a line with.
const noLineStart = "，。、；：？！）》」』】〉”’…·,.;:?!)]}"

// pushOut shortens head, the start of word cut to a line, by its last
// character when what follows it is a mark that may not start a line: the
// character goes down with the mark ("核对" / "，再选择" becomes "核" / "对，再选择").
func pushOut(head, word string) string {
	r, _ := utf8.DecodeRuneInString(word[len(head):])
	if len(head) == len(word) || !strings.ContainsRune(noLineStart, r) {
		return head
	}
	_, size := utf8.DecodeLastRuneInString(head)
	if size == len(head) {
		return head // one character: the mark has to start the next line
	}
	return head[:len(head)-size]
}

// padRight pads s with spaces to w display columns, cutting what is wider.
func padRight(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "")
	}
	return s + strings.Repeat(" ", w-sw)
}

// hardWrap appends line cut into pieces of at most w columns, at a token
// boundary (after a space, a comma or a colon) when one falls past the first
// third of the piece, else at the width. Bodies are plain text (termsafe ran),
// so it measures rune by rune, with a fast path for ASCII: a megabyte of
// minified JSON wraps in milliseconds.
func hardWrap(out []string, line string, w int) []string {
	start, col := 0, 0
	brk, brkCol := -1, 0 // the last boundary in the piece, and its column
	for i, r := range line {
		rw := 1
		if r >= 0x80 {
			rw = runeWidth(r)
		}
		if col+rw > w && i > start {
			if brk > start && brkCol >= w/3 {
				out = append(out, line[start:brk])
				start, col = brk, col-brkCol
			} else {
				out = append(out, line[start:i])
				start, col = i, 0
			}
			brk = -1
		}
		col += rw
		if r == ' ' || r == ',' || r == ':' {
			brk, brkCol = i+1, col
		}
	}
	return append(out, line[start:])
}

func fill(lines []string, h, w int) []string {
	for len(lines) < h {
		lines = append(lines, strings.Repeat(" ", w))
	}
	return lines[:h]
}
