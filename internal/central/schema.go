package central

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrations of the central schema, applied in order; custdesk.meta counts
// how many ran. Never edit a shipped step: append a new one.
var migrations = []string{
	// 1: the replicated history, keyed by (terminal, local ID); claims;
	// rate budgets. Each replicated row carries the outbox position it was
	// read at (version), so an older read never overwrites a newer one.
	`
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE custdesk.terminals (
	terminal   text        PRIMARY KEY,
	store      text        NOT NULL,
	high_water bigint      NOT NULL DEFAULT 0,
	first_seen timestamptz NOT NULL DEFAULT now(),
	last_seen  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE custdesk.submissions (
	terminal    text        NOT NULL,
	local_id    bigint      NOT NULL,
	store       text        NOT NULL,
	request_id  text        NOT NULL,
	customer    jsonb       NOT NULL,
	name        text        NOT NULL DEFAULT '',
	mobile      text        NOT NULL DEFAULT '',
	member      text        NOT NULL DEFAULT '',  -- store.MemberKey: "m:"+E.164, else "e:"+e-mail
	email       text        NOT NULL DEFAULT '',
	platforms   text        NOT NULL,
	operator    text        NOT NULL DEFAULT '',
	source      text        NOT NULL DEFAULT '',
	import_file text        NOT NULL DEFAULT '',
	import_row  integer     NOT NULL DEFAULT 0,
	created     timestamptz NOT NULL,
	search      text        NOT NULL DEFAULT '',  -- ' ' and the words: a short word matches a word's start
	version     bigint      NOT NULL,
	PRIMARY KEY (terminal, local_id)
);
CREATE INDEX submissions_created ON custdesk.submissions (created DESC);
CREATE INDEX submissions_store ON custdesk.submissions (store, created DESC);
CREATE INDEX submissions_member ON custdesk.submissions (member) WHERE member <> '';
CREATE INDEX submissions_search ON custdesk.submissions USING gin (search gin_trgm_ops);
CREATE TABLE custdesk.states (
	terminal      text    NOT NULL,
	submission_id bigint  NOT NULL,
	platform      text    NOT NULL,
	outcome       text    NOT NULL DEFAULT '',
	state         text    NOT NULL DEFAULT '',  -- store.State as the terminal derived it
	attempts      integer NOT NULL DEFAULT 0,
	queued        boolean NOT NULL DEFAULT false,
	in_flight     boolean NOT NULL DEFAULT false,
	dropped       boolean NOT NULL DEFAULT false,
	exchange_id   bigint  NOT NULL DEFAULT 0,
	result        jsonb   NOT NULL DEFAULT '{}',
	customer_ids  text    NOT NULL DEFAULT '',    -- space-separated, for fragments (trigrams)
	customer_id_list text[] NOT NULL DEFAULT '{}', -- the same, for a whole ID pasted
	row           jsonb   NOT NULL DEFAULT '{}',  -- the local row as it was, every column
	version       bigint  NOT NULL,
	PRIMARY KEY (terminal, submission_id, platform)
);
CREATE INDEX states_outcome ON custdesk.states (outcome, platform);
CREATE INDEX states_state ON custdesk.states (state, platform);
CREATE INDEX states_ids ON custdesk.states USING gin (customer_ids gin_trgm_ops);
CREATE INDEX states_id_list ON custdesk.states USING gin (customer_id_list);
CREATE TABLE custdesk.exchanges (
	terminal      text        NOT NULL,
	local_id      bigint      NOT NULL,
	submission_id bigint      NOT NULL,
	platform      text        NOT NULL,
	attempt       integer     NOT NULL,
	started       timestamptz NOT NULL,
	in_flight     boolean     NOT NULL,
	outcome       text        NOT NULL DEFAULT '',
	meta          jsonb       NOT NULL DEFAULT '{}',
	request_body  bytea,
	response      bytea,
	version       bigint      NOT NULL,
	PRIMARY KEY (terminal, local_id)
);
CREATE INDEX exchanges_submission ON custdesk.exchanges (terminal, submission_id);
-- One live claim per member key and platform: taken before the first send,
-- released (never deleted) on a definite rejection.
CREATE TABLE custdesk.claims (
	key           text        NOT NULL,
	platform      text        NOT NULL,
	terminal      text        NOT NULL,
	submission_id bigint      NOT NULL,
	claimed_at    timestamptz NOT NULL DEFAULT now(),
	released_at   timestamptz,
	PRIMARY KEY (key, platform)
);
-- A virtual clock per budget: next_free is when the next token may be used.
CREATE TABLE custdesk.budgets (
	platform  text             NOT NULL,
	app_key   text             NOT NULL,
	rate      double precision NOT NULL,
	next_free timestamptz      NOT NULL DEFAULT now(),
	PRIMARY KEY (platform, app_key)
);
`,
	// 2: a whole customer ID is found with one B-tree probe. Through the
	// array's GIN index the planner has no statistics for one element and
	// guesses 0.5% of the states (15,000 at a million submissions), so it
	// joined by scanning every submission: 15 s for one ID. Filled from
	// every replicated state; rows are only added (terminals cannot delete),
	// and an ID a platform once gave keeps finding its submission.
	`
CREATE TABLE custdesk.customer_ids (
	id            text   NOT NULL,
	terminal      text   NOT NULL,
	submission_id bigint NOT NULL,
	PRIMARY KEY (id, terminal, submission_id)
);
INSERT INTO custdesk.customer_ids (id, terminal, submission_id)
	SELECT DISTINCT unnest(customer_id_list), terminal, submission_id FROM custdesk.states
	ON CONFLICT DO NOTHING;
DROP INDEX custdesk.states_id_list;
`,
}

// Version is the schema version this custdesk writes.
var Version = len(migrations)

// ErrNotInitialised: the central database has no custdesk schema yet.
var ErrNotInitialised = errors.New("central: the database has no custdesk schema; run 'custdesk central init'")

// ErrTooNew: the schema was migrated by a newer custdesk.
var ErrTooNew = errors.New("central: the schema is from a newer custdesk")

// SchemaVersion reads how many migrations ran (0: none).
func SchemaVersion(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}) (int, error) {
	var v int
	err := q.QueryRow(ctx, `SELECT version FROM custdesk.meta`).Scan(&v)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "42P01" || pe.Code == "3F000") { // undefined table / schema
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("central: %w", err)
	}
	return v, nil
}

// CheckSchema returns nil when the schema is the one this custdesk writes.
func CheckSchema(ctx context.Context, pool *pgxpool.Pool) error {
	v, err := SchemaVersion(ctx, pool)
	switch {
	case err != nil:
		return err
	case v == 0:
		return ErrNotInitialised
	case v > Version:
		return fmt.Errorf("%w (version %d, this one knows %d)", ErrTooNew, v, Version)
	case v < Version:
		return fmt.Errorf("central: schema version %d is older than this custdesk's %d; run 'custdesk central init'", v, Version)
	}
	return nil
}

// Init creates or migrates the schema. It is idempotent, and safe to run
// from several machines at once (an advisory lock serialises them).
// It returns the version before and after.
func Init(ctx context.Context, pool *pgxpool.Pool) (from, to int, err error) {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("central: %w", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(4242001)`); err != nil {
		return 0, 0, fmt.Errorf("central: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS custdesk;
		CREATE TABLE IF NOT EXISTS custdesk.meta (id integer PRIMARY KEY CHECK (id = 1), version integer NOT NULL);
		INSERT INTO custdesk.meta (id, version) VALUES (1, 0) ON CONFLICT DO NOTHING`); err != nil {
		return 0, 0, fmt.Errorf("central: %w", err)
	}
	if from, err = SchemaVersion(ctx, tx); err != nil {
		return 0, 0, err
	}
	if from > Version {
		return from, from, fmt.Errorf("%w (version %d, this one knows %d)", ErrTooNew, from, Version)
	}
	for v := from; v < Version; v++ {
		if _, err := tx.Exec(ctx, migrations[v]); err != nil {
			return from, v, fmt.Errorf("central: schema migration %d: %w", v+1, err)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE custdesk.meta SET version = $1`, Version); err != nil {
		return from, from, fmt.Errorf("central: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return from, from, fmt.Errorf("central: %w", err)
	}
	return from, Version, nil
}

// Grant gives a terminals' role what it needs and nothing more: read and
// write the replicated history, claims and budgets, never delete. The
// default privileges give it the same on tables a later migration creates
// (run by the same admin role), so an upgrade's 'central init' needs no
// --grant again.
func Grant(ctx context.Context, pool *pgxpool.Pool, role string) error {
	r := pgx.Identifier{role}.Sanitize()
	_, err := pool.Exec(ctx, `GRANT USAGE ON SCHEMA custdesk TO `+r+`;
		GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA custdesk TO `+r+`;
		REVOKE DELETE, TRUNCATE ON ALL TABLES IN SCHEMA custdesk FROM `+r+`;
		ALTER DEFAULT PRIVILEGES IN SCHEMA custdesk GRANT SELECT, INSERT, UPDATE ON TABLES TO `+r)
	if err != nil {
		return fmt.Errorf("central: granting %s: %w", role, err)
	}
	return nil
}
