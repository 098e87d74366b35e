package platforms

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Mapping translates the customer model's level names and custom-field keys
// into one platform's own values. The same word means different things per
// platform: a level is Youzan's level alias, NXLink's weight 1..5 and ALSC's
// level ID; a custom field is a Youzan attribute name and an NXLink tenant
// field ("customize_1_14"). The zero Mapping passes every value through.
type Mapping struct {
	// Levels maps a level as staff enter it ("gold") to the platform's value.
	Levels map[string]string
	// Fields maps a custom-field key ("card") to the platform's field name.
	Fields map[string]string
}

// Level returns the platform's value for a level as entered. A level the
// mapping does not name passes through unchanged (trimmed), so a platform's
// own value still works; the platform's rules then judge it.
func (m Mapping) Level(level string) string {
	lv := strings.TrimSpace(level)
	if v, ok := m.Levels[lv]; ok {
		return v
	}
	return lv
}

// LevelNames lists the mapped level names, sorted, for messages.
func (m Mapping) LevelNames() string {
	if len(m.Levels) == 0 {
		return ""
	}
	return strings.Join(slices.Sorted(maps.Keys(m.Levels)), ", ")
}

// Field returns the platform's name for a custom-field key. Without a field
// mapping every key passes through. With one, a key must be mapped or be one
// of the platform names it maps to; ok is false otherwise, since an unknown
// key would land in no field the platform has.
func (m Mapping) Field(key string) (name string, ok bool) {
	if len(m.Fields) == 0 {
		return key, true
	}
	if v, ok := m.Fields[key]; ok {
		return v, true
	}
	for _, v := range m.Fields {
		if v == key {
			return key, true
		}
	}
	return key, false
}

// CheckFields validates each custom field of c against the mapping, as a
// platform's Validate does on every keystroke.
func (m Mapping) CheckFields(r *Rules, c Customer) {
	if len(m.Fields) == 0 {
		return
	}
	for _, k := range slices.Sorted(maps.Keys(c.Custom)) {
		if _, ok := m.Field(k); !ok {
			r.Fail("custom", RuleOneOf,
				fmt.Sprintf("自定义字段 %s 未在配置 custom_fields 中映射", k),
				fmt.Sprintf("custom field %s is not mapped in custom_fields of the config", k))
			return
		}
	}
}

// Check reports mapping entries that can never work: blank names or values.
// valid, when given, judges each level value by the platform's own rule.
func (m Mapping) Check(valid func(level string) error) error {
	var errs []error
	for _, k := range slices.Sorted(maps.Keys(m.Levels)) {
		v := m.Levels[k]
		switch {
		case strings.TrimSpace(k) == "":
			errs = append(errs, errors.New("levels: a blank level name"))
		case strings.TrimSpace(v) == "":
			errs = append(errs, fmt.Errorf("levels.%s: blank value", k))
		case valid != nil:
			if err := valid(v); err != nil {
				errs = append(errs, fmt.Errorf("levels.%s: %v", k, err))
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(m.Fields)) {
		if strings.TrimSpace(k) == "" || strings.TrimSpace(m.Fields[k]) == "" {
			errs = append(errs, fmt.Errorf("custom_fields: %q = %q: blank name", k, m.Fields[k]))
		}
	}
	return errors.Join(errs...)
}

// MapFields returns custom with each key replaced by the platform's name.
// Keys the mapping does not know are kept (Validate has already reported
// them); two keys mapping to one name keep the value of the first in order.
func (m Mapping) MapFields(custom map[string]string) map[string]string {
	if len(m.Fields) == 0 || len(custom) == 0 {
		return custom
	}
	out := make(map[string]string, len(custom))
	for _, k := range slices.Sorted(maps.Keys(custom)) {
		name, _ := m.Field(k)
		if _, dup := out[name]; !dup {
			out[name] = custom[k]
		}
	}
	return out
}
