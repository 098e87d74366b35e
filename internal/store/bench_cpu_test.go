package store

import (
	"time"

	"github.com/custdesk/custdesk/internal/cputime"
)

// processCPU is this process's CPU time; 0 where it is not measured.
func processCPU() time.Duration {
	d, _ := cputime.Process()
	return d
}
