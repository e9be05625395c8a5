//go:build race

package mixer

// raceEnabled: the race detector allocates, so allocation checks are skipped.
const raceEnabled = true
