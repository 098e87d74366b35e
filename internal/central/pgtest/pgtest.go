//go:build unix

// Package pgtest runs a private PostgreSQL cluster for tests: initdb in a
// temporary directory, the server listening only on a Unix socket inside it,
// stopped and removed when the tests end. Tests that need PostgreSQL call
// Main from TestMain.
//
// When no server binary can be found the tests are skipped with a message
// saying so, except under CI=true, where a missing server is a failure: a
// green run must mean the central store was tested.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Cluster is a running private PostgreSQL server.
type Cluster struct {
	Dir    string // temporary directory: data/, sock/, log
	bin    string
	cred   *syscall.Credential // the server's user when the tests run as root
	Socket string
}

var (
	once     sync.Once
	started  *Cluster
	startErr error
)

// Main runs the tests and stops the cluster if one was started. It never
// returns.
func Main(m *testing.M) { os.Exit(Run(m)) }

// Run runs the tests, stopping the cluster after them if a test started
// one, and returns the exit code. The cluster starts at the first Need, so
// a package whose selected tests need no PostgreSQL pays nothing.
func Run(m *testing.M) int {
	code := m.Run()
	if started != nil {
		if err := started.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	}
	return code
}

// Need returns the running cluster, starting it on first use. With no
// server binary the test is skipped and says why, except under CI=true,
// where it fails.
func Need(t testing.TB) *Cluster {
	t.Helper()
	once.Do(func() { started, startErr = Start() })
	if startErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and PostgreSQL cannot be started: %v", startErr)
		}
		t.Skipf("PostgreSQL tests skipped: %v (install postgresql, or put initdb and pg_ctl on PATH)", startErr)
	}
	return started
}

// findBin finds the directory of initdb, pg_ctl and postgres.
func findBin() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		return filepath.Dir(p), nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "pg_ctl")); err == nil {
			return dirs[i], nil
		}
	}
	return "", errors.New("no PostgreSQL server binary (pg_ctl) on PATH or in /usr/lib/postgresql/*/bin")
}

// Start runs initdb and starts the server.
func Start() (*Cluster, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(os.Getenv("CUSTDESK_PGTEST_ROOT"), "cdpg")
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: dir, bin: bin, Socket: filepath.Join(dir, "sock")}
	if err := c.prepare(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if out, err := c.run("initdb", "-D", c.data(), "-U", "custdesk_admin", "--auth=trust", "-E", "UTF8",
		"--locale=C.UTF-8", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	if err := c.Restart(false); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := c.note(); err != nil {
		c.Stop()
		return nil, err
	}
	return c, nil
}

// note appends this cluster to CUSTDESK_PGTEST_RAN, if set.
func (c *Cluster) note() error {
	ran := os.Getenv("CUSTDESK_PGTEST_RAN")
	if ran == "" {
		return nil
	}
	f, err := os.OpenFile(ran, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	out, _ := c.run("postgres", "--version")
	_, err = fmt.Fprintf(f, "%s %s %s\n", filepath.Base(os.Args[0]), c.Dir, strings.TrimSpace(string(out)))
	return errors.Join(err, f.Close())
}

// prepare makes the directories, owned by the server's user when root runs
// the tests (PostgreSQL refuses to run as root).
func (c *Cluster) prepare() error {
	if err := os.Mkdir(c.Socket, 0o777); err != nil {
		return err
	}
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("running as root and there is no postgres user to run the server as: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	for _, p := range []string{c.Dir, c.Socket} {
		if err := os.Chown(p, uid, gid); err != nil {
			return err
		}
	}
	return os.Chmod(c.Dir, 0o755)
}

func (c *Cluster) data() string { return filepath.Join(c.Dir, "data") }

func (c *Cluster) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	return cmd.CombinedOutput()
}

// URL is a connection URL for the admin role (trust authentication over the
// private socket) to the database db.
func (c *Cluster) URL(db string) string {
	return "postgres://custdesk_admin@/" + db + "?host=" + c.Socket + "&port=5432"
}

// Restart starts the server; with stop it first stops it at once, as a
// crash would (immediate mode: no checkpoint, recovery on start).
func (c *Cluster) Restart(stop bool) error {
	if stop {
		if out, err := c.run("pg_ctl", "stop", "-D", c.data(), "-m", "immediate", "-w"); err != nil {
			return fmt.Errorf("pg_ctl stop: %v\n%s", err, out)
		}
	}
	opts := strings.Join([]string{"-k", c.Socket, "-c", "listen_addresses=", "-p", "5432",
		"-c", "fsync=off", "-c", "max_connections=200", "-c", "shared_buffers=64MB"}, " ")
	out, err := c.run("pg_ctl", "start", "-D", c.data(), "-w", "-t", "60", "-l", filepath.Join(c.Dir, "log"), "-o", opts)
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(c.Dir, "log"))
		return fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	return nil
}

// StopFor stops the server, waits d, and starts it again: the central store
// unreachable for a while.
func (c *Cluster) StopFor(d time.Duration) error {
	if out, err := c.run("pg_ctl", "stop", "-D", c.data(), "-m", "immediate", "-w"); err != nil {
		return fmt.Errorf("pg_ctl stop: %v\n%s", err, out)
	}
	time.Sleep(d)
	return c.Restart(false)
}

// Stop stops the server and removes its directory.
func (c *Cluster) Stop() error {
	out, err := c.run("pg_ctl", "stop", "-D", c.data(), "-m", "fast", "-w")
	os.RemoveAll(c.Dir)
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %v\n%s", err, out)
	}
	return nil
}

// NewDB creates an empty database for one test and returns its URL.
func NewDB(t testing.TB) string {
	t.Helper()
	c := Need(t)
	name := fmt.Sprintf("t%d_%d", time.Now().UnixNano(), os.Getpid())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return c.URL(name)
}
