package central

import (
	"os"
	"testing"

	"github.com/custdesk/custdesk/internal/central/pgtest"
)

func TestMain(m *testing.M) {
	if os.Getenv(workerEnv) != "" {
		os.Exit(terminalWorker())
	}
	pgtest.Main(m)
}
