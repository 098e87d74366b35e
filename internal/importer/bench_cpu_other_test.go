//go:build !unix

package importer

import (
	"testing"
	"time"
)

// processCPU is not measured here; BenchmarkImport's cpu-µs/send reads 0.
func processCPU(testing.TB) time.Duration { return 0 }
