package alsc

import (
	"testing"

	"github.com/custdesk/custdesk/platforms/internal/platformtest"
)

// Real TOP error bodies, kept verbatim in testdata/answers with the verdict
// each must give beside it.
func TestParseRealAnswers(t *testing.T) {
	platformtest.GoldenAnswers(t, "testdata/answers", Parse, *update)
}
