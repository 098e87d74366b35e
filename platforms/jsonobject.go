package platforms

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// Reading an answer's few fields straight from its bytes spares the maps
// and copies a decoder makes of the whole envelope. What is read must be
// what encoding/json would decode, so these read only JSON that json.Valid
// accepts, and give up (ok false) where only a full decoder knows the
// answer: a key written with an escape.

// ObjectMembers calls fn with each member of the JSON object raw, in order:
// the key's text between its quotes and the value's bytes. raw must be valid
// JSON (json.Valid, or a value within such a document). It reports false,
// having called fn for none or some, when raw is not an object or a key
// holds an escape; a caller then decodes raw in full.
func ObjectMembers(raw []byte, fn func(key, value []byte)) (ok bool) {
	return jsonItems(raw, '{', '}', func(i int) int {
		if raw[i] != '"' {
			return -1
		}
		end := jsonValueEnd(raw, i)
		key := raw[i+1 : end-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			return -1
		}
		i = skipJSONSpace(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return -1
		}
		i = skipJSONSpace(raw, i+1)
		end = jsonValueEnd(raw, i)
		if end <= i {
			return -1
		}
		fn(key, raw[i:end])
		return end
	})
}

// ArrayElements calls fn with each element of the JSON array raw, in order.
// raw must be valid JSON, as for ObjectMembers; it reports false when raw
// is not an array.
func ArrayElements(raw []byte, fn func(value []byte)) (ok bool) {
	return jsonItems(raw, '[', ']', func(i int) int {
		end := jsonValueEnd(raw, i)
		if end <= i {
			return -1
		}
		fn(raw[i:end])
		return end
	})
}

// jsonItems walks the comma-separated items of the object or array at raw,
// between open and close: item reads the one starting at raw[i] and returns
// the index just past it, or -1 to give up. It reports whether raw was read
// to its close.
func jsonItems(raw []byte, open, close byte, item func(i int) int) bool {
	i := skipJSONSpace(raw, 0)
	if i >= len(raw) || raw[i] != open {
		return false
	}
	i = skipJSONSpace(raw, i+1)
	if i < len(raw) && raw[i] == close {
		return true
	}
	for i < len(raw) {
		end := item(i)
		if end < 0 {
			return false
		}
		i = skipJSONSpace(raw, end)
		if i >= len(raw) {
			return false
		}
		if raw[i] == close {
			return true
		}
		if raw[i] != ',' {
			return false
		}
		i = skipJSONSpace(raw, i+1)
	}
	return false
}

func skipJSONSpace(raw []byte, i int) int {
	for i < len(raw) {
		switch raw[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// jsonValueEnd is the index just past the value starting at raw[i], or i
// when there is none.
func jsonValueEnd(raw []byte, i int) int {
	if i >= len(raw) {
		return i
	}
	switch raw[i] {
	case '"':
		for j := i + 1; j < len(raw); j++ {
			switch raw[j] {
			case '\\':
				j++
			case '"':
				return j + 1
			}
		}
		return i
	case '{', '[':
		depth := 0
		for j := i; j < len(raw); j++ {
			switch raw[j] {
			case '"':
				end := jsonValueEnd(raw, j)
				if end == j {
					return i
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return i
	}
	j := i
	for j < len(raw) {
		switch raw[j] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return j
		}
		j++
	}
	return j
}

// JSONString decodes the string literal raw as encoding/json does (invalid
// UTF-8 becomes U+FFFD); a literal without escapes or such bytes is its text.
func JSONString(raw []byte) (string, error) {
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' {
		inner := raw[1 : len(raw)-1]
		if bytes.IndexByte(inner, '\\') < 0 && bytes.IndexByte(inner, '"') < 0 && utf8.Valid(inner) && noControl(inner) {
			return string(inner), nil
		}
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

func noControl(b []byte) bool {
	for _, c := range b {
		if c < ' ' {
			return false
		}
	}
	return true
}
