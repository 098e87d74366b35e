package store

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"testing"
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
