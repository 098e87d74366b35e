package dispatch

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/alsc"
	"github.com/custdesk/custdesk/platforms/nxlink"
	"github.com/custdesk/custdesk/platforms/sandbox"
	"github.com/custdesk/custdesk/platforms/youzan"
)

// alscSession is a session token configured for ALSC so the secret test also
// covers a credential that travels in the body.
const alscSession = "sandbox-alsc-session-token"

// secrets are every configured credential; none may reach the database.
var secrets = []string{sandbox.DemoALSCAppSecret, alscSession, sandbox.DemoYouzanToken,
	strings.TrimPrefix(sandbox.DemoYouzanToken, "Bearer "), sandbox.DemoNXLinkSecret}

// realClients are the three platform clients pointed at base (a sandbox URL).
func realClients(t testing.TB, base string, timeout time.Duration) []platforms.Platform {
	t.Helper()
	a, err := alsc.New(alsc.Config{Gateway: base + sandbox.PathALSC, AppKey: sandbox.DemoALSCAppKey,
		AppSecret: sandbox.DemoALSCAppSecret, Session: alscSession, ShopID: sandbox.DemoALSCShopID, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	y, err := youzan.New(youzan.Config{BaseURL: base + "/", AppID: sandbox.DemoYouzanAppID, RootKdtID: sandbox.DemoYouzanRootKdtID,
		OutStoreID: sandbox.DemoYouzanOutStoreID, Headers: map[string]string{"Authorization": sandbox.DemoYouzanToken}, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	cfg := nxlink.DefaultConfig()
	cfg.BaseURL, cfg.AccessKey, cfg.AccessSecret = base, sandbox.DemoNXLinkAccessKey, sandbox.DemoNXLinkSecret
	cfg.TenantID, cfg.AppKey, cfg.Timeout = sandbox.DemoNXLinkTenantID, sandbox.DemoNXLinkAppKey, timeout
	n, err := nxlink.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return []platforms.Platform{a, y, n}
}

var allPlatforms = []string{"alsc", "youzan", "nxlink"}

func customer(i int) platforms.Customer {
	return platforms.Customer{Name: fmt.Sprintf("王小%d", i), Mobile: fmt.Sprintf("134%08d", i), Gender: platforms.GenderMale}
}

func startSandbox(t testing.TB, addr string) *sandbox.Running {
	t.Helper()
	srv, err := sandbox.Start(sandbox.Demo(), addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// The sandbox is down while three customers are entered; it comes back on
// the same address; all three reach ok on every platform with no action.
func TestOfflineQueueDeliversWhenPlatformsReturn(t *testing.T) {
	ctx := context.Background()
	srv := startSandbox(t, "")
	addr := strings.TrimPrefix(srv.URL, "http://")
	srv.Close()

	st := openStore(t, t.TempDir())
	d := New(st, realClients(t, srv.URL, 2*time.Second), Options{Backoff: func(int) time.Duration { return 50 * time.Millisecond }, Poll: 20 * time.Millisecond})
	var ids []int64
	for i := range 3 {
		sub, exs, err := d.SendAll(ctx, customer(i), allPlatforms, store.SourceConsole, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range exs {
			if ex.Result.Outcome != platforms.Failed || ex.Result.Code != "CONN_REFUSED" {
				t.Fatalf("%s while down: %+v", ex.Platform, ex.Result)
			}
		}
		ids = append(ids, sub.ID)
	}
	if n, _ := d.Queued(ctx); n != 9 {
		t.Fatalf("queued while offline = %d, want 9", n)
	}

	back := startSandbox(t, addr)
	runUntil(t, d, nil, func() bool {
		n, err := st.Count(ctx, store.Query{Outcome: platforms.OK})
		if err != nil {
			t.Fatal(err)
		}
		q, _ := d.Queued(ctx)
		return n == 3 && q == 0 && allOK(t, st, ids)
	})
	for _, path := range []string{sandbox.PathALSC, sandbox.PathYouzan, sandbox.PathNXLink} {
		if c := back.Created(path); c != 3 {
			t.Errorf("%s created %d customers, want 3", path, c)
		}
	}
}

func allOK(t *testing.T, st *store.Store, ids []int64) bool {
	for _, id := range ids {
		sub, err := st.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if sub.Outcome() != platforms.OK {
			return false
		}
	}
	return true
}

// No configured secret reaches the database file or its WAL, whatever the
// exchange: success, platform refusal, injected faults.
func TestSecretsNeverReachTheDatabase(t *testing.T) {
	ctx := context.Background()
	srv := startSandbox(t, "")
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := New(st, realClients(t, srv.URL, 2*time.Second), Options{Backoff: fastBackoff, MaxAttempts: 1})
	for i := range 4 {
		if _, _, err := d.SendAll(ctx, customer(i), allPlatforms, store.SourceSubmit, false); err != nil {
			t.Fatal(err)
		}
	}
	srv.SetFaults(sandbox.Faults{Rate: 1})
	for i := 4; i < 12; i++ {
		if _, _, err := d.SendAll(ctx, customer(i), allPlatforms, store.SourceSubmit, false); err != nil {
			t.Fatal(err)
		}
	}
	srv.SetFaults(sandbox.Faults{})
	// A refusal: no mobile for ALSC's outer_id and no contact for NXLink.
	if _, _, err := d.SendAll(ctx, platforms.Customer{Name: "x"}, allPlatforms, store.SourceSubmit, false); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveDraft(ctx, store.Draft{Customer: customer(99)}); err != nil {
		t.Fatal(err)
	}
	var stored bytes.Buffer
	if err := st.Export(&stored, store.Query{}, "jsonl"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stored.String(), "******") {
		t.Fatal("no masked value in the export: the test is not looking at signed requests")
	}
	assertNoSecrets(t, dir, "while open")
	st.Close()
	assertNoSecrets(t, dir, "after close")
}

func assertNoSecrets(t *testing.T, dir, when string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, store.FileName+"*"))
	if len(files) == 0 {
		t.Fatal("no database files")
	}
	var all []byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
		for _, sec := range secrets {
			if bytes.Contains(b, []byte(sec)) {
				t.Errorf("%s: %s contains the secret %q", when, filepath.Base(f), sec)
			}
		}
	}
	// The app key is not secret and travels beside the secrets: finding it
	// proves the requests are in these bytes in clear, so the grep can fail.
	if !bytes.Contains(all, []byte(sandbox.DemoALSCAppKey)) || !bytes.Contains(all, []byte(sandbox.DemoNXLinkAccessKey)) {
		t.Fatalf("%s: the stored requests are not readable in the file bytes", when)
	}
}

// Retries through injected faults against the real clients end with every
// customer created exactly once on the idempotent platforms.
func TestFaultsRetriedToOKExactlyOnce(t *testing.T) {
	ctx := context.Background()
	srv := startSandbox(t, "")
	srv.SetFaults(sandbox.Faults{Rate: 0.5, Kinds: []string{sandbox.FaultError, sandbox.Fault5xx, sandbox.FaultMalformed, sandbox.FaultDrop}})
	st := openStore(t, t.TempDir())
	d := New(st, realClients(t, srv.URL, 2*time.Second), Options{Backoff: fastBackoff, Poll: 10 * time.Millisecond})
	const n = 12
	for i := range n {
		if _, _, err := d.SendAll(ctx, customer(i), []string{"alsc", "nxlink"}, store.SourceImport, false); err != nil {
			t.Fatal(err)
		}
	}
	runUntil(t, d, nil, func() bool {
		c, _ := st.Count(ctx, store.Query{Outcome: platforms.OK, Platform: "alsc"})
		c2, _ := st.Count(ctx, store.Query{Outcome: platforms.OK, Platform: "nxlink"})
		return c == n && c2 == n
	})
	if c := srv.Created(sandbox.PathALSC); c != n {
		t.Errorf("ALSC created %d, want %d", c, n)
	}
	if c := srv.Created(sandbox.PathNXLink); c != n {
		t.Errorf("NXLink created %d, want %d", c, n)
	}
	if r := srv.Requests(sandbox.PathALSC); r <= n {
		t.Logf("ALSC saw %d requests: no fault was injected", r)
	}
}
