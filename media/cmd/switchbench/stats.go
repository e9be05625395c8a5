package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/switchboard-pbx/switchboard/media/switchtest"
)

// Figures are the switch process's runtime figures at one moment.
type Figures struct {
	Time          time.Time `json:"time"`
	AfterGC       bool      `json:"after_gc"` // a GC ran just before: heap figures are live data
	HeapInuse     uint64    `json:"heap_inuse"`
	HeapAlloc     uint64    `json:"heap_alloc"`
	StackInuse    uint64    `json:"stack_inuse"`
	GoSys         uint64    `json:"go_sys"` // everything the Go runtime got from the OS
	NumGC         uint32    `json:"num_gc"`
	GCPauseTotal  float64   `json:"gc_pause_total_s"`
	RSS           uint64    `json:"rss"` // VmRSS from /proc/self/status, bytes
	RSSAnon       uint64    `json:"rss_anon"`
	Goroutines    int       `json:"goroutines"`
	FDs           int       `json:"fds"`
	Legs          int       `json:"legs"`
	Calls         int       `json:"calls"`
	Registrations int       `json:"registrations"`
	RTPPairsFree  int       `json:"rtp_pairs_free"`
	SIPWaitMS     float64   `json:"sip_wait_ms"`                // smoothed time a SIP datagram waited in the socket
	Refused       uint64    `json:"overload_refused"`           // new calls refused with 503
	RefusedRegs   uint64    `json:"overload_refused_registers"` // REGISTERs refused with 503
	CPUUser       float64   `json:"cpu_user_s"`                 // process CPU time since start
	CPUSys        float64   `json:"cpu_sys_s"`
}

// collect reads the figures of this process and of sw. With gc it runs a
// garbage collection first, so that the heap figures are live data only.
func collect(sw *switchtest.Switch, gc bool) Figures {
	if gc {
		runtime.GC()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	f := Figures{Time: time.Now(), AfterGC: gc, HeapInuse: ms.HeapInuse, HeapAlloc: ms.HeapAlloc,
		StackInuse: ms.StackInuse, GoSys: ms.Sys, NumGC: ms.NumGC,
		GCPauseTotal: float64(ms.PauseTotalNs) / 1e9, Goroutines: runtime.NumGoroutine()}
	if st, err := os.ReadFile("/proc/self/status"); err == nil {
		f.RSS, f.RSSAnon = statusKB(st, "VmRSS:"), statusKB(st, "RssAnon:")
	}
	if ents, err := os.ReadDir("/proc/self/fd"); err == nil {
		f.FDs = len(ents)
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		f.CPUUser = tvSeconds(ru.Utime)
		f.CPUSys = tvSeconds(ru.Stime)
	}
	if sw != nil {
		legs := sw.UA().Legs()
		calls := make(map[string]struct{}, len(legs)/2+1)
		for _, l := range legs {
			calls[l.CallID] = struct{}{}
		}
		f.Legs, f.Calls = len(legs), len(calls)
		f.Registrations = len(sw.UA().Registrations())
		f.RTPPairsFree = sw.Ports().Free()
		load := sw.UA().Overload()
		f.SIPWaitMS, f.Refused, f.RefusedRegs = float64(load.Wait)/float64(time.Millisecond), load.Refused, load.RefusedRegisters
	}
	return f
}

// machineCPU returns the CPU time all cores spent busy and in total, in
// clock ticks, from /proc/stat.
func machineCPU() (busy, total uint64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	fields := strings.Fields(line)
	for i, f := range fields[1:] {
		n, _ := strconv.ParseUint(f, 10, 64)
		total += n
		if i != 3 && i != 4 { // idle, iowait
			busy += n
		}
	}
	return busy, total
}

// machineBusyPct is the share of the machine's cores busy between two
// machineCPU readings, in percent of one core.
func machineBusyPct(b0, t0, b1, t1 uint64) float64 {
	if t1 <= t0 {
		return 0
	}
	return 100 * float64(runtime.NumCPU()) * float64(b1-b0) / float64(t1-t0)
}

func tvSeconds(tv syscall.Timeval) float64 { return float64(tv.Sec) + float64(tv.Usec)/1e6 }

// statusKB returns a "Key:   123 kB" line of /proc/self/status in bytes.
func statusKB(status []byte, key string) uint64 {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, key) {
			continue
		}
		fields := strings.Fields(line[len(key):])
		if len(fields) == 0 {
			return 0
		}
		n, err := strconv.ParseUint(fields[0], 10, 64)
		if err != nil {
			return 0
		}
		return n * 1024
	}
	return 0
}

// writeFigures replaces path with f as one JSON object (atomically, so a
// reader never sees half a file); "-" writes a line to stdout.
func writeFigures(path string, f Figures) error {
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if path == "-" {
		_, err = os.Stdout.Write(b)
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".switchstats-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// statsHandler serves the figures as JSON; ?gc=1 collects garbage first.
func statsHandler(sw *switchtest.Switch) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := collect(sw, r.URL.Query().Get("gc") == "1")
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(f)
	})
}

// fetchFigures gets a switch's figures from its stats URL.
func fetchFigures(client *http.Client, url string, gc bool) (Figures, error) {
	var f Figures
	if gc {
		url += "?gc=1"
	}
	res, err := client.Get(url)
	if err != nil {
		return f, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return f, fmt.Errorf("stats %s: %s", url, res.Status)
	}
	return f, json.NewDecoder(res.Body).Decode(&f)
}
