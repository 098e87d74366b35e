package platforms

import (
	"fmt"
	"net/http"
	"strconv"
)

// noRedirects returns a copy of client (DefaultClient when nil) that never
// follows a redirect: the 3xx itself comes back as the response. A copy,
// because the caller's client (tests, the sandbox) may be shared.
func noRedirects(client *http.Client) *http.Client {
	if client == nil {
		client = DefaultClient
	}
	cp := *client
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cp
}

// redirected is the Result of a 3xx: a definite failure, and not retryable,
// since the platform applied nothing and would send the same redirect again.
// The Location is the platform's text, so it is shown quoted, control and
// invisible characters escaped.
func redirected(status int, h http.Header) Result {
	loc := h.Get("Location")
	where := "no Location"
	if loc != "" {
		where = "Location " + strconv.QuoteToGraphic(Clip(loc, 200))
	}
	return Result{Outcome: Failed, Code: "HTTP " + strconv.Itoa(status),
		Message: fmt.Sprintf("redirected (%s); not followed, nothing was sent there: check the configured URL", where)}
}
