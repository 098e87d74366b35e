package termsafe

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

func TestLine(t *testing.T) {
	cases := []struct{ in, want string }{
		{"王小二 abc", "王小二 abc"},
		{"", ""},
		{"\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"\x1b]52;c;cGF5bG9hZA==\x1b\\", `\x1b]52;c;cGF5bG9hZA==\x1b\`},
		{"\x1b[2J", `\x1b[2J`},
		{"a\nb\tc\rd\x00e\x7f", `a\nb\tc\rd\x00e\x7f`},
		{"\u009b31m\u009d8;;x\u009c", `\u009b31m\u009d8;;x\u009c`},
		{"raw \x9b31m \x9d", `raw \x9b31m \x9d`},
		{"\xff\xfe", `\xff\xfe`},
		{"abc\u202Eexe.txt", "abc⟨U+202E⟩exe.txt"},
		{"\u2066\u2067\u2068\u2069\u200E\u200F\u061C", "⟨U+2066⟩⟨U+2067⟩⟨U+2068⟩⟨U+2069⟩⟨U+200E⟩⟨U+200F⟩⟨U+061C⟩"},
		{"王\u200B小\u200C二\u200D\u2060\uFEFF", "王⟨U+200B⟩小⟨U+200C⟩二⟨U+200D⟩⟨U+2060⟩⟨U+FEFF⟩"},
		{"\U000E0041\u00AD\u2028\u2029", "⟨U+E0041⟩⟨U+00AD⟩⟨U+2028⟩⟨U+2029⟩"},
		{"é ü ß — ✓ 😀", "é ü ß — ✓ 😀"},
	}
	for _, c := range cases {
		if got := Line(c.in); got != c.want {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestText(t *testing.T) {
	in := "{\n\t\"a\": \"\x1b[31m\"\r\n}"
	want := "{\n    \"a\": \"\\x1b[31m\"\\r\n}"
	if got := Text(in); got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}

// Safe text comes back as the same string, without a copy.
func TestSafeTextIsNotCopied(t *testing.T) {
	s := strings.Repeat("王小二 wang@example.com ", 100)
	if n := testing.AllocsPerRun(100, func() { _ = Line(s) }); n != 0 {
		t.Errorf("Line of safe text allocates %v times", n)
	}
	if !Safe(s) || Safe("a\x1b") {
		t.Error("Safe disagrees with Line")
	}
}

// Escapes are one column per character, so widths measured on the result
// are what the terminal shows.
func TestEscapesAreNarrow(t *testing.T) {
	out := Line("\u202E\x1b\x9b\u009b")
	if w, n := ansi.StringWidth(out), utf8.RuneCountInString(out); w != n {
		t.Errorf("%q is %d columns for %d runes", out, w, n)
	}
}

// FuzzLine: whatever the input, the output holds nothing a terminal acts on
// and nothing invisible, and safe input is unchanged.
func FuzzLine(f *testing.F) {
	for _, s := range []string{"王小二", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "\xc2\x9b31m", "\x9b", "a\u202Eb", "\t\n\r", "\xf4\x90\x80\x80", "\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, keepNL := range []bool{false, true} {
			out := clean(s, keepNL)
			checkSafe(t, out, keepNL)
			if firstUnsafe(s, keepNL) < 0 && out != s {
				t.Fatalf("safe %q changed to %q", s, out)
			}
		}
	})
}

func checkSafe(t *testing.T, out string, keepNL bool) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("output %q is not UTF-8", out)
	}
	for _, r := range out {
		if r == '\n' && keepNL {
			continue
		}
		if Unsafe(r) {
			t.Fatalf("output %q holds %U", out, r)
		}
	}
	for i := 0; i < len(out); i++ {
		if c := out[i]; c < 0x20 && !(keepNL && c == '\n') || c == 0x7f {
			t.Fatalf("output %q holds byte %#x", out, c)
		}
	}
}

func BenchmarkLineASCII(b *testing.B) {
	s := strings.Repeat(`{"code":200,"message":"ok","data":{"id":"123456"}}`, 20000) // ~1 MiB
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_ = Text(s)
	}
}

func BenchmarkLineChinese(b *testing.B) {
	s := strings.Repeat(`{"msg":"手机号格式不正确","name":"王小二"}`, 20000)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_ = Text(s)
	}
}

func BenchmarkLineHostile(b *testing.B) {
	s := strings.Repeat("ab\x1b[31m\u202E\x9b王", 50000)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_ = Text(s)
	}
}

func TestJSONKeepsTheMeaning(t *testing.T) {
	in := map[string]string{"m": "a\x7f\u009b31m\u202Eb\u200B\U000E0041c 王", "k\u2066": "x"}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	out := JSON(b)
	checkSafe(t, string(out), false)
	var back map[string]string
	if err := json.Unmarshal(out, &back); err != nil || !reflect.DeepEqual(back, in) {
		t.Fatalf("%s decodes to %q (%v)", out, back, err)
	}
	if safe := []byte(`{"a":"王小二"}`); &JSON(safe)[0] != &safe[0] {
		t.Error("safe JSON was copied")
	}
}

func TestJSONWriterJoinsCutCharacters(t *testing.T) {
	b, _ := json.Marshal("王\u202E二")
	var out bytes.Buffer
	w := JSONWriter(&out)
	for i := range b {
		if _, err := w.Write(b[i : i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if got := out.String(); got != `"王\u202e二"` {
		t.Errorf("got %s", got)
	}
}

// FuzzJSON: any JSON string value survives JSON unchanged in meaning, and
// the result is terminal-safe.
func FuzzJSON(f *testing.F) {
	f.Add("a\u202Eb\x9b\u009b\x7f")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := json.Marshal(s)
		if err != nil {
			t.Skip()
		}
		out := JSON(b)
		checkSafe(t, string(out), false)
		var back, want string
		_ = json.Unmarshal(b, &want)
		if err := json.Unmarshal(out, &back); err != nil || back != want {
			t.Fatalf("%q -> %s -> %q (%v)", s, out, back, err)
		}
	})
}
