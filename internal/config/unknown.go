package config

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/custdesk/custdesk/platforms/catalog"
)

// unknownWarnings says, for each key the file has and custdesk does not
// read, what it probably meant: a section for a platform custdesk does not
// know is named once with the platforms it does; a misspelt key gets the
// closest key of its table.
func unknownWarnings(und []toml.Key) []string {
	var out []string
	reported := map[string]bool{} // tables named already: their keys are not
	for _, k := range und {
		if underReported(k, reported) {
			continue
		}
		reported[k.String()] = true
		if _, known := kindNamed(k[1:]); len(k) >= 2 && k[0] == "platforms" && !known {
			reported[k[:2].String()] = true
			out = append(out, fmt.Sprintf("[platforms.%s] is not a platform custdesk knows (%s): the section is ignored",
				k[1], strings.Join(kindNames(), ", ")))
			continue
		}
		msg := k.String() + ": unknown key, ignored"
		if guess := closest(k[len(k)-1], knownKeys(k[:len(k)-1])); guess != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", guess)
		}
		out = append(out, msg)
	}
	return out
}

// underReported says whether a table holding k was reported already.
func underReported(k toml.Key, reported map[string]bool) bool {
	for i := 1; i < len(k); i++ {
		if reported[k[:i].String()] {
			return true
		}
	}
	return false
}

// kindNamed is the platform whose name starts rest.
func kindNamed(rest toml.Key) (catalog.Kind, bool) {
	for _, k := range catalog.Kinds() {
		if len(rest) > 0 && k.Name == rest[0] {
			return k, true
		}
	}
	return catalog.Kind{}, false
}

// knownKeys are the keys custdesk reads in the table at path: the file's
// top level, one of its sections, or a platform's section.
func knownKeys(path toml.Key) []string {
	switch {
	case len(path) == 2 && path[0] == "platforms":
		if k, ok := kindNamed(path[1:]); ok {
			return tomlKeys(reflect.TypeOf(k.New()))
		}
		return nil
	case len(path) > 1:
		return nil
	}
	t := reflect.TypeOf(fileTOML{})
	if len(path) == 1 {
		f, ok := fieldTagged(t, path[0])
		if !ok {
			return nil
		}
		t = f.Type
	}
	return tomlKeys(t)
}

// fieldTagged is the field of struct type t read from TOML key name.
func fieldTagged(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ","); tag == name {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

// tomlKeys lists the TOML keys of a struct type (or pointer to one),
// including those of embedded structs.
func tomlKeys(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var keys []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		switch {
		case name == "-" || !f.IsExported():
		case f.Anonymous && name == "":
			keys = append(keys, tomlKeys(f.Type)...)
		case name != "":
			keys = append(keys, name)
		default:
			keys = append(keys, f.Name)
		}
	}
	return keys
}

// closest is the known key nearest to key by edit distance, if it is near
// enough to be a slip of the keyboard rather than another word.
func closest(key string, known []string) string {
	best, bestD := "", max(2, len(key)/3)+1
	for _, k := range known {
		if d := editDistance(strings.ToLower(key), k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, by bytes (keys
// are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
