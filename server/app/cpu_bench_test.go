package app_test

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// cpuSample is how much CPU this process and the whole machine had used
// at a moment, read from /proc (Linux); ok is false elsewhere. The
// benchmarks share the machine with whatever else runs on it, and their
// latencies mean little without knowing how busy it was.
type cpuSample struct {
	at                time.Time
	self, busy, steal float64 // seconds
	ok                bool
}

// userHZ is the unit of /proc's CPU times (USER_HZ, 100 on Linux).
const userHZ = 100

func readCPU() cpuSample {
	s := cpuSample{at: time.Now()}
	self, err1 := os.ReadFile("/proc/self/stat")
	all, err2 := os.ReadFile("/proc/stat")
	if err1 != nil || err2 != nil {
		return s
	}
	// /proc/self/stat: "pid (comm) state …", utime and stime are the
	// 14th and 15th fields; comm may contain spaces.
	f := strings.Fields(string(self[strings.LastIndexByte(string(self), ')')+1:]))
	line, _, _ := strings.Cut(string(all), "\n")
	g := strings.Fields(line) // "cpu user nice system idle iowait irq softirq steal …"
	if len(f) < 13 || len(g) < 9 || g[0] != "cpu" {
		return s
	}
	s.self = (num(f[11]) + num(f[12])) / userHZ
	s.busy = (num(g[1]) + num(g[2]) + num(g[3]) + num(g[6]) + num(g[7])) / userHZ
	s.steal = num(g[8]) / userHZ
	s.ok = true
	return s
}

func num(s string) float64 {
	n, _ := strconv.ParseFloat(s, 64)
	return n
}

// cpuUse is the CPU used between two samples, in cores.
type cpuUse struct {
	self, others, steal float64 // cores
	selfSeconds         float64
	ok                  bool
}

func (start cpuSample) until(end cpuSample) cpuUse {
	wall := end.at.Sub(start.at).Seconds()
	if !start.ok || !end.ok || wall <= 0 {
		return cpuUse{}
	}
	self := end.self - start.self
	return cpuUse{self: self / wall, others: max(0, end.busy-start.busy-self) / wall,
		steal: (end.steal - start.steal) / wall, selfSeconds: self, ok: true}
}

// report reports the cores used by this process and by everything else.
func (u cpuUse) report(b *testing.B) string {
	if !u.ok {
		return "CPU use unknown (no /proc)"
	}
	b.ReportMetric(u.self, "cpu-cores")
	b.ReportMetric(u.others, "others-cores")
	s := fmt.Sprintf("CPU: this process %.2f cores, other processes %.2f (of %d)", u.self, u.others, runtime.NumCPU())
	if u.steal >= 0.05 {
		s += fmt.Sprintf(", stolen by the hypervisor %.2f", u.steal)
	}
	return s
}
