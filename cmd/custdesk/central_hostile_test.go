package main

import (
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgproto3"
)

// hostilePostgres answers every connection's start-up with an error whose
// message carries terminal escapes, as a hostile or broken server may.
func hostilePostgres(t *testing.T, message string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				be := pgproto3.NewBackend(c, c)
				if _, err := be.ReceiveStartupMessage(); err != nil {
					return
				}
				be.Send(&pgproto3.ErrorResponse{Severity: "FATAL", Code: "28000", Message: message})
				_ = be.Flush()
			}()
		}
	}()
	return "postgres://custdesk@" + ln.Addr().String() + "/chain?sslmode=disable&connect_timeout=2"
}

// config check quotes the central server's answer: it reaches the terminal
// sanitised, whatever the server sends.
func TestConfigCheckSanitisesTheCentralServer(t *testing.T) {
	dir := isolate(t)
	t.Setenv("CUSTDESK_CENTRAL_URL", hostilePostgres(t, "no \x1b]52;c;cHduZWQ=\x07 entry\x1b[2J"))
	cfg := filepath.Join(dir, "config.toml")
	writeTerminalConfig(t, cfg, sandboxConfig(t, "http://127.0.0.1:1"), "store-012/pos-1")
	r := runCLI(t, "", "config", "check", cfg)
	out := r.stdout + r.stderr
	if !strings.Contains(out, "central unreachable") || !strings.Contains(out, "entry") {
		t.Fatalf("the server's answer is not reported (exit %d):\n%s", r.code, out)
	}
	for _, raw := range []string{"\x07", "\x1b]52;", "\x1b[2J"} {
		if strings.Contains(out, raw) {
			t.Fatalf("%q from the central server reached the terminal:\n%q", raw, out)
		}
	}
}
