package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/custdesk/custdesk/platforms"
)

func TestOpenCreatesPrivateDirAndMigrates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "custdesk")
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	info, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o700 {
		t.Errorf("data directory mode %o, want 700", perm)
	}
	var version int
	var mode string
	if err := st.read.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	if err := st.read.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if version != len(migrations) || mode != "wal" {
		t.Fatalf("user_version %d journal_mode %s, want %d wal", version, mode, len(migrations))
	}
	var sync int
	if err := st.write.QueryRow(`PRAGMA synchronous`).Scan(&sync); err != nil || sync != 2 {
		t.Fatalf("synchronous = %d (%v), want 2 (FULL)", sync, err)
	}
}

func TestReopenKeepsHistory(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	sub := Submission{Customer: platforms.Customer{Name: "王小二"}, Platforms: []string{"alsc"}}
	if err := st.Begin(context.Background(), &sub); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.Get(context.Background(), sub.ID)
	if err != nil || got.Customer.Name != "王小二" || got.RequestID != sub.RequestID {
		t.Fatalf("after reopen: %+v, %v", got, err)
	}
}

// Two processes starting at once on a fresh directory both end up with one
// migrated database.
func TestConcurrentFirstOpen(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			st, err := Open(dir)
			if err == nil {
				err = st.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.write.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	_, err = Open(dir)
	if !errors.Is(err, ErrTooNew) || !strings.Contains(err.Error(), "--data-dir") {
		t.Fatalf("Open on a newer schema = %v", err)
	}
}

func assertUntouched(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s was modified by a failed Open", path)
	}
}

func TestGarbageFileIsRefusedAndKept(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	garbage := bytes.Repeat([]byte("this is not a database\n"), 300)
	if err := os.WriteFile(path, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir)
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open = %v, want ErrCorrupt", err)
	}
	for _, want := range []string{path, "--data-dir", "untouched"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	assertUntouched(t, path, garbage)
	// The console can start on a fresh directory.
	st, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
}

func TestDamagedSchemaIsRefusedAndKept(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	path := filepath.Join(dir, FileName)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Keep the 100-byte header (it says "SQLite format 3") and wreck the
	// schema that follows it on page 1.
	for i := 100; i < 4096 && i < len(b); i++ {
		b[i] = 0xA5
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Open(dir)
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "--data-dir") {
		t.Fatalf("Open on a damaged file = %v, want ErrCorrupt naming --data-dir", err)
	}
	assertUntouched(t, path, b)
}

func TestUnreadableFileIsReported(t *testing.T) {
	dir := t.TempDir()
	// A directory where the file should be cannot be read, even by root.
	if err := os.Mkdir(filepath.Join(dir, FileName), 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir)
	if err == nil || !strings.Contains(err.Error(), "cannot read") {
		t.Fatalf("Open = %v, want a cannot-read error", err)
	}
}

func TestDefaultDirFollowsXDG(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/data/home")
	if got := DefaultDir(); got != filepath.Join("/data/home", "custdesk") {
		t.Fatalf("DefaultDir = %q", got)
	}
	t.Setenv("XDG_DATA_HOME", "relative/ignored")
	if got := DefaultDir(); !filepath.IsAbs(got) || !strings.HasSuffix(got, "custdesk") {
		t.Fatalf("DefaultDir with a relative XDG_DATA_HOME = %q", got)
	}
}

func TestDrafts(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := st.LoadDraft(ctx); ok || err != nil {
		t.Fatalf("fresh store has a draft (%v)", err)
	}
	draft := platforms.Customer{Name: "王小", Mobile: "1341111", Tags: []string{"爱吃辣"}, Member: platforms.Bool(false)}
	if err := st.SaveDraft(ctx, Draft{Customer: platforms.Customer{Name: "older"}, SubmissionID: 9}); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveDraft(ctx, Draft{Customer: draft}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	d, ok, err := st.LoadDraft(ctx)
	got := d.Customer
	if !ok || err != nil || d.SubmissionID != 0 || got.Name != draft.Name || got.Mobile != draft.Mobile || got.IsMember() || got.Tags[0] != "爱吃辣" {
		t.Fatalf("LoadDraft after restart = %+v, %v, %v", got, ok, err)
	}
	if err := st.ClearDraft(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := st.LoadDraft(ctx); ok {
		t.Fatal("draft survived ClearDraft")
	}
}

// Two stores on one directory (two consoles) writing at once: busy_timeout
// and BEGIN IMMEDIATE serialise them without errors.
func TestTwoWritersShareTheFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, b := openAt(t, dir), openAt(t, dir)
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for _, st := range []*Store{a, b, a, b} {
		wg.Go(func() {
			for range 25 {
				sub := Submission{Customer: platforms.Customer{Name: "x"}, Platforms: []string{"alsc"}}
				if err := st.Begin(ctx, &sub); err != nil {
					errs <- err
					return
				}
				if _, err := st.Record(ctx, sub.ID, okExchange("alsc", "1")); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n, _ := a.Count(ctx, Query{Outcome: platforms.OK}); n != 100 {
		t.Fatalf("count = %d, want 100", n)
	}
}

func openAt(t *testing.T, dir string) *Store {
	t.Helper()
	st, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// A database written by the first schema is brought up to date on open,
// keeping its rows and making them findable by the new indexes.
func TestMigrationFromFirstSchema(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	all := migrations
	migrations = all[:1]
	st, err := Open(dir)
	if err != nil {
		migrations = all
		t.Fatal(err)
	}
	_, err = st.write.Exec(`INSERT INTO submissions (request_id, customer, name, mobile, platforms, created)
		VALUES ('r1', '{"name":"王五","mobile":"13633333333"}', '王五', '13633333333', 'alsc', 1)`)
	if err == nil {
		_, err = st.write.Exec(`INSERT INTO states (submission_id, platform, outcome) VALUES (1, 'alsc', 'ok')`)
	}
	st.Close()
	migrations = all
	if err != nil {
		t.Fatal(err)
	}
	st = openAt(t, dir)
	var version int
	if err := st.read.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil || version != len(migrations) {
		t.Fatalf("user_version = %d (%v), want %d", version, err, len(migrations))
	}
	for _, q := range []Query{{Text: "王五"}, {Text: "王"}, {Outcome: platforms.OK}, {Platform: "alsc"}} {
		if subs, err := st.List(ctx, q); err != nil || len(subs) != 1 || subs[0].RequestID != "r1" {
			t.Fatalf("List(%+v) after migration = %+v, %v", q, subs, err)
		}
	}
	// The member key is filled in for old rows, so the guard knows them.
	ens, err := st.Enrolments(ctx, MemberKey(platforms.Customer{Mobile: "+8613633333333"}))
	if err != nil || len(ens) != 1 || ens[0].SubmissionID != 1 || ens[0].Platform != "alsc" || ens[0].State != StateSettled {
		t.Fatalf("Enrolments of a migrated row = %+v, %v", ens, err)
	}
}

// Close returns only once a connection still in use has been given back
// and closed, so that nothing writes the directory after it (a read
// connection outliving the others would make SQLite recreate the WAL).
func TestCloseWaitsForConnectionsInUse(t *testing.T) {
	st, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w, err := st.Watch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	closed := make(chan error, 1)
	go func() { closed <- st.Close() }()
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while a connection was in use", err)
	case <-time.After(100 * time.Millisecond):
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-closed:
	case <-time.After(closeWait):
		t.Fatal("Close did not return once the connection was given back")
	}
	if n := st.read.Stats().OpenConnections; n != 0 {
		t.Fatalf("%d read connections still open after Close", n)
	}
}
