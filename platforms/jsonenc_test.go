package platforms

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// The pooled encoder writes what a fresh one does, one use after another,
// after a failure too.
func TestMarshalJSONIsTheEncoders(t *testing.T) {
	values := []any{
		map[string]string{"b": "<&>", "a": "王\u2028"},
		struct {
			N int    `json:"n,omitempty"`
			S string `json:"s"`
		}{S: strings.Repeat("x", 3*maxPooledJSON)},
		[]int{1, 2},
		func() {},
		"after the failure",
	}
	for _, v := range values {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		wantErr := enc.Encode(v)
		got, err := MarshalJSON(v)
		if (err == nil) != (wantErr == nil) || string(got) != strings.TrimSuffix(want.String(), "\n") {
			t.Errorf("MarshalJSON(%T) = %q, %v; want %q, %v", v, got, err, want.String(), wantErr)
		}
	}
}
