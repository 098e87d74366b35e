//go:build !race

package central

const raceEnabled = false
