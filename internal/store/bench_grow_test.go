package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// growBase is how many submissions of a large benchmark history are written
// through the store's own path; the rest are copies of them made in SQL.
// Writing a million through BeginMany and RecordMany takes hours on a busy
// machine; copying takes minutes.
const growBase = 100_000

// seedLarge seeds growBase submissions (or copies a complete history of that
// size left by an earlier run) and grows it to n with growHistory.
func seedLarge(dir string, n int) error {
	base := filepath.Join(filepath.Dir(dir), fmt.Sprintf("custdesk-bench-v%d-%d", len(migrations), growBase))
	if os.Getenv("CUSTDESK_BENCH_BASE") != "" {
		base = os.Getenv("CUSTDESK_BENCH_BASE")
	}
	if _, err := os.Stat(filepath.Join(base, "complete")); err == nil {
		if err := copyHistory(base, dir); err != nil {
			return err
		}
	} else if err := seedBench(dir, growBase); err != nil {
		return err
	}
	return growHistory(dir, n)
}

// copyHistory copies a closed history's database file (checkpointed first).
func copyHistory(from, to string) error {
	st, err := Open(from)
	if err != nil {
		return err
	}
	_, err = st.write.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	st.Close()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(to, 0o700); err != nil {
		return err
	}
	src, err := os.Open(filepath.Join(from, "custdesk.db"))
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(filepath.Join(to, "custdesk.db"))
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// growHistory copies the submissions there are (IDs 1 to base), with their states,
// exchanges, names, customer IDs and search text, until the history holds n. Each copy
// gets its own ID, request ID, mobile (the seed's mobiles end in the
// submission's index) and platform customer IDs (the seed's are a constant
// plus the submission ID), and is created base minutes after the one it
// copies, so every search finds what it would in a history typed in.
func growHistory(dir string, n int) error {
	ctx := context.Background()
	st, err := Open(dir)
	if err != nil {
		return err
	}
	defer st.Close()
	var base int
	var maxEx int64
	if err := st.write.QueryRowContext(ctx, `SELECT max(id), (SELECT max(id) FROM exchanges) FROM submissions`).Scan(&base, &maxEx); err != nil {
		return err
	}
	for k := 1; k*base < n; k++ {
		if err := growCopy(ctx, st, k, base, min(base, n-k*base), maxEx); err != nil {
			return fmt.Errorf("copy %d: %w", k, err)
		}
	}
	return nil
}

func growCopy(ctx context.Context, st *Store, k, base, count int, maxEx int64) error {
	off, exOff := int64(k*base), int64(k)*maxEx
	minutes := off * 60e9
	// m(x) rewrites a text's mobile; c(x) its customer ID.
	const newMobile = `substr(s.mobile, 1, 3) || printf('%08d', CAST(substr(s.mobile, 4) AS INTEGER) + :off)`
	const oldCID = `printf('%d', 1214631327620775936 + s.id)`
	const newCID = `printf('%d', 1214631327620775936 + s.id + :off)`
	// 'x' is not a hex digit: a copy's request ID never equals a seeded one.
	const newRID = `substr(s.request_id, 1, 27) || 'x' || printf('%04x', :k)`
	stmts := []string{
		`INSERT INTO submissions (id, request_id, customer, name, mobile, platforms, operator, source, import_file, import_row, created, member)
			SELECT s.id + :off, ` + newRID + `, replace(s.customer, s.mobile, ` + newMobile + `), s.name, ` + newMobile + `,
				s.platforms, s.operator, s.source, s.import_file, s.import_row, s.created + :minutes, replace(s.member, s.mobile, ` + newMobile + `)
			FROM submissions s WHERE s.id <= :count`,
		`INSERT INTO exchanges (id, submission_id, platform, attempt, started, in_flight, outcome, meta, request_body, response)
			SELECT e.id + :exoff, e.submission_id + :off, e.platform, e.attempt, e.started + :minutes, e.in_flight, e.outcome,
				replace(replace(e.meta, s.request_id, ` + newRID + `), ` + oldCID + `, ` + newCID + `), e.request_body, e.response
			FROM exchanges e JOIN submissions s ON s.id = e.submission_id WHERE e.submission_id <= :count`,
		`INSERT INTO states (submission_id, platform, outcome, result, attempts, status, duration, exchange_id, queued, next_retry, in_flight, owner, dropped)
			SELECT t.submission_id + :off, t.platform, t.outcome, replace(t.result, ` + oldCID + `, ` + newCID + `), t.attempts, t.status, t.duration,
				CASE WHEN t.exchange_id = 0 THEN 0 ELSE t.exchange_id + :exoff END, t.queued, t.next_retry, t.in_flight, t.owner, t.dropped
			FROM states t JOIN submissions s ON s.id = t.submission_id WHERE t.submission_id <= :count`,
		`INSERT INTO names (id, text) SELECT n.id + :off, replace(n.text, s.mobile, ` + newMobile + `)
			FROM names n JOIN submissions s ON s.id = n.id WHERE n.id <= :count`,
		`INSERT INTO customer_ids (id, submission_id) SELECT printf('%d', CAST(c.id AS INTEGER) + :off), c.submission_id + :off
			FROM customer_ids c WHERE c.submission_id <= :count`,
		`INSERT INTO search (rowid, text) SELECT x.rowid + :off,
				replace(replace(replace(x.text, s.mobile, ` + newMobile + `), s.request_id, ` + newRID + `), ` + oldCID + `, ` + newCID + `)
			FROM search x JOIN submissions s ON s.id = x.rowid WHERE x.rowid <= :count`,
	}
	tx, err := st.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q, sql.Named("off", off), sql.Named("exoff", exOff), sql.Named("minutes", minutes),
			sql.Named("k", k), sql.Named("count", count)); err != nil {
			return fmt.Errorf("%s: %w", q[:40], err)
		}
	}
	return tx.Commit()
}
