package importer

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/termsafe"
)

// FuzzReader: whatever a file holds, in either format and any encoding
// setting, the reader neither panics nor loops; rows come in file order;
// every problem has a message in both languages; and a row that the check
// pass finds no problem with holds nothing a terminal acts on in any field.
func FuzzReader(f *testing.F) {
	f.Add([]byte(sampleCSV), false, uint8(0))
	f.Add([]byte("{\"name\":\"王小二\",\"mobile\":\"13411111111\"}\n{\"name\":1}\n"), true, uint8(0))
	f.Add(append([]byte{0xFF, 0xFE}, 'n', 0, 'a', 0, 'm', 0, 'e', 0, '\n', 0, 'x', 0), false, uint8(0))
	f.Add([]byte("name,mobile\n\"\x1b]0;x\x07\",134\n\xff\xfe,1\n'=1,2\n"), false, uint8(2))
	f.Add([]byte("name\n\"unclosed\n"), false, uint8(1))
	encs := []Encoding{EncodingAuto, EncodingUTF8, EncodingGBK, EncodingUTF16}
	f.Fuzz(func(t *testing.T, data []byte, jsonl bool, enc uint8) {
		format := FormatCSV
		if jsonl {
			format = FormatJSONL
		}
		r, err := NewReader(bytes.NewReader(data), format, encs[int(enc)%len(encs)])
		if err != nil {
			return
		}
		last := 0
		for range len(data) + 2 { // a row consumes at least one byte
			row, err := r.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				return // the file as a whole is unreadable past here
			}
			if row.Line <= last {
				t.Fatalf("row at line %d after line %d", row.Line, last)
			}
			last = row.Line
			for _, p := range row.Problems {
				if p.Zh == "" || p.En == "" {
					t.Fatalf("problem without a message: %+v", p)
				}
			}
			if len(rowProblems(row, nil)) == 0 {
				assertSendable(t, row.Customer)
			}
		}
		t.Fatalf("more rows than bytes in %q", data)
	})
}

// assertSendable fails when any field of c, custom attributes included,
// holds text termsafe would escape.
func assertSendable(t *testing.T, c platforms.Customer) {
	t.Helper()
	for _, f := range platforms.Fields {
		if v := c.Get(f); f != "custom" && !termsafe.Safe(v) {
			t.Fatalf("%s %q passed the checks", f, v)
		}
	}
	for k, v := range c.Custom {
		if !termsafe.Safe(k) || !termsafe.Safe(v) {
			t.Fatalf("custom %q=%q passed the checks", k, v)
		}
	}
}
