package platforms

import (
	"fmt"
	"time"
)

// Section is one platform's [platforms.NAME] section of the configuration
// file, defined by the platform's own package (its TOML keys are that
// package's business), so the code that reads the file names no platform.
type Section interface {
	// Settings calls visit with each string setting that may be written
	// env:NAME, by its key within the section ("app_secret",
	// "headers.Authorization"); secret marks the values to keep out of
	// history, logs and screen. visit may replace the value.
	Settings(visit func(key string, value *string, secret bool))
	// URLs are the section's endpoint URLs as written, so that a password in
	// one is masked wherever an answer echoes it.
	URLs() []string
	// Build checks the section and makes the platform's client.
	Build() (Platform, error)
}

// Duration is a time.Duration written as "10s" in a configuration file.
type Duration struct{ time.Duration }

func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("not a duration (like 10s or 1m30s): %q", b)
	}
	if v < 0 {
		return fmt.Errorf("negative duration %q", b)
	}
	d.Duration = v
	return nil
}

func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// IsZero lets omitempty drop unset timeouts.
func (d Duration) IsZero() bool { return d.Duration == 0 }
