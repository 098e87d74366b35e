package nxlink

import (
	"testing"

	"github.com/custdesk/custdesk/platforms/internal/platformtest"
)

// Answers from NXLink's documents, kept verbatim in testdata/answers with the
// verdict each must give beside it.
func TestParseRealAnswers(t *testing.T) {
	platformtest.GoldenAnswers(t, "testdata/answers", Parse, *update)
}
