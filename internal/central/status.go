package central

import (
	"fmt"
	"strings"
	"time"
)

// Status is what the status bar shows of replication.
type Status struct {
	Checked   time.Time // zero: no round has run yet
	Reachable bool
	Since     time.Time // unreachable since
	Behind    int       // local changes not yet committed centrally
	Err       string    // the last failure, for logs and config check
	Schema    bool      // the server answers, its schema needs 'custdesk central init'
}

// String is the status bar's text: "central: synced", "central: 12
// behind", "central: unreachable since 14:02".
func (s Status) String() string {
	switch {
	case s.Checked.IsZero():
		return "central: connecting"
	case !s.Reachable && !s.Since.IsZero():
		return fmt.Sprintf("central: unreachable since %s", s.Since.Local().Format("15:04"))
	case s.Schema:
		return fmt.Sprintf("central: %d behind, schema needs 'custdesk central init'", s.Behind)
	case s.Err != "":
		return "central: error, " + strings.TrimPrefix(s.Err, "central: ")
	case s.Behind == 0:
		return "central: synced"
	}
	return fmt.Sprintf("central: %d behind", s.Behind)
}
