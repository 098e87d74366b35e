package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are applied in order; PRAGMA user_version counts how many ran.
// Never edit a shipped step: append a new one.
var migrations = []string{
	// 1: submissions, per-platform state (with the retry queue), exchanges,
	// search index, draft.
	`
CREATE TABLE submissions (
	id          INTEGER PRIMARY KEY,
	request_id  TEXT    NOT NULL UNIQUE,
	customer    TEXT    NOT NULL,            -- JSON with the public field names
	name        TEXT    NOT NULL DEFAULT '',
	mobile      TEXT    NOT NULL DEFAULT '',
	platforms   TEXT    NOT NULL,            -- comma-separated platform keys
	operator    TEXT    NOT NULL DEFAULT '',
	source      TEXT    NOT NULL DEFAULT '',
	import_file TEXT    NOT NULL DEFAULT '',
	import_row  INTEGER NOT NULL DEFAULT 0,
	created     INTEGER NOT NULL             -- unix nanoseconds
);
CREATE INDEX submissions_created ON submissions(created);
CREATE INDEX submissions_import ON submissions(import_file, import_row) WHERE import_file <> '';

CREATE TABLE states (
	submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
	platform      TEXT    NOT NULL,
	outcome       TEXT    NOT NULL DEFAULT '',  -- '' until an exchange is recorded
	result        TEXT    NOT NULL DEFAULT '{}',
	attempts      INTEGER NOT NULL DEFAULT 0,
	status        INTEGER NOT NULL DEFAULT 0,
	duration      INTEGER NOT NULL DEFAULT 0,
	exchange_id   INTEGER NOT NULL DEFAULT 0,   -- latest finished exchange
	queued        INTEGER NOT NULL DEFAULT 0,
	next_retry    INTEGER NOT NULL DEFAULT 0,   -- unix nanoseconds, when queued
	in_flight     INTEGER NOT NULL DEFAULT 0,   -- exchange id of the attempt being sent
	owner         TEXT    NOT NULL DEFAULT '',  -- process that began or is sending it
	dropped       INTEGER NOT NULL DEFAULT 0,   -- a person chose not to resend
	PRIMARY KEY (submission_id, platform)
) WITHOUT ROWID;
CREATE INDEX states_due ON states(next_retry) WHERE queued = 1;
CREATE INDEX states_owned ON states(owner) WHERE owner <> '';
CREATE INDEX states_outcome ON states(outcome, platform, submission_id);

CREATE TABLE exchanges (
	id            INTEGER PRIMARY KEY,
	submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
	platform      TEXT    NOT NULL,
	attempt       INTEGER NOT NULL,
	started       INTEGER NOT NULL,
	in_flight     INTEGER NOT NULL DEFAULT 1,
	outcome       TEXT    NOT NULL DEFAULT '',
	meta          TEXT    NOT NULL DEFAULT '{}', -- the Exchange as JSON, bodies left out
	request_body  BLOB,
	response      BLOB
);
CREATE INDEX exchanges_submission ON exchanges(submission_id, platform, attempt);

-- Trigram full-text index over name, mobile, email, request and customer IDs:
-- substring search (names, phone fragments) without scanning every row.
CREATE VIRTUAL TABLE search USING fts5(text, tokenize = 'trigram');

CREATE TABLE drafts (
	id       INTEGER PRIMARY KEY CHECK (id = 1),
	customer TEXT    NOT NULL,
	saved    INTEGER NOT NULL
);
`,
	// 2: searches stay within budget on 100,000 submissions. Filters by
	// outcome or platform walk an index in submission order (newest first,
	// stopping at the page) instead of collecting every match; words shorter
	// than the trigram index's three characters scan a compact copy of the
	// names and mobiles instead of the full rows.
	`
DROP INDEX states_outcome;
CREATE INDEX states_outcome ON states(outcome, submission_id);
CREATE INDEX states_platform ON states(platform, submission_id);
CREATE TABLE names (
	id   INTEGER PRIMARY KEY REFERENCES submissions(id) ON DELETE CASCADE,
	text TEXT    NOT NULL
);
INSERT INTO names (id, text) SELECT id, trim(name || ' ' || mobile) FROM submissions;
`,
	// 3: the status bar counts what waits for a person on every refresh; the
	// index holds every column of that count, so no row is read.
	`
CREATE INDEX states_unresolved ON states(outcome, queued, dropped, in_flight) WHERE outcome = 'unknown';
`,
	// 4: members, not keypresses. A platform's state becomes one derived
	// value (stateSQL); the attention inbox and dropped sends have indexes of
	// their own, walked newest first like the outcome filters. Submissions
	// carry their member's key (see MemberKey) so the duplicate guard finds
	// every earlier enrolment of a mobile with one index probe. A draft
	// remembers the submission its form is bound to.
	`
ALTER TABLE states ADD COLUMN state TEXT GENERATED ALWAYS AS (` + stateSQL + `) VIRTUAL;
DROP INDEX states_unresolved;
CREATE INDEX states_attention ON states(submission_id) WHERE state = 'attention';
CREATE INDEX states_dropped ON states(submission_id) WHERE state = 'dropped';
ALTER TABLE submissions ADD COLUMN member TEXT NOT NULL DEFAULT '';
CREATE INDEX submissions_member ON submissions(member, id) WHERE member <> '';
ALTER TABLE drafts ADD COLUMN submission_id INTEGER NOT NULL DEFAULT 0;
`,
	// 5: a search for a platform's customer ID finds it with one probe of an
	// exact-match index. Through the trigram index every ID shares most of
	// its trigrams with every other (they are long runs of digits with a
	// common prefix), so a lookup read every row's postings: a second at a
	// million submissions. (Whole mobiles use submissions_member.) Filled
	// from every recorded exchange's result, as the search text was.
	`
CREATE TABLE customer_ids (
	id            TEXT    NOT NULL,
	submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
	PRIMARY KEY (id, submission_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO customer_ids (id, submission_id)
	SELECT j.value, e.submission_id FROM exchanges e, json_each(e.meta, '$.result.customer_ids') j WHERE j.value <> '';
INSERT OR IGNORE INTO customer_ids (id, submission_id)
	SELECT j.value ->> '$.customer_id', e.submission_id FROM exchanges e, json_each(e.meta, '$.result.items') j
	WHERE coalesce(j.value ->> '$.customer_id', '') <> '';
`,
	// 6: an import writes a row's search text once, when its last platform
	// has answered (Batch.SearchLater): a full-text update deletes and
	// re-inserts the text, the largest write of an import. Until then the
	// text waits here with the process that will index it; Recover indexes
	// what a dead process left.
	`
CREATE TABLE search_later (
	id    INTEGER PRIMARY KEY REFERENCES submissions(id) ON DELETE CASCADE,
	text  TEXT    NOT NULL,
	owner TEXT    NOT NULL
);
`,
	// 7: a person's confirmation that the member may be created again (ctrl+r,
	// --allow-duplicate) is kept with the submission: the retry queue's sends
	// of it, and a later continuation, must not be stopped by the chain's
	// guard where its first send was let through.
	`
ALTER TABLE submissions ADD COLUMN allow_duplicate INTEGER NOT NULL DEFAULT 0;
`,
}

// backfills run in the migration's transaction right after the step of the
// same number, for what SQL alone cannot compute.
var backfills = map[int]func(context.Context, *sql.Tx) error{
	4: backfillMembers,
}

func (s *Store) migrate(ctx context.Context) error {
	var version int
	if err := s.read.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("%w (schema version %d, this one knows %d)", ErrTooNew, version, len(migrations))
	}
	if version == len(migrations) {
		return nil
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Read again under the write lock: another process may have migrated
	// between the check above and BEGIN IMMEDIATE.
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("%w (schema version %d, this one knows %d)", ErrTooNew, version, len(migrations))
	}
	for v := version; v < len(migrations); v++ {
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			return fmt.Errorf("schema migration %d: %w", v+1, err)
		}
		if fill := backfills[v+1]; fill != nil {
			if err := fill(ctx, tx); err != nil {
				return fmt.Errorf("schema migration %d: %w", v+1, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(migrations))); err != nil {
		return err
	}
	return tx.Commit()
}
