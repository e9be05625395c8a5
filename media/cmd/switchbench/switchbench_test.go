package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-pbx/switchboard/media/switchsvc"
	"github.com/switchboard-pbx/switchboard/media/switchtest"
)

// sippCSV is a SIPp -stf file cut down to the columns sippstat reads, in
// SIPp's format: a header row, then cumulative rows.
const sippCSV = `StartTime;CurrentTime;TotalCallCreated;SuccessfulCall(C);FailedCall(C);Retransmissions(C);DeadCallMsgs(C);OutOfCallMsgs(C);WatchdogMajor(C);WatchdogMinor(C);ResponseTimesetup(C);ResponseTimesetupStDev(C);
2026-11-25	09:34:08.000000	100.000000;2026-11-25	09:34:08.000000	100.000000;0;0;0;0;0;0;0;0;00:00:00:000000;00:00:00:000000;
2026-11-25	09:34:08.000000	100.000000;2026-11-25	09:34:09.000000	101.000000;400;300;0;2;0;0;0;0;00:00:00:004000;00:00:00:001000;
2026-11-25	09:34:08.000000	100.000000;2026-11-25	09:34:10.000000	102.000000;800;700;0;5;0;0;0;0;00:00:00:004500;00:00:00:001000;
2026-11-25	09:34:08.000000	100.000000;2026-11-25	09:34:11.500000	103.500000;1000;990;10;7;3;1;1;0;00:00:01:250000;00:00:00:001000;
`

func TestParseSippStat(t *testing.T) {
	t.Parallel()
	got, err := parseSippStat(strings.NewReader(sippCSV))
	if err != nil {
		t.Fatal(err)
	}
	want := SippRun{Created: 1000, Successful: 990, Failed: 10, Retrans: 7, Dead: 3, OutOfCall: 1, Watchdog: 1,
		Span: 3.5, Rate: 1000 / 3.5, RTD: 1250, Elapsed: 3.5}
	if got.Created != want.Created || got.Successful != want.Successful || got.Failed != want.Failed ||
		got.Retrans != want.Retrans || got.Dead != want.Dead || got.OutOfCall != want.OutOfCall || got.Watchdog != want.Watchdog {
		t.Errorf("counts = %+v, want %+v", got, want)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"span", got.Span, want.Span}, {"rate", got.Rate, want.Rate}, {"rtd", got.RTD, want.RTD}, {"elapsed", got.Elapsed, want.Elapsed}} {
		if d := c.got - c.want; d > 1e-6 || d < -1e-6 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestParseSippStatEmpty(t *testing.T) {
	t.Parallel()
	if _, err := parseSippStat(strings.NewReader("StartTime;CurrentTime;\n")); err == nil {
		t.Error("a file with no rows parsed")
	}
}

func TestDurationMS(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want float64
	}{
		{"00:00:00:050000", 50},
		{"00:00:01:250000", 1250},
		{"01:00:00:000000", 3_600_000},
		{"", 0},
		{"garbage", 0},
	}
	for _, tc := range cases {
		if got := durationMS(tc.in); got != tc.want {
			t.Errorf("durationMS(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestStatusKB(t *testing.T) {
	t.Parallel()
	status := []byte("Name:\tswitchbench\nVmRSS:\t   12345 kB\nRssAnon:\t 100 kB\n")
	if got := statusKB(status, "VmRSS:"); got != 12345*1024 {
		t.Errorf("VmRSS = %d", got)
	}
	if got := statusKB(status, "RssAnon:"); got != 100*1024 {
		t.Errorf("RssAnon = %d", got)
	}
	if got := statusKB(status, "VmSwap:"); got != 0 {
		t.Errorf("missing key = %d", got)
	}
}

func TestFlagsParsing(t *testing.T) {
	t.Parallel()
	if lo, hi, err := parsePortRange("10000-29999"); err != nil || lo != 10000 || hi != 29999 {
		t.Errorf("parsePortRange = %d %d %v", lo, hi, err)
	}
	for _, bad := range []string{"10001-20000", "20000-10000", "0-100", "1000", "a-b", "60000-70000"} {
		if _, _, err := parsePortRange(bad); err == nil {
			t.Errorf("parsePortRange(%q) accepted", bad)
		}
	}
	for _, ok := range []string{"127.0.0.1:5060", "127.1.2.3:0", "localhost:80"} {
		if err := loopbackOnly(ok); err != nil {
			t.Errorf("loopbackOnly(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"10.0.0.1:5060", "0.0.0.0:5060", "[::1]:5060", "example.com:5060", "5060"} {
		if err := loopbackOnly(bad); err == nil {
			t.Errorf("loopbackOnly(%q) accepted", bad)
		}
	}
	if steps, err := parseSteps("250, 500,1000"); err != nil || len(steps) != 3 || steps[2] != 1000 {
		t.Errorf("parseSteps = %v %v", steps, err)
	}
	if _, err := parseSteps("250,x"); err == nil {
		t.Error("parseSteps accepted x")
	}
}

func TestJudge(t *testing.T) {
	t.Parallel()
	ok := StepResult{Target: 100, Up: 100, LossABPct: 0.01, LossBAPct: 0, OfferedPct: 100}
	cases := []struct {
		name string
		edit func(*StepResult)
		pass bool
	}{
		{"all up, no loss", func(*StepResult) {}, true},
		{"a call missing", func(r *StepResult) { r.Up = 99 }, false},
		{"loss a->b", func(r *StepResult) { r.LossABPct = 0.1 }, false},
		{"loss b->a", func(r *StepResult) { r.LossBAPct = 0.5 }, false},
		{"generator behind", func(r *StepResult) { r.OfferedPct = 95 }, false},
	}
	for _, tc := range cases {
		r := ok
		tc.edit(&r)
		if pass, why := judge(r, 0.1); pass != tc.pass {
			t.Errorf("%s: pass = %v (%s), want %v", tc.name, pass, why, tc.pass)
		}
	}
}

// TestCallsThroughSwitch runs the "calls" driver against a switch in this
// process: a few calls, RTP both ways through the relay, every packet
// stamped and counted. It checks counts, never times.
func TestCallsThroughSwitch(t *testing.T) {
	sw := switchtest.Start(t, switchsvc.Config{}, syntheticUsers(10)...)
	cfg := callsConfig{server: sw.Addr, steps: []int{3}, hold: time.Second, settle: 200 * time.Millisecond,
		setupRate: 50, inflight: 3, callee: 1, callers: [2]int{2, 10}, sockets: 1, maxLoss: 0.1, hangupRate: 100}
	gen, err := newGenerator(cfg.sockets, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer gen.close()
	callee, err := newSIPEnd(deviceName(1), cfg.server, gen.sides[dirBA], 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer callee.close()
	caller, err := newSIPEnd("caller", cfg.server, gen.sides[dirAB], 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer caller.close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := callee.register(ctx, deviceName(1), 300); err != nil {
		t.Fatal(err)
	}
	r := &callsRunner{cfg: cfg, gen: gen, caller: caller, callee: callee}
	res := r.step(ctx, 1, 3)
	if res.Up != 3 || res.SetupFailed != 0 {
		t.Fatalf("calls up %d, setups failed %d; want 3 and 0", res.Up, res.SetupFailed)
	}
	if res.SentAB == 0 || res.SentBA == 0 || res.RecvAB == 0 || res.RecvBA == 0 {
		t.Errorf("no RTP through the relay: %+v", res)
	}
	if res.RecvAB > res.SentAB || res.RecvBA > res.SentBA {
		t.Errorf("received more than sent: %+v", res)
	}
	if got := len(sw.UA().Legs()); got != 6 {
		t.Errorf("switch legs = %d, want 6", got)
	}
	sent, failed := caller.hangupAll(ctx, cfg.hangupRate)
	if sent != 3 || failed != 0 {
		t.Errorf("hung up %d (%d failed), want 3 (0)", sent, failed)
	}
}
