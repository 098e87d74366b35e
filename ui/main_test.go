package ui

import (
	"testing"

	"github.com/custdesk/custdesk/internal/central/pgtest"
)

// The chain view's tests need PostgreSQL: the private cluster starts at the
// first test that asks for it, and stops after the package's tests.
func TestMain(m *testing.M) { pgtest.Main(m) }
