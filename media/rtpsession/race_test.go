//go:build race

package rtpsession

// raceEnabled: the race detector allocates, so allocation checks are skipped.
const raceEnabled = true
