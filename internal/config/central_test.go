package config

import (
	"slices"
	"strings"
	"testing"
)

const centralTOML = `
[central]
url = "env:CUSTDESK_TEST_CENTRAL_URL"
terminal = "store-012/pos-1"

[platforms.alsc]
gateway = "http://127.0.0.1:1/router/rest"
app_key = "k-123"
app_secret = "s3cret-for-tests"
`

func TestCentralURLIsASecretFromTheEnvironment(t *testing.T) {
	t.Setenv("CUSTDESK_TEST_CENTRAL_URL", "postgres://pos:pa55word@db.example/chain")
	l, err := Parse([]byte(centralTOML))
	if err != nil {
		t.Fatal(err)
	}
	if !l.CentralOn() || l.Central.Terminal != "store-012/pos-1" || !strings.HasPrefix(l.Central.URL, "postgres://") {
		t.Fatalf("central %+v", l.Central)
	}
	if !slices.Contains(l.Secrets(), "postgres://pos:pa55word@db.example/chain") || !slices.Contains(l.Secrets(), "pa55word") {
		t.Error("the URL or its password is not masked as a secret")
	}
	if l.AppKey("alsc") != "k-123" || l.AppKey("youzan") != "" {
		t.Errorf("app keys %q %q", l.AppKey("alsc"), l.AppKey("youzan"))
	}
}

func TestCentralNeedsATerminal(t *testing.T) {
	t.Setenv("CUSTDESK_TEST_CENTRAL_URL", "postgres://x@/y")
	_, err := Parse([]byte(strings.Replace(centralTOML, `terminal = "store-012/pos-1"`, "", 1)))
	if err == nil || !strings.Contains(err.Error(), "central.terminal") {
		t.Fatalf("got %v", err)
	}
}

func TestNoCentralChangesNothing(t *testing.T) {
	l, err := Parse([]byte(centralTOML[strings.Index(centralTOML, "[platforms"):]))
	if err != nil {
		t.Fatal(err)
	}
	if l.CentralOn() {
		t.Fatalf("central on without [central]: %+v", l.Central)
	}
}
