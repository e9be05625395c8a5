package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// callsConfig is what the "calls" command was asked to do.
type callsConfig struct {
	server     string
	statsURL   string
	steps      []int
	hold       time.Duration
	settle     time.Duration
	setupRate  int
	inflight   int
	callee     int
	callers    [2]int
	sockets    int
	maxLoss    float64
	maxTime    time.Duration
	jsonOut    string
	keepGoing  bool
	hangupRate int
	cpuProfile string
	swProfile  string
}

// StepResult is one step of the "calls" command: N calls held for the hold
// time with RTP both ways.
type StepResult struct {
	Step        int     `json:"step"`
	Target      int     `json:"target"`
	Up          int     `json:"up"`           // calls up during the hold
	SetupFailed int     `json:"setup_failed"` // cumulative
	Dropped     int64   `json:"dropped"`      // calls the switch hung up, cumulative
	HoldSeconds float64 `json:"hold_s"`
	SentAB      uint64  `json:"sent_ab"`
	RecvAB      uint64  `json:"recv_ab"`
	SentBA      uint64  `json:"sent_ba"`
	RecvBA      uint64  `json:"recv_ba"`
	LossABPct   float64 `json:"loss_ab_pct"`
	LossBAPct   float64 `json:"loss_ba_pct"`
	OfferedPct  float64 `json:"offered_pct"` // packets sent / (up × 50 × 2 × hold)
	DelayP50ms  float64 `json:"delay_p50_ms"`
	DelayP99ms  float64 `json:"delay_p99_ms"`
	DelayMaxms  float64 `json:"delay_max_ms"`
	Reorder     uint64  `json:"reorder"`
	SwitchCPU   float64 `json:"switch_cpu_pct"` // of one core, during the hold
	GenCPU      float64 `json:"gen_cpu_pct"`
	MachineCPU  float64 `json:"machine_cpu_pct"` // every process, of one core: the rest is other work on the machine
	SwitchRSS   uint64  `json:"switch_rss"`
	SwitchHeap  uint64  `json:"switch_heap_inuse"`
	SwitchGo    int     `json:"switch_goroutines"`
	SwitchLegs  int     `json:"switch_legs"`
	RSSPerCall  float64 `json:"rss_per_call"`  // bytes: (RSS − RSS with no call) / up
	HeapPerCall float64 `json:"heap_per_call"` // bytes: (live heap − live heap with no call) / up
	GoPerCall   float64 `json:"goroutines_per_call"`
	Pass        bool    `json:"pass"`
	Why         string  `json:"why,omitempty"`
}

// runCalls is the "calls" command.
func runCalls(args []string) error {
	fs := flag.NewFlagSet("calls", flag.ExitOnError)
	cfg := callsConfig{}
	fs.StringVar(&cfg.server, "switch", "127.0.0.1:15060", "the switch's SIP address")
	fs.StringVar(&cfg.statsURL, "stats", "http://127.0.0.1:16060/debug/switchstats", "the switch's figures URL (empty: no memory figures)")
	steps := fs.String("steps", "250,500,750,1000,1250,1500", "concurrent calls at each step")
	fs.DurationVar(&cfg.hold, "hold", 30*time.Second, "how long each step is held and measured")
	fs.DurationVar(&cfg.settle, "settle", 2*time.Second, "RTP flows this long after a ramp before the hold is measured")
	fs.IntVar(&cfg.setupRate, "setup-rate", 200, "new calls per second while ramping")
	fs.IntVar(&cfg.inflight, "inflight", 200, "most call setups in progress at once")
	fs.IntVar(&cfg.callee, "callee", 1, "synthetic user called (its device is registered by this command)")
	callers := fs.String("callers", "2-3000", "synthetic users that call, round robin")
	fs.IntVar(&cfg.sockets, "rtp-sockets", 2, "generator RTP sockets per side")
	fs.Float64Var(&cfg.maxLoss, "max-loss", 0.1, "a step passes with less loss than this, in percent, each way")
	fs.DurationVar(&cfg.maxTime, "max-time", 12*time.Minute, "stop everything after this long")
	fs.StringVar(&cfg.jsonOut, "json", "", "append one JSON object per step to this file")
	fs.BoolVar(&cfg.keepGoing, "keep-going", false, "run the next step after a failed one")
	fs.IntVar(&cfg.hangupRate, "hangup-rate", 500, "BYEs per second at the end")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write the generator's own CPU profile here")
	fs.StringVar(&cfg.swProfile, "switch-profile", "", "fetch the switch's CPU profile (pprof) during each hold into this file (-STEP added with several steps)")
	_ = fs.Parse(args)
	var err error
	if cfg.steps, err = parseSteps(*steps); err != nil {
		return err
	}
	lo, hi, ok := strings.Cut(*callers, "-")
	cfg.callers[0], _ = strconv.Atoi(lo)
	cfg.callers[1], _ = strconv.Atoi(hi)
	if !ok || cfg.callers[0] < 1 || cfg.callers[1] < cfg.callers[0] || cfg.callers[1] > maxUsers {
		return fmt.Errorf("-callers %q: want FIRST-LAST within 1-%d", *callers, maxUsers)
	}
	if err := loopbackOnly(cfg.server); err != nil {
		return err
	}
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, cfg.maxTime)
	defer cancelT()
	return callsRun(ctx, cfg)
}

// callsRun sets up the generator and runs the steps.
func callsRun(ctx context.Context, cfg callsConfig) error {
	const buf = 8 << 20
	gen, err := newGenerator(cfg.sockets, buf)
	if err != nil {
		return err
	}
	defer gen.close()
	callee, err := newSIPEnd(deviceName(cfg.callee), cfg.server, gen.sides[dirBA], buf)
	if err != nil {
		return err
	}
	defer callee.close()
	caller, err := newSIPEnd("caller", cfg.server, gen.sides[dirAB], buf)
	if err != nil {
		return err
	}
	defer caller.close()
	rctx, rcancel := context.WithTimeout(ctx, 10*time.Second)
	err = callee.register(rctx, deviceName(cfg.callee), 3600)
	rcancel()
	if err != nil {
		return fmt.Errorf("register the callee: %w", err)
	}
	r := &callsRunner{cfg: cfg, gen: gen, caller: caller, callee: callee, http: &http.Client{Timeout: 10 * time.Second}}
	if cfg.statsURL != "" {
		if r.base, err = fetchFigures(r.http, cfg.statsURL, true); err != nil {
			return fmt.Errorf("switch figures: %w", err)
		}
		fmt.Printf("calls: switch with no call: rss %s heap %s goroutines %d fds %d\n",
			mib(r.base.RSS), mib(r.base.HeapInuse), r.base.Goroutines, r.base.FDs)
	}
	best, largest, bestDelay := r.steps(ctx)
	hctx, hcancel := context.WithTimeout(context.Background(), 60*time.Second)
	sent, failed := caller.hangupAll(hctx, cfg.hangupRate)
	hcancel()
	fmt.Printf("calls: hung up %d calls (%d BYE failed)\n", sent, failed)
	fmt.Printf("RESULT max_calls=%d max_calls_delay=%d rss_per_call=%.0f heap_per_call=%.0f goroutines_per_call=%.1f at_calls=%d delay_p99_ms=%.1f switch_cpu_pct=%.0f gen_cpu_pct=%.0f machine_cpu_pct=%.0f\n",
		best.Up*boolInt(best.Pass), bestDelay, largest.RSSPerCall, largest.HeapPerCall, largest.GoPerCall, largest.Up,
		best.DelayP99ms, best.SwitchCPU, best.GenCPU, best.MachineCPU)
	return ctx.Err()
}

// maxDelayP99 is the p99 one-way delay (ms) within which a passing step
// also counts for the delay figure: beyond it a phone's jitter buffer
// would discard packets that the loss count calls received.
const maxDelayP99 = 20

// callsRunner holds the state of the steps.
type callsRunner struct {
	cfg            callsConfig
	gen            *generator
	caller, callee *sipEnd
	http           *http.Client
	base           Figures
	up             atomic.Int64
	failed         atomic.Int64
	refused        atomic.Int64 // setups refused with 503 and placed again
	next           int          // next caller
}

// steps runs every step and returns the best passing one (or the last
// one run, when none passed), the one with the most calls up (for the
// memory per call: the fixed costs weigh least there) and the most calls
// that passed with a p99 one-way delay within maxDelayP99.
func (r *callsRunner) steps(ctx context.Context) (best, largest StepResult, bestDelay int) {
	var last StepResult
	for i, target := range r.cfg.steps {
		if ctx.Err() != nil {
			break
		}
		res := r.step(ctx, i+1, target)
		last = res
		if res.Up >= largest.Up && res.RSSPerCall > 0 {
			largest = res
		}
		r.record(res)
		if res.Pass {
			best = res
			if res.DelayP99ms <= maxDelayP99 {
				bestDelay = res.Up
			}
		} else if !r.cfg.keepGoing {
			break
		}
	}
	if !best.Pass {
		best = last
	}
	return best, largest, bestDelay
}

// step ramps to target calls, lets RTP settle, measures a hold.
func (r *callsRunner) step(ctx context.Context, n, target int) StepResult {
	res := StepResult{Step: n, Target: target}
	start := time.Now()
	r.ramp(ctx, target)
	fmt.Printf("calls: step %d: %d calls up (%d setups failed, %d refused as overload and placed again) after %.1fs ramp\n",
		n, r.up.Load(), r.failed.Load(), r.refused.Load(), time.Since(start).Seconds())
	sleepCtx(ctx, r.cfg.settle)
	phase := uint32(n % maxPhases)
	swStart, _ := r.figures(false)
	genStart := selfCPU()
	mb0, mt0 := machineCPU()
	upStart := r.alive()
	t0 := time.Now()
	r.gen.phase.Store(phase)
	profiled := r.profileSwitch(n)
	sleepCtx(ctx, r.cfg.hold)
	r.gen.phase.Store(0)
	<-profiled
	res.HoldSeconds = time.Since(t0).Seconds()
	genEnd := selfCPU()
	mb1, mt1 := machineCPU()
	res.MachineCPU = machineBusyPct(mb0, mt0, mb1, mt1)
	swEnd, swErr := r.figures(true)             // after a GC: live heap
	sleepCtx(context.Background(), time.Second) // packets in flight and in buffers arrive
	ab, ba := r.gen.figures(dirAB, phase), r.gen.figures(dirBA, phase)
	res.Up = int(min(upStart, r.alive()))
	res.SetupFailed, res.Dropped = int(r.failed.Load()), r.caller.dropped.Load()
	res.SentAB, res.RecvAB, res.LossABPct = ab.Sent, ab.Recv, ab.LossPct
	res.SentBA, res.RecvBA, res.LossBAPct = ba.Sent, ba.Recv, ba.LossPct
	if res.Up > 0 {
		res.OfferedPct = 100 * float64(ab.Sent+ba.Sent) / (float64(res.Up) * 100 * res.HoldSeconds)
	}
	res.DelayP50ms = ms(max(ab.P50, ba.P50))
	res.DelayP99ms = ms(max(ab.P99, ba.P99))
	res.DelayMaxms = ms(max(ab.Max, ba.Max))
	res.Reorder = r.gen.sides[dirAB].reorder.Load() + r.gen.sides[dirBA].reorder.Load()
	res.GenCPU = 100 * (genEnd - genStart) / res.HoldSeconds
	if swErr == nil && r.cfg.statsURL != "" {
		res.SwitchCPU = 100 * (swEnd.CPUUser + swEnd.CPUSys - swStart.CPUUser - swStart.CPUSys) /
			swEnd.Time.Sub(swStart.Time).Seconds()
		res.SwitchRSS, res.SwitchHeap, res.SwitchGo, res.SwitchLegs = swEnd.RSS, swEnd.HeapInuse, swEnd.Goroutines, swEnd.Legs
		if res.Up > 0 {
			res.RSSPerCall = (float64(swEnd.RSS) - float64(r.base.RSS)) / float64(res.Up)
			res.HeapPerCall = (float64(swEnd.HeapInuse) - float64(r.base.HeapInuse)) / float64(res.Up)
			res.GoPerCall = float64(swEnd.Goroutines-r.base.Goroutines) / float64(res.Up)
		}
	}
	res.Pass, res.Why = judge(res, r.cfg.maxLoss)
	fmt.Printf("calls: step %d: %d calls held %.0fs: a->b %s | b->a %s | offered %.1f%% | switch cpu %.0f%% rss %s heap %s goroutines %d | generator cpu %.0f%% | machine cpu %.0f%% | %s\n",
		n, res.Up, res.HoldSeconds, ab, ba, res.OfferedPct, res.SwitchCPU, mib(res.SwitchRSS), mib(res.SwitchHeap),
		res.SwitchGo, res.GenCPU, res.MachineCPU, verdict(res))
	return res
}

// profileSwitch fetches the switch's CPU profile for most of the hold in
// the background; the channel is closed when it is done.
func (r *callsRunner) profileSwitch(step int) <-chan struct{} {
	done := make(chan struct{})
	if r.cfg.swProfile == "" || r.cfg.statsURL == "" {
		close(done)
		return done
	}
	path := r.cfg.swProfile
	if len(r.cfg.steps) > 1 {
		path = fmt.Sprintf("%s-%d", path, step)
	}
	secs := max(int((r.cfg.hold-2*time.Second)/time.Second), 1)
	url := strings.TrimSuffix(r.cfg.statsURL, "/debug/switchstats") + "/debug/pprof/profile?seconds=" + strconv.Itoa(secs)
	go func() {
		defer close(done)
		client := &http.Client{Timeout: time.Duration(secs+30) * time.Second}
		res, err := client.Get(url)
		if err != nil {
			fmt.Fprintln(os.Stderr, "calls: switch profile:", err)
			return
		}
		defer res.Body.Close()
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "calls: switch profile:", err)
			return
		}
		defer f.Close()
		if _, err := io.Copy(f, res.Body); err != nil {
			fmt.Fprintln(os.Stderr, "calls: switch profile:", err)
		}
	}()
	return done
}

// judge decides whether a step passed.
func judge(res StepResult, maxLoss float64) (bool, string) {
	switch {
	case res.Up < res.Target:
		return false, fmt.Sprintf("only %d of %d calls up", res.Up, res.Target)
	case res.LossABPct >= maxLoss || res.LossBAPct >= maxLoss:
		return false, fmt.Sprintf("loss %.3f%% / %.3f%% ≥ %.2f%%", res.LossABPct, res.LossBAPct, maxLoss)
	case res.OfferedPct < 99:
		return false, fmt.Sprintf("the generator sent only %.1f%% of 50 packets/s", res.OfferedPct)
	}
	return true, ""
}

func verdict(res StepResult) string {
	if res.Pass {
		return "PASS"
	}
	return "FAIL (" + res.Why + ")"
}

// ramp places calls until target are up, at most setupRate a second and
// inflight at once.
func (r *callsRunner) ramp(ctx context.Context, target int) {
	need := target - int(r.alive())
	if need <= 0 {
		return
	}
	tick := time.NewTicker(time.Second / time.Duration(max(r.cfg.setupRate, 1)))
	defer tick.Stop()
	sem := make(chan struct{}, max(r.cfg.inflight, 1))
	var wg sync.WaitGroup
	for range need {
		select {
		case <-ctx.Done():
		case <-tick.C:
		}
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		user := deviceName(r.cfg.callers[0] + r.next%(r.cfg.callers[1]-r.cfg.callers[0]+1))
		r.next++
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := r.place(ctx, user); err != nil {
				if r.failed.Add(1) <= 5 {
					fmt.Fprintf(os.Stderr, "calls: setup failed: %v\n", err)
				}
				return
			}
			r.up.Add(1)
		}()
	}
	wg.Wait()
}

// place places one call. A call the switch refuses with 503 (overload) is
// placed again after its Retry-After, as a caller would, for up to a
// minute: the step then measures the calls the switch took when it could.
func (r *callsRunner) place(ctx context.Context, user string) error {
	giveUp := time.Now().Add(time.Minute)
	for {
		dctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		err := r.caller.dial(dctx, user, strconv.Itoa(1000+r.cfg.callee))
		cancel()
		var refused *refusedError
		if !errors.As(err, &refused) || time.Now().Add(refused.after).After(giveUp) {
			return err
		}
		r.refused.Add(1)
		sleepCtx(ctx, refused.after)
		if ctx.Err() != nil {
			return err
		}
	}
}

// alive is the number of calls up: placed, and not hung up by the switch.
func (r *callsRunner) alive() int64 { return r.up.Load() - r.caller.dropped.Load() }

func (r *callsRunner) figures(gc bool) (Figures, error) {
	if r.cfg.statsURL == "" {
		return Figures{}, errors.New("no stats URL")
	}
	return fetchFigures(r.http, r.cfg.statsURL, gc)
}

// record appends a step to the JSON file, if any.
func (r *callsRunner) record(res StepResult) {
	if r.cfg.jsonOut == "" {
		return
	}
	f, err := os.OpenFile(r.cfg.jsonOut, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, "calls:", err)
		return
	}
	defer f.Close()
	_ = json.NewEncoder(f).Encode(res)
}

func parseSteps(s string) ([]int, error) {
	var out []int
	for _, p := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n <= 0 || n > maxStreams/2 {
			return nil, fmt.Errorf("step %q: want a positive number of calls up to %d", p, maxStreams/2)
		}
		out = append(out, n)
	}
	if len(out) >= maxPhases {
		return nil, fmt.Errorf("at most %d steps", maxPhases-1)
	}
	return out, nil
}

func selfCPU() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return tvSeconds(ru.Utime) + tvSeconds(ru.Stime)
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func mib(b uint64) string { return fmt.Sprintf("%.1fMiB", float64(b)/(1<<20)) }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
