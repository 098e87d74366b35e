package config

import _ "embed"

// Example is config.toml.example: `custdesk config init` writes it, and a test
// keeps the copy at the repository root identical.
//
//go:embed config.toml.example
var Example []byte
