//go:build !unix

package store

import (
	"testing"
	"time"
)

// processCPU is not measured here; BenchmarkApplyImport's cpu-µs/send reads 0.
func processCPU(testing.TB) time.Duration { return 0 }
