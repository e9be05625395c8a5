package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// SippRun is what one SIPp run did, from its -trace_stat -stf file.
type SippRun struct {
	Created    int     // calls created
	Successful int     // calls that ran to the end of the scenario
	Failed     int     // calls that failed (any reason)
	Retrans    int     // UDP retransmissions
	Dead       int     // messages for calls already over
	OutOfCall  int     // messages that matched no call
	Watchdog   int     // SIPp's own scheduling watchdog (major + minor): the tool was late
	Span       float64 // seconds from start until the last call was created
	Rate       float64 // calls created per second over Span
	RTD        float64 // mean of the first response time (scenario-defined, e.g. INVITE to 200), ms
	Elapsed    float64 // seconds the run lasted
}

// runSippStat is the "sippstat" command: it prints a SIPp run's figures
// as key=value pairs on one line, for scripts.
func runSippStat(args []string) error {
	fs := flag.NewFlagSet("sippstat", flag.ExitOnError)
	_ = fs.Parse(args)
	if fs.NArg() != 1 {
		return errors.New("usage: switchbench sippstat FILE.csv")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := parseSippStat(f)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	fmt.Printf("created=%d successful=%d failed=%d retrans=%d dead=%d outofcall=%d watchdog=%d rate=%.0f span=%.2f rtd_ms=%.1f elapsed=%.2f\n",
		r.Created, r.Successful, r.Failed, r.Retrans, r.Dead, r.OutOfCall, r.Watchdog, r.Rate, r.Span, r.RTD, r.Elapsed)
	return nil
}

// parseSippStat reads a SIPp statistics file: a header row of names and
// one row per report period, semicolon separated, cumulative (C) columns.
func parseSippStat(in io.Reader) (SippRun, error) {
	cr := csv.NewReader(in)
	cr.Comma = ';'
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	rows, err := cr.ReadAll()
	if err != nil {
		return SippRun{}, err
	}
	if len(rows) < 2 {
		return SippRun{}, errors.New("no statistics rows")
	}
	col := make(map[string]int, len(rows[0]))
	for i, name := range rows[0] {
		col[name] = i
	}
	get := func(row []string, name string) string {
		if i, ok := col[name]; ok && i < len(row) {
			return row[i]
		}
		return ""
	}
	num := func(row []string, name string) int {
		n, _ := strconv.Atoi(get(row, name))
		return n
	}
	last := rows[len(rows)-1]
	r := SippRun{Created: num(last, "TotalCallCreated"), Successful: num(last, "SuccessfulCall(C)"),
		Failed: num(last, "FailedCall(C)"), Retrans: num(last, "Retransmissions(C)"),
		Dead: num(last, "DeadCallMsgs(C)"), OutOfCall: num(last, "OutOfCallMsgs(C)"),
		Watchdog: num(last, "WatchdogMajor(C)") + num(last, "WatchdogMinor(C)"),
		RTD:      durationMS(get(last, rtdColumn(rows[0])))}
	start := epochOf(get(rows[1], "StartTime"))
	r.Elapsed = epochOf(get(last, "CurrentTime")) - start
	r.Span = creationSpan(rows[1:], start, r.Created, func(row []string) (float64, int) {
		return epochOf(get(row, "CurrentTime")), num(row, "TotalCallCreated")
	})
	if r.Span > 0 {
		r.Rate = float64(r.Created) / r.Span
	}
	return r, nil
}

// rtdColumn is the cumulative mean of the first response time: named
// ResponseTime1(C) by default, ResponseTime<name>(C) for a named rtd.
func rtdColumn(header []string) string {
	for _, name := range header {
		if strings.HasPrefix(name, "ResponseTime") && strings.HasSuffix(name, "(C)") && !strings.Contains(name, "StDev") {
			return name
		}
	}
	return "ResponseTime1(C)"
}

// creationSpan estimates when the total-th call was created, interpolating
// between the report rows around it.
func creationSpan(rows [][]string, start float64, total int, at func([]string) (float64, int)) float64 {
	prevT, prevN := start, 0
	for _, row := range rows {
		t, n := at(row)
		if n >= total && total > 0 {
			if n == prevN || t <= prevT {
				return t - start
			}
			return prevT + (t-prevT)*float64(total-prevN)/float64(n-prevN) - start
		}
		prevT, prevN = t, n
	}
	return prevT - start
}

// epochOf reads SIPp's "date<TAB>time<TAB>epoch.micro" time stamp.
func epochOf(s string) float64 {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(fields[len(fields)-1], 64)
	return v
}

// durationMS reads SIPp's "hh:mm:ss:micro" duration in milliseconds.
func durationMS(s string) float64 {
	parts := strings.Split(s, ":")
	if len(parts) != 4 {
		return 0
	}
	var v [4]float64
	for i, p := range parts {
		v[i], _ = strconv.ParseFloat(p, 64)
	}
	return (v[0]*3600+v[1]*60+v[2])*1000 + v[3]/1000
}
