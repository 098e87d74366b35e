package importer

import (
	"slices"

	"github.com/custdesk/custdesk/platforms"
)

// normTally counts normalisations per field for the summary, keeping the
// first of each as an example: a few numbers, whatever the file's size.
type normTally struct {
	headers map[string]string // field -> the header of its column
	order   map[string]int    // field -> column, for the summary's order
	byField map[string]*Normalised
}

func newNormTally(cols []ColumnMap) *normTally {
	t := &normTally{headers: map[string]string{}, order: map[string]int{}, byField: map[string]*Normalised{}}
	for _, c := range cols {
		if c.Field != "" {
			t.headers[c.Field], t.order[c.Field] = c.Header, c.Column
		}
	}
	return t
}

func (t *normTally) add(changes []platforms.Change) {
	for _, ch := range changes {
		if ch.TrimOnly() {
			continue
		}
		n := t.byField[ch.Field]
		if n == nil {
			n = &Normalised{Field: ch.Field, Header: t.headers[ch.Field], Example: ch}
			t.byField[ch.Field] = n
		}
		n.Rows++
	}
}

func (t *normTally) list() []Normalised {
	out := make([]Normalised, 0, len(t.byField))
	for _, n := range t.byField {
		out = append(out, *n)
	}
	slices.SortFunc(out, func(a, b Normalised) int {
		if d := t.rank(a.Field) - t.rank(b.Field); d != 0 {
			return d
		}
		return slices.Index(platforms.Fields, a.Field) - slices.Index(platforms.Fields, b.Field)
	})
	return out
}

// rank orders fields by their column; fields with none (JSONL) follow, in
// the model's order.
func (t *normTally) rank(field string) int {
	if c, ok := t.order[field]; ok {
		return c
	}
	return 1 << 20
}
