package platforms

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// Over a real TLS connection on loopback each step is timed: connect, TLS,
// the platform's wait (the handler sleeps) and the body (it trickles); the
// second exchange reuses the connection, so it has no connect or TLS.
func TestPhasesAreTimed(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		w.Write([]byte(`{"ok":`))
		w.(http.Flusher).Flush()
		time.Sleep(20 * time.Millisecond)
		w.Write([]byte(`true}`))
	}))
	t.Cleanup(srv.Close)
	caller := Caller{Client: srv.Client()}
	host := srv.URL // an address: no DNS step, only loopback
	ex := send(t, host, caller)
	if ex.Result.Outcome != OK {
		t.Fatalf("%+v", ex.Result)
	}
	p := ex.Phases
	if p.Connect <= 0 || p.TLS <= 0 || p.Wait < 15*time.Millisecond || p.Body < 15*time.Millisecond || p.Reused {
		t.Errorf("first exchange: %+v", p)
	}
	if sum := p.DNS + p.Connect + p.TLS + p.Wait + p.Body; sum > ex.Duration {
		t.Errorf("the phases (%v) add up to more than the exchange (%v)", sum, ex.Duration)
	}
	again := send(t, host, caller).Phases
	if !again.Reused || again.Connect != 0 || again.TLS != 0 || again.Wait <= 0 {
		t.Errorf("second exchange: %+v", again)
	}
}
