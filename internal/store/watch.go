package store

import (
	"context"
	"database/sql"
)

// Watch tells when the database changed, whoever changed it: this process,
// `custdesk submit` or `import`, or another console on the same data
// directory. It holds one read connection for itself, because SQLite's
// data_version is per connection: it moves when any other connection
// commits.
type Watch struct {
	conn *sql.Conn
	last int64
}

// Watch starts watching from the database as it is now.
func (s *Store) Watch(ctx context.Context) (*Watch, error) {
	conn, err := s.read.Conn(ctx)
	if err != nil {
		return nil, err
	}
	w := &Watch{conn: conn}
	if w.last, err = w.version(ctx); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return w, nil
}

func (w *Watch) version(ctx context.Context) (int64, error) {
	var v int64
	err := w.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v)
	return v, err
}

// Changed reports whether anything was committed since the last call.
func (w *Watch) Changed(ctx context.Context) (bool, error) {
	v, err := w.version(ctx)
	if err != nil {
		return false, err
	}
	changed := v != w.last
	w.last = v
	return changed, nil
}

// Close gives the connection back.
func (w *Watch) Close() error { return w.conn.Close() }
