//go:build !race

package app_test

// raceEnabled shortens the benchmarks' campaigns under the race detector.
const raceEnabled = false
