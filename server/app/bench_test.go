package app_test

// Benchmarks of the call-control API against a real server with its
// in-process switch and real SIP phones (media/phonetest), everything on
// 127.0.0.1. Each benchmark runs one bounded campaign per invocation
// (b.N is not a call count) and reports latency percentiles with
// b.ReportMetric and a one-line summary:
//
//	go test -run '^$' -bench 'MakeCall|WatchEvents' -benchtime 1x ./server/app/
//
// Use -benchtime 1x (or the default 1s) so the harness runs the campaign
// once; -count N repeats it. The load can be changed after -args:
//
//	-args -callbench.rate 100 -callbench.duration 5s -callbench.watchers 200

import (
	"context"
	"flag"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	callcontrolv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1/callcontrolv1connect"
	configv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/config/v1"
	"github.com/switchboard-pbx/switchboard/media/phonetest"
	"github.com/switchboard-pbx/switchboard/server/app/apptest"
)

var (
	benchRate     = flag.Float64("callbench.rate", 0, "calls per second placed by the call-control benchmarks (0: each one's default)")
	benchDuration = flag.Duration("callbench.duration", 0, "how long the call-control benchmarks place calls (0: 10s, 3s under -race)")
	benchWatchers = flag.Int("callbench.watchers", 0, "WatchEvents streams in BenchmarkWatchEvents (0: 100, 10 under -race)")
)

const (
	benchHold   = 100 * time.Millisecond // how long a call stays connected before the caller hangs up
	callTimeout = 10 * time.Second       // one call's whole life, ringing to hang-up
)

// BenchmarkMakeCall places third-party calls with MakeCall at a steady
// rate between pairs of users whose phones answer at once, and measures
// from sending the request to the caller's phone ringing (the switch's
// first INVITE) and to the callee's phone ringing (the second INVITE,
// after the caller's phone answered). It also reports the MakeCall RPC's
// own latency.
func BenchmarkMakeCall(b *testing.B) {
	l := campaignLoad(50)
	ctx, cancel := context.WithTimeout(context.Background(), l.dur+2*callTimeout+time.Minute)
	defer cancel()
	_, c, pairs := startPBX(ctx, b, l.pairs())
	cc := c.Calls
	if _, err := pairs[0].makeCall(ctx, cc); err != nil { // warm up connections and caches
		b.Fatalf("warm-up call: %v", err)
	}
	var rpc, caller, callee latencies
	b.ResetTimer()
	cpu := readCPU()
	res := campaign(ctx, pairs, l, func(ctx context.Context, p *pair) error {
		t, err := p.makeCall(ctx, cc)
		if err == nil {
			rpc.add(t.rpc)
			caller.add(t.caller)
			callee.add(t.callee)
		}
		return err
	})
	b.StopTimer()
	use := cpu.until(readCPU())
	res.report(b)
	b.Logf("MakeCall %s; RPC %s; caller INVITE %s; callee INVITE %s; %s",
		res, rpc.report(b, "rpc"), caller.report(b, "caller"), callee.report(b, "callee"), use.report(b))
	res.check(b)
}

// load is a campaign's size: the flags, or a benchmark's defaults. Under
// the race detector, which makes everything several times slower, the
// defaults shrink to a fifth of the rate, 10 streams and 3 s: enough to
// check the benchmark itself, not to measure anything.
type load struct {
	rate     float64
	dur      time.Duration
	watchers int
}

// pairs is how many caller/callee pairs a campaign needs: a pair carries
// one call at a time, and a call lasts about 150 ms when all is well, so
// each pair carries a call every 400 ms at most (20 pairs at 50 calls/s).
func (l load) pairs() int { return max(20, int(math.Ceil(l.rate*0.4))) }

func campaignLoad(defaultRate float64) load {
	l := load{rate: *benchRate, dur: *benchDuration, watchers: *benchWatchers}
	if l.rate <= 0 {
		l.rate = defaultRate
		if raceEnabled {
			l.rate /= 5
		}
	}
	if l.dur <= 0 {
		l.dur = 10 * time.Second
		if raceEnabled {
			l.dur = 3 * time.Second
		}
	}
	if l.watchers <= 0 {
		l.watchers = 100
		if raceEnabled {
			l.watchers = 10
		}
	}
	return l
}

// line is a user's extension and its phone.
type line struct {
	ext   string
	phone *phonetest.Phone
}

// pair is a caller and a callee.
type pair struct{ caller, callee line }

// startPBX starts a server with its switch, creates n callers (3001…)
// and n callees (5001…) through the configuration API, each with a
// device, and registers an auto-answering phone for every device.
func startPBX(ctx context.Context, b *testing.B, n int) (*apptest.Server, apptest.Clients, []*pair) {
	b.Helper()
	srv := apptest.Start(b, apptest.Options{Switch: true})
	c := srv.Clients("connect", srv.AdminToken)
	sites, err := c.Config.ListSites(ctx, &configv1.ListSitesRequest{})
	if err != nil {
		b.Fatal(err)
	}
	site := sites.GetSites()[0].GetId()
	pairs := make([]*pair, n)
	for i := range pairs {
		pairs[i] = &pair{caller: line{ext: fmt.Sprint(3001 + i)}, callee: line{ext: fmt.Sprint(5001 + i)}}
		for _, l := range []*line{&pairs[i].caller, &pairs[i].callee} {
			createBenchUser(ctx, b, c, site, l.ext)
		}
	}
	for _, p := range pairs {
		p.caller.phone = registerBenchPhone(ctx, b, srv.SIPAddr, p.caller.ext)
		p.callee.phone = registerBenchPhone(ctx, b, srv.SIPAddr, p.callee.ext)
	}
	return srv, c, pairs
}

// createBenchUser creates user ext with device "u<ext>", password
// "secret-u<ext>".
func createBenchUser(ctx context.Context, b *testing.B, c apptest.Clients, site, ext string) {
	b.Helper()
	u, err := c.Config.CreateUser(ctx, &configv1.CreateUserRequest{User: &configv1.User{
		Extension: ext, FirstName: "Bench", LastName: ext, SiteId: site}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Config.CreateDevice(ctx, &configv1.CreateDeviceRequest{Device: &configv1.Device{
		UserId: u.GetUser().GetId(), SipUsername: "u" + ext, Password: "secret-u" + ext}}); err != nil {
		b.Fatal(err)
	}
}

// registerBenchPhone registers ext's device on a phone that answers at
// once, retrying until the routing table with its credentials has
// reached the switch.
func registerBenchPhone(ctx context.Context, b *testing.B, sipAddr, ext string) *phonetest.Phone {
	b.Helper()
	p := phonetest.New(b, phonetest.Config{Username: "u" + ext, Password: "secret-u" + ext, Server: sipAddr,
		Mode: phonetest.AutoAnswer})
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		res, err := p.Register(ctx, 300)
		if err == nil && res.StatusCode == 200 {
			return p
		}
		select {
		case <-ctx.Done():
			b.Fatalf("%s never registered: %v %v", ext, res, err)
		case <-tick.C:
		}
	}
}

// makeCallTimes are one MakeCall's figures, from sending the request.
type makeCallTimes struct{ rpc, caller, callee time.Duration }

type rpcResult struct {
	took time.Duration
	err  error
}

// makeCall asks the API to call p's callee from p's caller, waits for
// both phones to ring (each answers at once), keeps the call up for
// benchHold and hangs up from the caller's phone.
func (p *pair) makeCall(ctx context.Context, cc callcontrolv1connect.CallControlServiceClient) (makeCallTimes, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	var t makeCallTimes
	start := time.Now()
	results := make(chan rpcResult, 1)
	go func() {
		_, err := cc.MakeCall(ctx, &callcontrolv1.MakeCallRequest{Line: p.caller.ext, Destination: p.callee.ext})
		results <- rpcResult{time.Since(start), err}
	}()
	rpc := (<-chan rpcResult)(results)
	// ring waits for a phone's INVITE while taking the RPC's answer, which
	// may come before or after it.
	ring := func(in <-chan *phonetest.Call) (*phonetest.Call, error) {
		for {
			select {
			case call := <-in:
				return call, nil
			case r := <-rpc:
				rpc, t.rpc = nil, r.took
				if r.err != nil {
					return nil, fmt.Errorf("MakeCall %s→%s: %w", p.caller.ext, p.callee.ext, r.err)
				}
			case <-ctx.Done():
				return nil, fmt.Errorf("%s→%s: no INVITE: %w", p.caller.ext, p.callee.ext, ctx.Err())
			}
		}
	}
	mine, err := ring(p.caller.phone.Incoming)
	if err != nil {
		return t, err
	}
	t.caller = time.Since(start)
	theirs, err := ring(p.callee.phone.Incoming)
	if err != nil {
		return t, err
	}
	t.callee = time.Since(start)
	if rpc != nil {
		r := <-rpc // buffered and always sent; the call ctx bounds it
		t.rpc = r.took
	}
	return t, hangUp(ctx, mine, theirs)
}

// hangUp keeps a connected call up for benchHold, hangs up mine and waits
// for the other phone to see the call end.
func hangUp(ctx context.Context, mine, theirs *phonetest.Call) error {
	select {
	case <-time.After(benchHold):
	case <-ctx.Done():
		return ctx.Err()
	}
	if err := mine.Hangup(ctx); err != nil {
		return fmt.Errorf("hang up: %w", err)
	}
	select {
	case <-theirs.Ended():
		return nil
	case <-ctx.Done():
		return fmt.Errorf("the other phone never saw the call end: %w", ctx.Err())
	}
}

// campaignResult is what a campaign did.
type campaignResult struct {
	rate     float64
	started  int
	skipped  int // calls not placed: no pair was free until the campaign's end
	failed   int
	firstErr error
	maxLag   time.Duration // the latest a call started after its slot (no free pair)
	starting time.Duration // from the first call's start to the last one's
	elapsed  time.Duration // until the last call ended
}

// campaign starts calls at l.rate for l.dur, each on a free pair, and
// waits for them all. A pair whose call failed is not used again (its
// phones' state is unknown). Calls whose slot comes when no pair is free
// start late; none starts after l.dur+callTimeout.
func campaign(ctx context.Context, pairs []*pair, l load, call func(context.Context, *pair) error) campaignResult {
	free := make(chan *pair, len(pairs))
	for _, p := range pairs {
		free <- p
	}
	res := campaignResult{rate: l.rate}
	var mu sync.Mutex
	var wg sync.WaitGroup
	interval := time.Duration(float64(time.Second) / l.rate)
	count := int(l.dur / interval)
	start := time.Now()
	stopStarting, cancel := context.WithDeadline(ctx, start.Add(l.dur+callTimeout))
	defer cancel()
	for k := range count {
		slot := start.Add(time.Duration(k) * interval)
		time.Sleep(time.Until(slot))
		var p *pair
		select {
		case p = <-free:
		case <-stopStarting.Done():
			res.skipped = count - k
		}
		if p == nil {
			break
		}
		res.maxLag = max(res.maxLag, time.Since(slot))
		res.starting = time.Since(start)
		res.started++
		wg.Go(func() {
			if err := call(ctx, p); err != nil {
				mu.Lock()
				res.failed++
				res.firstErr = cmpOr(res.firstErr, err)
				mu.Unlock()
				return
			}
			free <- p
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// check fails the benchmark when calls failed or were not placed.
func (r campaignResult) check(b *testing.B) {
	if r.failed > 0 || r.skipped > 0 {
		b.Errorf("%d of %d calls failed (first: %v); %d not placed", r.failed, r.started, r.firstErr, r.skipped)
	}
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

func (r campaignResult) String() string {
	placed := float64(max(r.started-1, 0)) / r.starting.Seconds()
	out := fmt.Sprintf("%d calls in %.1fs (%.0f/s asked, %.1f/s placed), %d failed, max start lag %.1fms",
		r.started, r.elapsed.Seconds(), r.rate, placed, r.failed, ms(r.maxLag))
	if r.skipped > 0 {
		out += fmt.Sprintf(", %d not placed (no free pair)", r.skipped)
	}
	return out
}

// report reports the campaign's size; ns/op is meaningless for one
// campaign, so it is hidden.
func (r campaignResult) report(b *testing.B) {
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(float64(r.started), "calls")
	b.ReportMetric(float64(r.failed+r.skipped), "failed")
}

// latencies collects durations from many goroutines.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d ...time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d...)
	l.mu.Unlock()
}

// report reports p50, p99 and max in milliseconds as <name>-p50-ms …
// and returns them as text.
func (l *latencies) report(b *testing.B, name string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return name + ": no samples"
	}
	slices.Sort(l.d)
	q := func(f float64) time.Duration { return l.d[max(0, int(math.Ceil(f*float64(len(l.d))))-1)] } // nearest rank
	p50, p99, top := q(0.50), q(0.99), l.d[len(l.d)-1]
	b.ReportMetric(ms(p50), name+"-p50-ms")
	b.ReportMetric(ms(p99), name+"-p99-ms")
	b.ReportMetric(ms(top), name+"-max-ms")
	return fmt.Sprintf("p50 %.1fms p99 %.1fms max %.1fms (%d samples)", ms(p50), ms(p99), ms(top), len(l.d))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
