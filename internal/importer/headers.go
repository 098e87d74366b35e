package importer

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/custdesk/custdesk/platforms"
)

// headerNames are the column titles stores' spreadsheets use, in Chinese and
// English, for each customer field. They are compared by headerKey, so case,
// spaces, punctuation and full-width letters do not matter ("E-mail",
// "Full Name", "手机号码：" all match). A field's own JSON key always matches.
var headerNames = map[string][]string{
	"name":       {"姓名", "名字", "客户姓名", "会员姓名", "顾客姓名", "客户名称", "会员名称", "name", "full name", "customer name", "member name"},
	"first_name": {"名", "first name", "given name"},
	"last_name":  {"姓", "last name", "surname", "family name"},
	"mobile":     {"手机", "手机号", "手机号码", "移动电话", "会员手机", "会员手机号", "客户手机", "客户手机号", "联系手机", "mobile", "mobile phone", "mobile number", "cell", "cellphone", "phone number"},
	"phone":      {"电话", "固定电话", "座机", "固话", "联系电话", "telephone", "landline", "tel"},
	"email":      {"邮箱", "电子邮件", "电子邮箱", "邮件", "email", "e-mail", "mail", "email address"},
	"gender":     {"性别", "gender", "sex"},
	"birthday":   {"生日", "出生日期", "出生年月日", "生日日期", "birthday", "birth date", "date of birth", "dob"},
	"country":    {"国家", "国家地区", "country"},
	"province":   {"省", "省份", "所在省", "province", "state"},
	"city":       {"市", "城市", "所在城市", "city"},
	"district":   {"区", "区县", "县区", "district", "county"},
	"area_code":  {"区号", "area code"},
	"address":    {"地址", "详细地址", "联系地址", "家庭地址", "住址", "address", "street address"},
	"remark":     {"备注", "说明", "remark", "remarks", "note", "notes", "comment"},
	"tags":       {"标签", "客户标签", "会员标签", "tag", "tags"},
	"level":      {"等级", "会员等级", "级别", "会员级别", "level", "member level", "tier"},
	"member":     {"是否会员", "member"},
	"wechat":     {"微信", "微信号", "wechat", "weixin", "wechat id"},
	"nickname":   {"昵称", "会员昵称", "nickname", "nick name"},
	"whatsapp":   {"whatsapp"},
	"agent":      {"客服", "导购", "agent"},
}

// headerIndex maps a headerKey to its field.
var headerIndex = func() map[string]string {
	m := map[string]string{}
	add := func(name, field string) {
		k := headerKey(name)
		if prev, ok := m[k]; ok && prev != field {
			panic(fmt.Sprintf("importer: header %q names both %s and %s", name, prev, field))
		}
		m[k] = field
	}
	for _, f := range platforms.Fields {
		add(f, f)
	}
	for field, names := range headerNames {
		for _, n := range names {
			add(n, field)
		}
	}
	return m
}()

// headerKey is a header as compared: full-width folded, lower case, without
// spaces, punctuation or symbols ("Full_Name：" -> "fullname").
func headerKey(s string) string {
	s = platforms.HalfWidth(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || r == '\ufeff' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// ColumnOptions say how header cells become fields.
type ColumnOptions struct {
	// Map assigns columns by header (compared as the table compares them) or
	// by position ("Col7", 1-based) to a customer field or custom.KEY; "-"
	// ignores a column. It wins over the table.
	Map map[string]string
	// Strict makes a non-empty header that maps to nothing an error.
	Strict bool
}

// ParseMap reads --map "会员卡号=custom.card,Col7=remark".
func ParseMap(s string) (map[string]string, error) {
	m := map[string]string{}
	for _, part := range strings.Split(s, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("%q is not HEADER=FIELD", part)
		}
		if v != "-" && !slices.Contains(platforms.Fields, v) && !(strings.HasPrefix(v, customPrefix) && len(v) > len(customPrefix)) {
			return nil, fmt.Errorf("%q: %q is not a customer field (%s), custom.KEY or - (ignore)", part, v, strings.Join(platforms.Fields, ", "))
		}
		m[k] = v
	}
	return m, nil
}

// ColumnMap is how one column was read, for --check and the summary.
type ColumnMap struct {
	Column int    `json:"column"` // 1-based
	Header string `json:"header"`
	Field  string `json:"field,omitempty"` // a customer field or custom.KEY; "" ignored
	// By is how the field was chosen: "name" (the field's key), "table"
	// (a known synonym), "map" (--map), or "" when it maps to nothing.
	By string `json:"by,omitempty"`
}

// mapHeader chooses each column's field. Two columns that would fill the same
// field are an error: which one is meant is the file's author's to say.
func mapHeader(header []string, opts ColumnOptions) ([]column, []ColumnMap, error) {
	cols := make([]column, len(header))
	maps := make([]ColumnMap, len(header))
	used := map[string]bool{}
	for k := range opts.Map {
		used[k] = false
	}
	owner := map[string]int{}
	for i, h := range header {
		name := strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		cols[i].header = name
		maps[i] = ColumnMap{Column: i + 1, Header: name}
		if !utf8.ValidString(name) || strings.ContainsRune(name, utf8.RuneError) {
			return nil, nil, fmt.Errorf("the header row does not decode (column %d); is the file's encoding right? try --encoding gbk or --encoding utf-8", i+1)
		}
		field, by := chooseField(i, name, opts.Map, used)
		if field == "" {
			maps[i].By = by
			cols[i].ignore = name != "" || by == "map"
			if name != "" && by == "" && opts.Strict {
				return nil, nil, fmt.Errorf("column %d %q is not a customer field (--strict); name it with --map '%s=FIELD' (a field, custom.KEY, or - to ignore it)", i+1, name, name)
			}
			continue
		}
		if prev, ok := owner[field]; ok {
			return nil, nil, fmt.Errorf("columns %d %q and %d %q both map to %s; say which with --map (e.g. --map '%s=-' ignores the second)",
				prev+1, header[prev], i+1, name, field, name)
		}
		owner[field] = i
		maps[i].Field, maps[i].By = field, by
		if custom, ok := strings.CutPrefix(field, customPrefix); ok {
			cols[i].custom = custom
		} else {
			cols[i].field = field
		}
	}
	for k, ok := range used {
		if !ok {
			return nil, nil, fmt.Errorf("--map %s=…: no column is headed %q (nor is it ColN for a column number)", k, k)
		}
	}
	return cols, maps, nil
}

func chooseField(i int, name string, m map[string]string, used map[string]bool) (field, by string) {
	key := headerKey(name)
	// In key order, so that a column two entries could name maps the same way on every run.
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := m[k]
		pos, isPos := strings.CutPrefix(strings.ToLower(k), "col")
		if (key != "" && headerKey(k) == key) || (isPos && pos == strconv.Itoa(i+1)) {
			used[k] = true
			if v == "-" {
				return "", "map"
			}
			return v, "map"
		}
	}
	return knownField(name, key)
}

// knownField is the field a header names by itself, without --map: its own
// key or custom.KEY ("name"), or a known name ("table"); "" for none. key
// is headerKey(name).
func knownField(name, key string) (field, by string) {
	if name == "" {
		return "", ""
	}
	if len(name) > len(customPrefix) && strings.EqualFold(name[:len(customPrefix)], customPrefix) {
		return customPrefix + strings.TrimSpace(name[len(customPrefix):]), "name"
	}
	if slices.Contains(platforms.Fields, strings.ToLower(name)) {
		return strings.ToLower(name), "name"
	}
	if f, ok := headerIndex[key]; ok {
		return f, "table"
	}
	return "", ""
}
