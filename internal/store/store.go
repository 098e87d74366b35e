// Package store is custdesk's durable history: every submission is written
// ahead of its first request, every exchange is committed when it arrives, and
// the retry queue lives in the same database so it survives restarts.
//
// The database is one SQLite file (modernc.org/sqlite, pure Go) in WAL mode.
// Several processes may share a data directory: writes serialise on SQLite's
// lock (busy_timeout), and an attempt in flight belongs to the process that
// claimed it, so two consoles never send the same queued row twice.
package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/custdesk/custdesk/platforms"
)

// FileName is the database file inside the data directory.
const FileName = "custdesk.db"

// Errors callers may test for.
var (
	ErrNotFound = errors.New("not found")
	// ErrInFlight: the platform of that submission is being sent right now, by
	// this process or another one sharing the data directory.
	ErrInFlight = errors.New("already being sent")
	// ErrCorrupt: the file is not a usable custdesk database. It is left as is.
	ErrCorrupt = errors.New("database file is not usable")
	// ErrTooNew: the file was written by a newer custdesk.
	ErrTooNew = errors.New("database is from a newer custdesk")
	// ErrRequestIDUsed: a submission was given a request ID another one has.
	ErrRequestIDUsed = errors.New("request ID already used")
)

// DefaultDir is where history lives unless --data-dir or data_dir say
// otherwise: $XDG_DATA_HOME/custdesk, else the platform's per-user data folder.
func DefaultDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "custdesk")
	}
	home, _ := os.UserHomeDir()
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LocalAppData"); d != "" {
			return filepath.Join(d, "custdesk")
		}
		return filepath.Join(home, "AppData", "Local", "custdesk")
	case "darwin":
		return filepath.Join(home, "Library", "Application Support", "custdesk")
	default:
		return filepath.Join(home, ".local", "share", "custdesk")
	}
}

// Store is an open history database. It is safe for concurrent use.
type Store struct {
	path  string
	write *sql.DB // one connection: writes in this process queue here, not on SQLite's lock
	read  *sql.DB

	owner *owner // this process's claim on the rows it sends

	mu      sync.RWMutex
	secrets []string

	// group is the connection of group commits (inPreparedTx), opened by
	// the first one: only an import makes them.
	groupOnce sync.Once
	group     *sql.DB
	groupErr  error
	stmts     writeStmts // the group connection's prepared statements
}

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// Open opens (creating if needed) the history in dir. A file that is not a
// SQLite database, or not one custdesk can read, is reported and never
// touched.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("history: no data directory given")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("history: cannot create data directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	if err := prepareFiles(path); err != nil {
		return nil, err
	}
	own, err := newOwner(filepath.Join(dir, "owners"))
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	s := &Store{path: path, owner: own}
	if s.write, err = openDB(path, writer); err == nil {
		s.read, err = openDB(path, reader)
	}
	if err == nil {
		err = s.migrate(context.Background())
	}
	if err == nil {
		// Reading the schema catches a damaged first page now, with a clear
		// message, rather than at the first query. Deeper damage shows when
		// the rows are read (see wrapQueryErr); a full integrity check would
		// read the whole file on every start.
		var n int
		err = s.read.QueryRow(`SELECT count(*) FROM sqlite_schema`).Scan(&n)
	}
	if err != nil {
		s.closeDBs()
		own.release()
		return nil, describeOpenError(path, err)
	}
	return s, nil
}

// checkHeader refuses a non-empty file that is not SQLite before the driver
// sees it, so nothing (not even a WAL switch) is ever written into it.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("history: cannot read %s: %w (use --data-dir to start on another directory)", path, err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, head)
	switch {
	case n == 0 && err == io.EOF:
		return nil // an empty file is what SQLite itself creates before the first write
	case err != nil && err != io.EOF && err != io.ErrUnexpectedEOF:
		return fmt.Errorf("history: cannot read %s: %w (use --data-dir to start on another directory)", path, err)
	}
	if !bytes.Equal(head[:n], sqliteHeader) {
		return fmt.Errorf("history: %s is not a SQLite database (%w); it was left untouched: move it away or use --data-dir to start on another directory", path, ErrCorrupt)
	}
	return nil
}

// Durability: WAL with synchronous=FULL. A submission is the promise that a
// customer typed once is never lost, and it is made before the request
// leaves, so its commit must survive a power cut, not only a crash of this
// process (NORMAL keeps the latter but may roll back the last commits on power
// loss, after the platform already has the customer). In WAL mode FULL costs
// one fsync of the WAL per commit, well inside the 5 ms budget of a write;
// bulk imports amortise it with BeginMany.
const pragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)"

// dbRole is what a connection pool of the store is for.
type dbRole int

const (
	reader dbRole = iota // queries, four connections, query_only
	writer               // every write but group commits, one connection
	// grouper is the one connection of group commits, without SQLite's
	// foreign-key checks (see inPreparedTx). A connection of its own, since
	// switching the checks off and on again makes SQLite prepare every
	// statement anew.
	grouper
)

func openDB(path string, role dbRole) (*sql.DB, error) {
	dsn := "file:" + filepath.ToSlash(path) + "?" + pragmas
	switch role {
	case reader:
		dsn += "&_pragma=foreign_keys(1)&_pragma=query_only(1)"
	case writer:
		// IMMEDIATE takes the write lock at BEGIN, so a second process waits on
		// busy_timeout instead of failing when a read turns into a write.
		dsn += "&_pragma=foreign_keys(1)&_txlock=immediate"
	case grouper:
		dsn += "&_pragma=foreign_keys(0)&_txlock=immediate"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	if role == reader {
		db.SetMaxOpenConns(4)
	} else {
		db.SetMaxOpenConns(1)
	}
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(0)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// groupDB is the group commits' connection, opened the first time.
func (s *Store) groupDB() (*sql.DB, error) {
	s.groupOnce.Do(func() {
		if s.group, s.groupErr = openDB(s.path, grouper); s.groupErr != nil {
			s.groupErr = describeOpenError(s.path, s.groupErr)
		}
	})
	return s.group, s.groupErr
}

func describeOpenError(path string, err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, ErrTooNew):
		return fmt.Errorf("history: %s: %w; upgrade custdesk or use --data-dir", path, err)
	case strings.Contains(msg, "not a database"), strings.Contains(msg, "malformed"), strings.Contains(msg, "corrupt"):
		return fmt.Errorf("history: %s is damaged (%w: %s); it was left untouched: move it away or use --data-dir to start on another directory", path, ErrCorrupt, msg)
	case strings.Contains(msg, "readonly"), strings.Contains(msg, "unable to open"), strings.Contains(msg, "permission"):
		return fmt.Errorf("history: cannot open %s for writing (%s); check its permissions or use --data-dir", path, msg)
	case strings.Contains(msg, "locked"), strings.Contains(msg, "busy"):
		return fmt.Errorf("history: %s is locked by another program for too long (%s)", path, msg)
	}
	return fmt.Errorf("history: cannot open %s: %w", path, err)
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close releases the database. Attempts this process left in flight become
// recoverable by the next process that calls Recover.
func (s *Store) Close() error {
	err := s.closeDBs()
	s.owner.release()
	return err
}

func (s *Store) closeDBs() error {
	// Whoever opened the group connection is done: Close runs after the
	// store's last use.
	s.groupOnce.Do(func() {})
	s.closeStmts()
	var errs []error
	for _, db := range []*sql.DB{s.read, s.write, s.group} {
		if db != nil {
			errs = append(errs, closeDB(db))
		}
	}
	return errors.Join(errs...)
}

// closeDB closes db and waits, up to closeWait, for the connections still
// in use to end: database/sql closes those only when their query or
// transaction gives them back. Until the last one is closed SQLite may
// still write the files (a reader left alone recreates the WAL and its
// index, the last one out checkpoints and deletes them), so a caller that
// moves or removes the directory after Close must find it at rest.
func closeDB(db *sql.DB) error {
	err := db.Close()
	for deadline := time.Now().Add(closeWait); db.Stats().OpenConnections > 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	return err
}

// closeWait bounds how long Close waits for queries still running.
const closeWait = 5 * time.Second

// MaskSecrets adds secrets (app secrets, tokens, header values) that a
// platform may echo in its answer: they are masked there before anything is
// written (see platforms.Redact). The request is masked by position by the
// platform client that built it.
func (s *Store) MaskSecrets(secrets ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sec := range secrets {
		if len(sec) >= platforms.MinSecretLength { // shorter values would mask ordinary text
			s.secrets = append(s.secrets, sec)
		}
	}
}

// Redact is ex as this store writes it: what callers show or print, so that
// screen, stdout and history hold the same masked exchange.
func (s *Store) Redact(ex platforms.Exchange) platforms.Exchange {
	return platforms.Redact(ex, s.maskList())
}

func (s *Store) maskList() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.secrets
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}
