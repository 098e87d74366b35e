package central

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/custdesk/custdesk/internal/store"
)

// The outbox lives in the terminal's own SQLite file, filled by triggers on
// the history's tables: every insert or update of a submission, platform
// state or exchange appends its key in the same transaction, so the order of
// the outbox is the order of commits and no write path of the store has to
// know about replication. Only keys are kept; the replicator reads the rows
// as they are when it ships them.
const outboxSchema = `
CREATE TABLE IF NOT EXISTS central_outbox (
	seq      INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, even after pruning
	kind     TEXT    NOT NULL,                  -- 's' submission, 't' state, 'e' exchange
	sub      INTEGER NOT NULL,
	platform TEXT    NOT NULL DEFAULT '',
	ex       INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS central_mark (
	id       INTEGER PRIMARY KEY CHECK (id = 1),
	terminal TEXT    NOT NULL,
	seq      INTEGER NOT NULL                   -- everything up to here is committed centrally
);
`

// triggers are (name, SQL); a missing one is re-created, and then the whole
// history is queued again, since changes made without it were not captured
// (a later local migration may rebuild a table, which drops its triggers).
var triggers = [][2]string{
	{"central_sub_ins", `AFTER INSERT ON submissions BEGIN INSERT INTO central_outbox (kind, sub) VALUES ('s', NEW.id); END`},
	{"central_sub_upd", `AFTER UPDATE ON submissions BEGIN INSERT INTO central_outbox (kind, sub) VALUES ('s', NEW.id); END`},
	{"central_state_ins", `AFTER INSERT ON states BEGIN INSERT INTO central_outbox (kind, sub, platform) VALUES ('t', NEW.submission_id, NEW.platform); END`},
	{"central_state_upd", `AFTER UPDATE ON states BEGIN INSERT INTO central_outbox (kind, sub, platform) VALUES ('t', NEW.submission_id, NEW.platform); END`},
	{"central_ex_ins", `AFTER INSERT ON exchanges BEGIN INSERT INTO central_outbox (kind, sub, platform, ex) VALUES ('e', NEW.submission_id, NEW.platform, NEW.id); END`},
	{"central_ex_upd", `AFTER UPDATE ON exchanges BEGIN INSERT INTO central_outbox (kind, sub, platform, ex) VALUES ('e', NEW.submission_id, NEW.platform, NEW.id); END`},
}

// Local is the terminal's side: the outbox and the mark in its history file.
type Local struct {
	terminal string
	read     *sql.DB
	write    *sql.DB
}

const localPragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)"

// OpenLocal attaches to the history in dataDir (which store.Open has created
// and migrated), installs the outbox and its triggers if needed, and checks
// that the history is replicated under this terminal's name only.
func OpenLocal(ctx context.Context, dataDir, terminal string) (*Local, error) {
	if err := CheckTerminal(terminal); err != nil {
		return nil, err
	}
	path := filepath.ToSlash(filepath.Join(dataDir, store.FileName))
	l := &Local{terminal: terminal}
	var err error
	if l.write, err = sql.Open("sqlite", "file:"+path+"?"+localPragmas+"&_txlock=immediate"); err != nil {
		return nil, err
	}
	l.write.SetMaxOpenConns(1)
	if l.read, err = sql.Open("sqlite", "file:"+path+"?"+localPragmas+"&_pragma=query_only(1)"); err != nil {
		l.write.Close()
		return nil, err
	}
	l.read.SetMaxOpenConns(2)
	if err := l.install(ctx); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// Close releases the connections.
func (l *Local) Close() error { return errors.Join(l.read.Close(), l.write.Close()) }

// Terminal is the name this history replicates under.
func (l *Local) Terminal() string { return l.terminal }

func (l *Local) install(ctx context.Context) error {
	tx, err := l.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("central: local history: %w", err)
	}
	defer tx.Rollback()
	var tables int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('submissions', 'states', 'exchanges')`).Scan(&tables); err != nil {
		return fmt.Errorf("central: local history: %w", err)
	}
	if tables != 3 {
		return errors.New("central: local history has no submissions, states and exchanges tables (open it with the store first)")
	}
	if _, err := tx.ExecContext(ctx, outboxSchema); err != nil {
		return fmt.Errorf("central: local outbox: %w", err)
	}
	var known string
	err = tx.QueryRowContext(ctx, `SELECT terminal FROM central_mark WHERE id = 1`).Scan(&known)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := tx.ExecContext(ctx, `INSERT INTO central_mark (id, terminal, seq) VALUES (1, ?, 0)`, l.terminal); err != nil {
			return err
		}
	case err != nil:
		return err
	case known != l.terminal:
		return fmt.Errorf("central: this history is replicated as terminal %q, not %q: keep central.terminal as it was, or give the new terminal its own data directory", known, l.terminal)
	}
	missing := false
	for _, t := range triggers {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = ?`, t[0]).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			missing = true
			if _, err := tx.ExecContext(ctx, `CREATE TRIGGER `+t[0]+` `+t[1]); err != nil {
				return fmt.Errorf("central: local trigger %s: %w", t[0], err)
			}
		}
	}
	if missing {
		// Whatever was written before the triggers existed is queued now:
		// a terminal that joins the chain ships its whole past.
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO central_outbox (kind, sub) SELECT 's', id FROM submissions ORDER BY id;
			INSERT INTO central_outbox (kind, sub, platform) SELECT 't', submission_id, platform FROM states ORDER BY submission_id, platform;
			INSERT INTO central_outbox (kind, sub, platform, ex) SELECT 'e', submission_id, platform, id FROM exchanges ORDER BY id;`); err != nil {
			return fmt.Errorf("central: queueing the history: %w", err)
		}
	}
	return tx.Commit()
}

// change is one outbox entry.
type change struct {
	seq      int64
	kind     string
	sub      int64
	platform string
	ex       int64
}

// Mark is the local high-water mark: every change up to it is committed
// centrally.
func (l *Local) Mark(ctx context.Context) (int64, error) {
	var m int64
	err := l.read.QueryRowContext(ctx, `SELECT seq FROM central_mark WHERE id = 1`).Scan(&m)
	return m, err
}

// Behind counts the changes not yet committed centrally.
func (l *Local) Behind(ctx context.Context) (int, error) {
	var n int
	err := l.read.QueryRowContext(ctx, `SELECT count(*) FROM central_outbox WHERE seq > (SELECT seq FROM central_mark WHERE id = 1)`).Scan(&n)
	return n, err
}

// advance moves the mark after a central commit and prunes what it covers.
func (l *Local) advance(ctx context.Context, seq int64) error {
	tx, err := l.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE central_mark SET seq = max(seq, ?) WHERE id = 1`, seq); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM central_outbox WHERE seq <= ?`, seq); err != nil {
		return err
	}
	return tx.Commit()
}

// row is one local row, every column by name, as the driver returned it.
type row map[string]any

func scanRows(rows *sql.Rows) ([]row, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []row
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		r := make(row, len(cols))
		for i, c := range cols {
			r[c] = vals[i]
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (r row) int(k string) int64 {
	switch v := r[k].(type) {
	case int64:
		return v
	case float64:
		return int64(v)
	}
	return 0
}

func (r row) str(k string) string {
	switch v := r[k].(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return ""
}

func (r row) bytes(k string) []byte {
	switch v := r[k].(type) {
	case []byte:
		return v
	case string:
		return []byte(v)
	}
	return nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}
