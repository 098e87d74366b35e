package textcol

import (
	"fmt"
	"strings"
	"testing"
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
