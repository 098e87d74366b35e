package platformtest

import (
	"strings"
	"testing"

	"github.com/custdesk/custdesk/platforms"
	"github.com/custdesk/custdesk/platforms/sandbox"
)

// StartSandbox serves the demo sandbox on a loopback port for the test's
// lifetime: the real clients' round trips run against it.
func StartSandbox(t testing.TB) *sandbox.Running {
	t.Helper()
	srv, err := sandbox.Start(sandbox.Demo(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// Expect checks an exchange's outcome, code and a part of its message, and
// shows the raw answer when they differ.
func Expect(t testing.TB, ex platforms.Exchange, outcome platforms.Outcome, code, inMessage string) {
	t.Helper()
	r := ex.Result
	if r.Outcome != outcome || r.Code != code || !strings.Contains(r.Message, inMessage) {
		t.Errorf("result = %+v\nwant outcome %s, code %q, message containing %q\nresponse: %s (error %q)",
			r, outcome, code, inMessage, ex.Response, ex.Error)
	}
}

// NoSecret fails when a secret shows anywhere an exchange keeps: the request
// as recorded (URL, headers, body, signed string), the answer, the error.
func NoSecret(t testing.TB, ex platforms.Exchange, secrets ...string) {
	t.Helper()
	var kept strings.Builder
	kept.WriteString(ex.Request.URL + "\n" + string(ex.Request.Body) + "\n" + ex.Request.Signed + "\n" + string(ex.Response) + "\n" + ex.Error)
	for k, v := range ex.Request.Headers {
		kept.WriteString("\n" + k + ": " + v)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(kept.String(), s) {
			t.Errorf("the exchange shows a secret: %+v", ex.Request)
		}
	}
}
