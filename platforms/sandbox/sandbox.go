// Package sandbox serves loopback simulators of the three platform APIs, in their
// documented envelopes and codes, for demos with no network and for tests of the
// real clients. It checks what each platform checks (keys, signatures, timestamps,
// arguments) and can inject latency, errors, malformed bodies and dropped
// connections.
package sandbox

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Demo credentials: what `custdesk sandbox --write-config` writes and what the
// in-process sandbox accepts. They protect nothing; they exist so the real
// signing code runs in demos.
const (
	DemoALSCAppKey       = "sandbox-alsc-key"
	DemoALSCAppSecret    = "sandbox-alsc-secret"
	DemoYouzanAppID      = "sandbox-youzan-app"
	DemoYouzanToken      = "Bearer sandbox-youzan-token"
	DemoNXLinkAccessKey  = "sandbox-nxlink-ak"
	DemoNXLinkSecret     = "sandbox-nxlink-secret"
	DemoNXLinkAppKey     = "sandbox-app"
	DemoNXLinkTenantID   = 123
	DemoNXLinkSeatUser   = "agent@example.com"
	DemoYouzanRootKdtID  = 10001
	DemoALSCShopID       = "2019093647836487563"
	DemoYouzanOutStoreID = "store-1"
)

// Fault kinds.
const (
	FaultError     = "error"     // a retryable error in the platform's own envelope
	Fault5xx       = "5xx"       // HTTP 503 with an HTML page
	FaultMalformed = "malformed" // HTTP 200 with a truncated JSON body
	FaultDrop      = "drop"      // the connection is closed without an answer
)

// AllFaults lists every fault kind.
var AllFaults = []string{FaultError, Fault5xx, FaultMalformed, FaultDrop}

// Faults says what to inject.
type Faults struct {
	Latency time.Duration // added to every answer
	Rate    float64       // probability (0..1) that a request gets a fault
	Kinds   []string      // which kinds to draw from; empty means all
	Limit   int           // stop injecting after this many faults; 0 means no limit
}

// Config is the sandbox's view of the world: the credentials it accepts, the
// seat users NXLink knows, and the faults to inject.
type Config struct {
	ALSCAppKey, ALSCAppSecret string
	YouzanAppID               string
	// YouzanHeaders must all be present with these values (e.g. Authorization).
	YouzanHeaders                               map[string]string
	NXLinkAccessKey, NXLinkSecret, NXLinkAppKey string
	NXLinkTenantID                              int64
	NXLinkSeatUsers                             []string
	Faults                                      Faults
	Now                                         func() time.Time // nil: time.Now
}

// Demo is the configuration the built-in sandbox runs with.
func Demo() Config {
	return Config{
		ALSCAppKey: DemoALSCAppKey, ALSCAppSecret: DemoALSCAppSecret,
		YouzanAppID:     DemoYouzanAppID,
		YouzanHeaders:   map[string]string{"Authorization": DemoYouzanToken},
		NXLinkAccessKey: DemoNXLinkAccessKey, NXLinkSecret: DemoNXLinkSecret, NXLinkAppKey: DemoNXLinkAppKey,
		NXLinkTenantID:  DemoNXLinkTenantID,
		NXLinkSeatUsers: []string{DemoNXLinkSeatUser},
	}
}

// Paths of the three simulated APIs.
const (
	PathALSC   = "/router/rest"
	PathYouzan = "/MemberCreateExtension"
	PathNXLink = "/saas/cdp/openapi/customers/batch_create"
)

// simulator is one platform's API. Each lives in its own file and registers
// itself, so the platforms stay independent of one another.
type simulator interface {
	http.Handler
	// RetryableError answers with one of the platform's retryable errors.
	RetryableError(w http.ResponseWriter, r *http.Request)
	// AnswerCreated answers as the platform does once it has created a
	// customer, under an ID no customer has, and creates nothing: the
	// malformed fault cuts it short.
	AnswerCreated(w http.ResponseWriter, r *http.Request)
}

type simFactory struct {
	API
	make func(s *Server) simulator
}

// API is one simulated endpoint, for telling people where the sandbox listens.
type API struct {
	Title   string
	Path    string
	Methods []string
}

var factories []simFactory

// register adds a simulator at path, answering the given HTTP methods (POST
// when none is given).
func register(title, path string, make func(s *Server) simulator, methods ...string) {
	if len(methods) == 0 {
		methods = []string{http.MethodPost}
	}
	factories = append(factories, simFactory{API{title, path, methods}, make})
}

// APIs lists the simulated endpoints, in the order the platforms are offered.
func APIs() []API {
	order := map[string]int{PathALSC: 0, PathYouzan: 1, PathNXLink: 2}
	out := make([]API, len(factories))
	for _, f := range factories {
		out[order[f.Path]] = f.API
	}
	return out
}

// Server is the sandbox as an http.Handler.
type Server struct {
	cfg  Config
	mux  *http.ServeMux
	sims map[string]simulator

	mu       sync.Mutex
	faults   Faults
	injected int
	rng      *rand.Rand

	nextID   atomic.Uint64
	requests sync.Map // path -> *atomic.Int64
	created  sync.Map // path -> *atomic.Int64
	byMobile mobileCounts
}

// New builds a sandbox server.
func New(cfg Config) *Server {
	s := &Server{cfg: cfg, mux: http.NewServeMux(), sims: map[string]simulator{}, faults: cfg.Faults,
		rng: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x5eed))}
	// IDs above 2^53, like NXLink's, so float64 decoding anywhere shows up in
	// tests; seeded from the clock so that sandboxes started one after another
	// (each demo run starts one) never hand out the same customer ID twice.
	s.nextID.Store(uint64(time.Now().UnixNano()))
	for _, f := range factories {
		sim := f.make(s)
		s.sims[f.Path] = sim
		for _, m := range f.Methods {
			s.mux.Handle(m+" "+f.Path, s.withFaults(f.Path, sim))
		}
	}
	return s
}

// Config returns the configuration the server checks against.
func (s *Server) Config() Config { return s.cfg }

// SetFaults replaces the faults to inject, resetting the injected count.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults, s.injected = f, 0
}

// Requests is how many requests reached path (faulted ones included).
func (s *Server) Requests(path string) int64 { return counter(&s.requests, path).Load() }

// Created is how many customers the simulator at path has created (replays of
// an idempotent request are not counted again).
func (s *Server) Created(path string) int64 { return counter(&s.created, path).Load() }

func (s *Server) countCreated(path string, n int) { counter(&s.created, path).Add(int64(n)) }

func counter(m *sync.Map, path string) *atomic.Int64 {
	v, _ := m.LoadOrStore(path, new(atomic.Int64))
	return v.(*atomic.Int64)
}

func (s *Server) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// newID returns a fresh customer ID as decimal text.
func (s *Server) newID() string { return strconv.FormatUint(s.newCustomerID(), 10) }

// newCustomerID returns a fresh customer ID, for simulators that remember it:
// 8 bytes where its text takes 16 and more.
func (s *Server) newCustomerID() uint64 { return s.nextID.Add(1) }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// pickFault decides whether this request gets a fault, and which.
func (s *Server) pickFault() (latency time.Duration, kind string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults
	if f.Rate <= 0 || (f.Limit > 0 && s.injected >= f.Limit) || s.rng.Float64() >= f.Rate {
		return f.Latency, ""
	}
	kinds := f.Kinds
	if len(kinds) == 0 {
		kinds = AllFaults
	}
	s.injected++
	return f.Latency, kinds[s.rng.IntN(len(kinds))]
}

func (s *Server) withFaults(path string, sim simulator) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		counter(&s.requests, path).Add(1)
		latency, kind := s.pickFault()
		if latency > 0 {
			select {
			case <-time.After(latency):
			case <-r.Context().Done():
				return
			}
		}
		switch kind {
		case FaultError:
			sim.RetryableError(w, r)
		case Fault5xx:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>"))
		case FaultMalformed:
			cut := &cutAnswer{w: w}
			sim.AnswerCreated(cut, r)
			cut.send()
		case FaultDrop:
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					_ = conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		default:
			sim.ServeHTTP(w, r)
		}
	})
}

// cutAnswer sends the first half of a simulator's answer: the platform's own
// answer, in its own shape and content type, cut off on the way as a proxy
// or a dropped connection leaves it.
type cutAnswer struct {
	w      http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (c *cutAnswer) Header() http.Header         { return c.w.Header() }
func (c *cutAnswer) WriteHeader(status int)      { c.status = status }
func (c *cutAnswer) Write(p []byte) (int, error) { return c.body.Write(p) }
func (c *cutAnswer) send() {
	c.w.Header().Del("Content-Length")
	if c.status != 0 {
		c.w.WriteHeader(c.status)
	}
	b := c.body.Bytes()
	_, _ = c.w.Write(b[:len(b)/2])
}

// Running is a sandbox listening on a loopback port.
type Running struct {
	*Server
	URL      string // e.g. http://127.0.0.1:41234
	listener net.Listener
	http     *http.Server
}

// Start listens on addr ("" means 127.0.0.1:0) and serves until Close.
func Start(cfg Config, addr string) (*Running, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := New(cfg)
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	rs := &Running{Server: s, URL: "http://" + l.Addr().String(), listener: l, http: hs}
	go func() {
		if err := hs.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the listener was closed under us; Close reports nothing more useful
		}
	}()
	return rs, nil
}

// Close stops the server and drops open connections.
func (r *Running) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := r.http.Shutdown(ctx); err != nil {
		return r.http.Close()
	}
	return nil
}
