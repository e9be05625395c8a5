//go:build !race

package mixer

const raceEnabled = false
