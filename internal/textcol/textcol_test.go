package textcol

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Columns line up on screen whatever the width of the characters before
// them: every cell of a column starts at the same display column.
func TestColumnsLineUpByDisplayWidth(t *testing.T) {
	var out strings.Builder
	w := NewWriter(&out)
	fmt.Fprintf(w, "name\tmessage\ttook\n")
	fmt.Fprintf(w, "欧阳娜娜\t处理成功\t1ms\n")
	fmt.Fprintf(w, "Wang\tsuccess\t12ms\n")
	fmt.Fprintf(w, "a summary line\n")
	fmt.Fprintf(w, "x\ty\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "name      message   took\n" +
		"欧阳娜娜  处理成功  1ms\n" +
		"Wang      success   12ms\n" +
		"a summary line\n" +
		"x  y\n"
	if out.String() != want {
		t.Fatalf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestDurationKeepsWhatRoundingHid(t *testing.T) {
	for d, want := range map[time.Duration]string{
		380 * time.Microsecond:  "0.4ms",
		2700 * time.Microsecond: "2.7ms",
		42 * time.Millisecond:   "42ms",
		1340 * time.Millisecond: "1.3s",
		0:                       "0.0ms",
	} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}
