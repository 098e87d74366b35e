package store

import (
	"context"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

// A second Store on the same directory stands for another process: its
// commit is seen by the first one's watch, and nothing is seen when nothing
// was written.
func TestWatchSeesAnotherProcessCommit(t *testing.T) {
	dir := t.TempDir()
	a, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	ctx := context.Background()
	w, err := a.Watch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	if changed, err := w.Changed(ctx); err != nil || changed {
		t.Fatalf("nothing written, changed %v, %v", changed, err)
	}
	b, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	sub := &Submission{Platforms: []string{"p"}, Source: SourceConsole, Customer: platforms.Customer{Name: "王小二", Mobile: "13411111111"}}
	if err := b.Begin(ctx, sub); err != nil {
		t.Fatal(err)
	}
	if changed, err := w.Changed(ctx); err != nil || !changed {
		t.Fatalf("another store's commit not seen: changed %v, %v", changed, err)
	}
	if changed, err := w.Changed(ctx); err != nil || changed {
		t.Fatalf("seen twice: changed %v, %v", changed, err)
	}
	// This process's own writes count too: the console shows them the same way.
	if err := a.Begin(ctx, &Submission{Platforms: []string{"p"}, Source: SourceConsole, Customer: platforms.Customer{Name: "李四", Mobile: "13422222222"}}); err != nil {
		t.Fatal(err)
	}
	if changed, _ := w.Changed(ctx); !changed {
		t.Fatal("this process's commit not seen")
	}
}
