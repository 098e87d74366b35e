package platforms

import (
	"crypto/tls"
	"net/http/httptrace"
	"sync/atomic"
	"time"
)

// Phases are how long each step of an exchange took, from net/http/httptrace.
// A step that did not happen is zero: no DNS for an address, no connect or
// TLS on a reused connection.
type Phases struct {
	DNS     time.Duration `json:"dns,omitempty"`
	Connect time.Duration `json:"connect,omitempty"`
	TLS     time.Duration `json:"tls,omitempty"`
	// Wait is from the request written to the answer's first byte: the
	// platform's own time.
	Wait time.Duration `json:"wait,omitempty"`
	// Body is from the first byte to the whole answer read.
	Body   time.Duration `json:"body,omitempty"`
	Reused bool          `json:"reused,omitempty"`
}

// phaseClock records the steps' instants; httptrace calls it from the
// transport's goroutines, hence the atomics (nanoseconds since start). It
// holds its ClientTrace and the wrote flag, so one send allocates one clock.
type phaseClock struct {
	start                                                     time.Time
	dnsStart, dnsDone, connStart, connDone, tlsStart, tlsDone atomic.Int64
	wrote, firstByte                                          atomic.Int64
	reused                                                    atomic.Bool
	// sent reports the request written: after it, a failure may have been applied.
	sent atomic.Bool
	ct   httptrace.ClientTrace
}

// mark stores the instant; "| 1" keeps an instant at the very start from
// reading as "did not happen".
func (p *phaseClock) mark(a *atomic.Int64) { a.Store(int64(time.Since(p.start)) | 1) }

// trace hooks the clock into a request.
func (p *phaseClock) trace() *httptrace.ClientTrace {
	p.ct = httptrace.ClientTrace{
		DNSStart:          func(httptrace.DNSStartInfo) { p.mark(&p.dnsStart) },
		DNSDone:           func(httptrace.DNSDoneInfo) { p.mark(&p.dnsDone) },
		ConnectStart:      func(string, string) { p.mark(&p.connStart) },
		ConnectDone:       func(string, string, error) { p.mark(&p.connDone) },
		TLSHandshakeStart: func() { p.mark(&p.tlsStart) },
		TLSHandshakeDone:  func(tls.ConnectionState, error) { p.mark(&p.tlsDone) },
		GotConn:           func(i httptrace.GotConnInfo) { p.reused.Store(i.Reused) },
		WroteRequest: func(httptrace.WroteRequestInfo) {
			p.sent.Store(true)
			p.mark(&p.wrote)
		},
		GotFirstResponseByte: func() { p.mark(&p.firstByte) },
	}
	return &p.ct
}

func span(from, to *atomic.Int64) time.Duration {
	a, b := from.Load(), to.Load()
	if a == 0 || b == 0 || b < a {
		return 0
	}
	return time.Duration(b - a)
}

// phases are the steps measured, the whole exchange having taken total.
func (p *phaseClock) phases(total time.Duration) Phases {
	ph := Phases{DNS: span(&p.dnsStart, &p.dnsDone), Connect: span(&p.connStart, &p.connDone),
		TLS: span(&p.tlsStart, &p.tlsDone), Wait: span(&p.wrote, &p.firstByte), Reused: p.reused.Load()}
	if fb := p.firstByte.Load(); fb != 0 && total > time.Duration(fb) {
		ph.Body = total - time.Duration(fb)
	}
	return ph
}
