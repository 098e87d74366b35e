package store

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/custdesk/custdesk/platforms"
)

// A group commit's statements run on the driver directly (preparedTx); what
// they read must be what database/sql reads from the same rows, and what
// database/sql refuses to scan they refuse too.
func TestPreparedTxScansAsDatabaseSQL(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	type named string
	type row struct {
		S     string
		N     named
		I     int
		I64   int64
		B     bool
		Blob  []byte
		Blob2 []byte
	}
	const q = `SELECT 'text', 'named', 42, 1 << 40, 1, x'00ff', NULL`
	var viaSQL, viaRaw row
	scan := func(r rowScanner, out *row) error {
		return r.Scan(&out.S, &out.N, &out.I, &out.I64, &out.B, &out.Blob, &out.Blob2)
	}
	if err := scan(st.read.QueryRowContext(ctx, q), &viaSQL); err != nil {
		t.Fatal(err)
	}
	var noRow, nullString, badBool, sqlNull, sqlBadBool error
	err := st.inPreparedTx(ctx, func(pt *preparedTx) error {
		if err := scan(pt.queryRow(ctx, q), &viaRaw); err != nil {
			return err
		}
		var s string
		noRow = pt.queryRow(ctx, `SELECT text FROM search_later WHERE id = ?`, -1).Scan(&s)
		nullString = pt.queryRow(ctx, `SELECT NULL`).Scan(&s)
		var b bool
		badBool = pt.queryRow(ctx, `SELECT 7`).Scan(&b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(viaSQL, viaRaw) {
		t.Fatalf("database/sql read %+v, the driver directly %+v", viaSQL, viaRaw)
	}
	if !errors.Is(noRow, sql.ErrNoRows) {
		t.Fatalf("no row: %v, want sql.ErrNoRows", noRow)
	}
	var s string
	var b bool
	sqlNull = st.read.QueryRowContext(ctx, `SELECT NULL`).Scan(&s)
	sqlBadBool = st.read.QueryRowContext(ctx, `SELECT 7`).Scan(&b)
	if (nullString == nil) != (sqlNull == nil) || (badBool == nil) != (sqlBadBool == nil) || nullString == nil || badBool == nil {
		t.Fatalf("NULL into a string: %v (database/sql: %v); 7 into a bool: %v (database/sql: %v)", nullString, sqlNull, badBool, sqlBadBool)
	}
}

// A failing statement rolls the whole group commit back, and the store's
// prepared statements survive it for the next one.
func TestPreparedTxRollsBack(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	if _, err := st.write.ExecContext(ctx, `CREATE TABLE t (x)`); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := st.inPreparedTx(ctx, func(pt *preparedTx) error {
		if _, err := pt.ExecContext(ctx, `INSERT INTO t (x) VALUES (?)`, 1); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want boom", err)
	}
	var n int
	if err := st.read.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("after a rollback: %d rows, %v", n, err)
	}
	err = st.inPreparedTx(ctx, func(pt *preparedTx) error {
		_, err := pt.ExecContext(ctx, `INSERT INTO t (x) VALUES (?)`, 1)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.read.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("after a commit: %d rows, %v", n, err)
	}
}

// Group commits run without foreign-key checks, on their own connection;
// every other write keeps them, after group commits and their rollbacks
// alike. What the checks guarded in a group commit is still refused there:
// an answer, a claim or customer IDs for a submission the history does not
// have.
func TestGroupCommitsLeaveForeignKeysOn(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	orphan := func(when string) {
		t.Helper()
		_, err := st.write.ExecContext(ctx, `INSERT INTO states (submission_id, platform) VALUES (999, 'x')`)
		if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
			t.Fatalf("%s: an orphan state was not refused: %v", when, err)
		}
	}
	orphan("before any group commit")
	sub := &Submission{Customer: platforms.Customer{Name: "王小明", Mobile: "13800000001"}, Platforms: []string{"alsc"}}
	if _, _, err := st.Apply(ctx, Batch{Begin: []*Submission{sub}}); err != nil {
		t.Fatal(err)
	}
	orphan("after a group commit")

	_, started, err := st.Apply(ctx, Batch{Claims: []AttemptKey{{SubmissionID: 999, Platform: "alsc", Known: true}}})
	if err != nil || len(started) != 1 || !errors.Is(started[0].Err, ErrNotFound) {
		t.Fatalf("a claim for no submission: %+v, %v; want ErrNotFound", started, err)
	}
	ex := platforms.Exchange{Platform: "alsc", Result: platforms.Result{Outcome: platforms.OK, CustomerIDs: []string{"c1"}}}
	if _, _, err := st.Apply(ctx, Batch{Records: []Recording{{SubmissionID: 999, Exchange: ex}}}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an answer for no submission: %v; want ErrNotFound", err)
	}
	if _, _, err := st.Apply(ctx, Batch{Search: []SearchAdd{{SubmissionID: 999, IDs: []string{"c1"}}}}); err == nil {
		t.Fatal("customer IDs for no submission were written")
	}
	orphan("after group commits that rolled back")
	var n int
	for _, table := range []string{"exchanges", "customer_ids"} {
		if err := st.read.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE submission_id = 999`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%s holds %d rows of no submission (%v)", table, n, err)
		}
	}
}
