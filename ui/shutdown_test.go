package ui

import (
	"context"
	"io"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/custdesk/custdesk/internal/config"
	"github.com/custdesk/custdesk/internal/dispatch"
	"github.com/custdesk/custdesk/internal/store"
	"github.com/custdesk/custdesk/platforms"
)

// gatedPlatform is a real client whose first send is refused before it
// leaves, and whose second (the background retry) answers ok only when let.
type gatedPlatform struct {
	platforms.Platform
	calls   atomic.Int32
	sending chan struct{} // closed when the retry is in flight
	answer  chan struct{} // closed to let it answer
}

func (g *gatedPlatform) Send(_ context.Context, sub platforms.Submission) platforms.Exchange {
	ex := platforms.Exchange{Platform: g.Name(), RequestID: sub.RequestID, Started: time.Now()}
	if g.calls.Add(1) == 1 {
		ex.Result = platforms.Result{Outcome: platforms.Failed, Code: "CONN_REFUSED", Retryable: true}
		return ex
	}
	close(g.sending)
	<-g.answer // the answer is on its way whatever the context says
	ex.Status = 200
	ex.Result = platforms.Result{Outcome: platforms.OK, CustomerIDs: []string{"1214631327620775937"}}
	return ex
}

// The console quits while a background retry is in flight, and its answer
// arrives during the retry loop's shutdown grace, after the program has
// ended. Run must wait for it, so the store the caller then closes records
// the answer rather than leaving the send unknown.
func TestRunWaitsForAnswersDuringTheShutdownGrace(t *testing.T) {
	ps, err := config.Sandbox("http://127.0.0.1:1").Build()
	if err != nil {
		t.Fatal(err)
	}
	g := &gatedPlatform{Platform: ps[0], sending: make(chan struct{}), answer: make(chan struct{})}
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := dispatch.New(st, []platforms.Platform{g}, dispatch.Options{Backoff: func(int) time.Duration { return time.Millisecond }, Poll: 10 * time.Millisecond})
	sub, _, err := d.SendAll(context.Background(), platforms.Customer{Name: "王小二", Mobile: "13411111111"}, []string{g.Name()}, store.SourceConsole, false)
	if err != nil {
		t.Fatal(err)
	}

	ctx, quit := context.WithCancel(context.Background())
	defer quit()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, Options{Dispatcher: d, Lang: "en"},
			[]tea.ProgramOption{tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithoutSignalHandler(), tea.WithWindowSize(80, 24)},
			func() { close(g.answer) })
	}()
	select {
	case <-g.sending:
	case <-time.After(10 * time.Second):
		t.Fatal("the background retry never started")
	}
	quit()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
	}
	if err := st.Close(); err != nil { // what the console does once Run returns
		t.Fatal(err)
	}

	st, err = store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Recover(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, err := st.Get(context.Background(), sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if s := got.States[g.Name()]; s.Outcome != platforms.OK || s.Attempts != 2 {
		t.Errorf("after quitting during the grace: %+v, want ok after 2 attempts", s)
	}
}
