// Package central is the chain's optional shared history on PostgreSQL. The
// terminal stays offline-first: its SQLite history remains the write-ahead
// log and the retry queue, and everything here runs beside it. A trigger
// outbox in the local database records every change in commit order; a
// replicator ships it in batches with idempotent upserts keyed by (terminal,
// local ID) and advances a durable high-water mark after each commit.
// Head office searches all terminals; claims keep two terminals from
// enrolling one member on one platform; token leases share a rate budget per
// platform and app key.
package central

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/custdesk/custdesk/platforms/termsafe"
)

// Config is the [central] section, resolved.
type Config struct {
	URL      string // postgres:// URL
	Terminal string // "store-012/pos-1"
}

// StoreOf is the store part of a terminal name: "store-012/pos-1" → "store-012".
func StoreOf(terminal string) string {
	if i := strings.IndexByte(terminal, '/'); i >= 0 {
		return terminal[:i]
	}
	return terminal
}

// CheckTerminal says what is wrong with a terminal name, if anything.
func CheckTerminal(terminal string) error {
	switch {
	case terminal == "":
		return errors.New(`central.terminal is required when central.url is set (like "store-012/pos-1")`)
	case strings.TrimSpace(terminal) != terminal, strings.ContainsAny(terminal, " \t\r\n"):
		return fmt.Errorf("central.terminal %q: no spaces", terminal)
	case !utf8.ValidString(terminal) || strings.ContainsFunc(terminal, termsafe.Unsafe):
		// Head office prints it beside every record of this terminal.
		return fmt.Errorf("central.terminal %q: no control or invisible characters", terminal)
	case strings.HasPrefix(terminal, "/") || strings.HasSuffix(terminal, "/"):
		return fmt.Errorf("central.terminal %q: a store, then optionally /terminal (like store-012/pos-1)", terminal)
	}
	return nil
}

// ConnectTimeout bounds how long a connection attempt may take: the central
// store being away must never be felt at the counter.
const ConnectTimeout = 5 * time.Second

// Connect opens a pool on the central database. It does not wait for the
// server: the first query connects.
func Connect(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("central: bad url: %w", redact(err))
	}
	cfg.ConnConfig.ConnectTimeout = ConnectTimeout
	cfg.ConnConfig.RuntimeParams["search_path"] = "custdesk, public"
	cfg.ConnConfig.RuntimeParams["application_name"] = "custdesk"
	cfg.MaxConns = 4
	cfg.HealthCheckPeriod = 10 * time.Second
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("central: %w", redact(err))
	}
	return pool, nil
}

// redact keeps a password in a URL out of error messages: pgx's parse errors
// quote the connection string.
func redact(err error) error {
	msg := err.Error()
	if i := strings.Index(msg, "://"); i >= 0 {
		if j := strings.IndexByte(msg[i+3:], '@'); j >= 0 {
			return errors.New(msg[:i+3] + "…@" + msg[i+3+j+1:])
		}
	}
	return err
}

// Info is what `config check` reports.
type Info struct {
	Server        string // server_version
	SchemaVersion int    // 0: not initialised
	HighWater     int64  // this terminal's mark as the central store has it
	Known         bool   // the central store has heard of this terminal
}

// Describe connects and reads the server version, the schema version and
// the terminal's high-water mark.
func Describe(ctx context.Context, pool *pgxpool.Pool, terminal string) (Info, error) {
	var in Info
	if err := pool.QueryRow(ctx, `SHOW server_version`).Scan(&in.Server); err != nil {
		return in, fmt.Errorf("central: %w", err)
	}
	v, err := SchemaVersion(ctx, pool)
	if err != nil || v == 0 {
		in.SchemaVersion = v
		return in, err
	}
	in.SchemaVersion = v
	err = pool.QueryRow(ctx, `SELECT high_water FROM terminals WHERE terminal = $1`, terminal).Scan(&in.HighWater)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return in, nil
	case err != nil:
		return in, fmt.Errorf("central: %w", err)
	}
	in.Known = true
	return in, nil
}
