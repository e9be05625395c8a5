package app_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	callcontrolv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1/callcontrolv1connect"
	"github.com/switchboard-pbx/switchboard/media/phonetest"
	"github.com/switchboard-pbx/switchboard/server/app/apptest"
)

// BenchmarkWatchEvents follows every line on many WatchEvents streams
// (each its own client and connection, as separate applications would
// be) while phones call each other at a steady rate, and reports the
// events delivered per second across all streams and the delay from a
// phone's SIP action to each stream receiving its event:
//
//   - invite: from the calling phone sending INVITE (it then answers the
//     switch's digest challenge) to the first event of the call on its
//     line (PROCEEDING);
//   - answer: from the called phone answering (200 OK, sent as soon as it
//     reports the call) to the CONNECTED event on its line.
//
// It runs with Connect (HTTP/1.1, a connection per stream) and gRPC (h2c)
// clients. Both accept gzip, as the generated clients do by default; the
// server must not compress the small event messages (compressing each one
// cost more CPU than everything else in delivering it).
func BenchmarkWatchEvents(b *testing.B) {
	for _, protocol := range apptest.Protocols {
		b.Run(protocol, func(b *testing.B) { benchmarkWatchEvents(b, protocol) })
	}
}

func benchmarkWatchEvents(b *testing.B, protocol string) {
	l := campaignLoad(25)
	ctx, cancel := context.WithTimeout(context.Background(), l.dur+2*callTimeout+time.Minute)
	defer cancel()
	srv, c, pairs := startPBX(ctx, b, l.pairs())
	ws := startWatchers(ctx, b, srv, protocol, l.watchers)
	defer ws.stop()
	if _, err := pairs[0].phoneCall(ctx); err != nil { // warm-up; every stream must see it
		b.Fatalf("warm-up call: %v", err)
	}
	run := watchRun{protocol: protocol}
	var err error
	if run.base, err = ws.settle(ctx, c.Calls); err != nil {
		b.Fatalf("after the warm-up call: %v", err)
	}
	b.ResetTimer()
	cpu := readCPU()
	run.start = time.Now()
	var mu sync.Mutex
	run.campaign = campaign(ctx, pairs, l, func(ctx context.Context, p *pair) error {
		pc, err := p.phoneCall(ctx)
		if err == nil {
			mu.Lock()
			run.calls = append(run.calls, pc)
			mu.Unlock()
		}
		return err
	})
	run.last, run.unsettled = ws.settle(ctx, c.Calls)
	b.StopTimer()
	run.cpu = cpu.until(readCPU())
	ws.stop()
	ws.report(b, run)
}

// watchRun is what a WatchEvents campaign did.
type watchRun struct {
	protocol   string
	campaign   campaignResult
	calls      []phoneCall
	base, last int64     // sequences before and after the campaign
	start      time.Time // of the campaign
	unsettled  error
	cpu        cpuUse
}

// report reports and checks a campaign. Call after stop.
func (ws *watchers) report(b *testing.B, run watchRun) {
	run.campaign.report(b)
	var invite, answer latencies
	missing := ws.delays(run.calls, run.base, &invite, &answer)
	delivered, until := ws.delivered(run.base)
	perSec := float64(delivered) / until.Sub(run.start).Seconds()
	b.ReportMetric(perSec, "events/s")
	b.ReportMetric(float64(run.last-run.base), "events")
	if run.cpu.ok && delivered > 0 {
		b.ReportMetric(run.cpu.selfSeconds/float64(delivered)*1e6, "cpu-us/event")
	}
	b.Logf("WatchEvents/%s, %d streams: %s; %d events × %d streams = %.0f events/s delivered; invite→event %s; answer→CONNECTED %s; %s",
		run.protocol, len(ws.w), run.campaign, run.last-run.base, len(ws.w), perSec,
		invite.report(b, "invite"), answer.report(b, "answer"), run.cpu.report(b))
	run.campaign.check(b)
	for _, w := range ws.w {
		if w.err != nil {
			b.Errorf("a stream failed: %v", w.err)
			break
		}
	}
	if run.unsettled != nil {
		b.Errorf("after the campaign: %v", run.unsettled)
	}
	if missing > 0 || ws.gaps() > 0 {
		b.Errorf("%d events not received; %d sequence gaps", missing, ws.gaps())
	}
}

// phoneCall is a call one phone placed to another, as the phones saw it.
type phoneCall struct {
	caller, callee string    // extensions
	invite         time.Time // the caller's phone sends INVITE
	answer         time.Time // the callee's phone answers
}

// phoneCall dials p's callee from p's caller's phone, keeps the call up
// for benchHold and hangs up.
func (p *pair) phoneCall(ctx context.Context) (phoneCall, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	pc := phoneCall{caller: p.caller.ext, callee: p.callee.ext}
	type dialed struct {
		call *phonetest.Call
		err  error
	}
	done := make(chan dialed, 1)
	pc.invite = time.Now()
	go func() {
		call, err := p.caller.phone.Dial(ctx, p.callee.ext)
		done <- dialed{call, err}
	}()
	var theirs *phonetest.Call
	select {
	case theirs = <-p.callee.phone.Incoming: // it answers right after reporting the call
		pc.answer = time.Now()
	case d := <-done:
		return pc, fmt.Errorf("%s→%s ended before ringing: %v", p.caller.ext, p.callee.ext, d.err)
	case <-ctx.Done():
		return pc, fmt.Errorf("%s→%s: no INVITE: %w", p.caller.ext, p.callee.ext, ctx.Err())
	}
	d := <-done // bounded by ctx
	if d.err != nil {
		return pc, fmt.Errorf("%s→%s: %w", p.caller.ext, p.callee.ext, d.err)
	}
	return pc, hangUp(ctx, d.call, theirs)
}

// watchers are the WatchEvents streams of a benchmark.
type watchers struct {
	w      []*eventWatcher
	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once
}

// eventWatcher is one stream and what it received. Only its goroutine
// writes the maps; they are read after it ended.
type eventWatcher struct {
	first     map[string]seen      // call id → its first event
	connected map[string]time.Time // call id → its first CONNECTED event
	last      atomic.Int64         // newest sequence received
	lastAt    time.Time            // when the newest event arrived
	gaps      int                  // sequences skipped
	err       error
}

type seen struct {
	seq  int64
	line string
	at   time.Time
}

// startWatchers opens n streams for every line, each over its own client.
func startWatchers(ctx context.Context, b *testing.B, srv *apptest.Server, protocol string, n int) *watchers {
	b.Helper()
	ctx, cancel := context.WithCancel(ctx)
	ws := &watchers{cancel: cancel}
	for range n {
		w := &eventWatcher{first: map[string]seen{}, connected: map[string]time.Time{}}
		ws.w = append(ws.w, w)
		cc := srv.Clients(protocol, srv.AdminToken).Calls
		ws.wg.Go(func() { w.run(ctx, cc) })
	}
	return ws
}

// stop ends the streams (before the server stops: it would wait for
// them) and waits for their goroutines.
func (ws *watchers) stop() {
	ws.once.Do(func() {
		ws.cancel()
		ws.wg.Wait()
	})
}

func (w *eventWatcher) run(ctx context.Context, cc callcontrolv1connect.CallControlServiceClient) {
	stream, err := cc.WatchEvents(ctx, &callcontrolv1.WatchEventsRequest{})
	if err != nil {
		w.err = err
		return
	}
	defer stream.Close()
	var prev int64
	for {
		res, err := stream.Receive()
		if err != nil {
			if ctx.Err() == nil {
				w.err = err
			}
			return
		}
		at := time.Now()
		ev := res.GetEvent()
		if prev != 0 && ev.GetSequence() != prev+1 {
			w.gaps++
		}
		prev = ev.GetSequence()
		if call := ev.GetCall(); call != nil {
			if _, ok := w.first[call.GetId()]; !ok {
				w.first[call.GetId()] = seen{seq: prev, line: ev.GetLine(), at: at}
			}
			if _, ok := w.connected[call.GetId()]; !ok && call.GetState() == callcontrolv1.CallState_CALL_STATE_CONNECTED {
				w.connected[call.GetId()] = at
			}
		}
		w.lastAt = at
		w.last.Store(prev)
	}
}

// settle waits until no call is in progress and every stream has
// received every event, and returns the newest sequence; after 15 s it
// gives up and returns an error saying what was left.
func (ws *watchers) settle(ctx context.Context, cc callcontrolv1connect.CallControlServiceClient) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var seq int64
	calls := -1
	for {
		list, err := cc.ListCalls(ctx, &callcontrolv1.ListCallsRequest{})
		if err == nil {
			seq, calls = list.GetSequence(), len(list.GetCalls())
			if calls == 0 && ws.allAt(seq) {
				return seq, nil
			}
		}
		select {
		case <-ctx.Done():
			return seq, fmt.Errorf("not settled after 15s: %d calls in progress, streams behind sequence %d: %d (last error %v)",
				calls, seq, ws.behind(seq), err)
		case <-tick.C:
		}
	}
}

func (ws *watchers) behind(seq int64) int {
	n := 0
	for _, w := range ws.w {
		if w.last.Load() < seq {
			n++
		}
	}
	return n
}

func (ws *watchers) allAt(seq int64) bool {
	for _, w := range ws.w {
		if w.last.Load() < seq {
			return false
		}
	}
	return true
}

func (ws *watchers) gaps() int {
	n := 0
	for _, w := range ws.w {
		n += w.gaps
	}
	return n
}

// delivered counts the events after base received by all streams, and
// when the last of them arrived. Call after stop.
func (ws *watchers) delivered(base int64) (int64, time.Time) {
	var n int64
	var until time.Time
	for _, w := range ws.w {
		n += w.last.Load() - base
		if w.lastAt.After(until) {
			until = w.lastAt
		}
	}
	return n, until
}

// delays matches the phones' calls to the calls the streams saw and adds
// each stream's delays. A caller's line carries one call at a time, so
// the k-th call its phone placed is the k-th call id that appeared on
// that line. It returns how many expected events some stream lacks.
func (ws *watchers) delays(calls []phoneCall, base int64, invite, answer *latencies) int {
	ids := ws.callIDs(base)
	byLine := map[string][]phoneCall{}
	for _, c := range calls {
		byLine[c.caller] = append(byLine[c.caller], c)
	}
	missing := 0
	for ext, cs := range byLine {
		slices.SortFunc(cs, func(a, b phoneCall) int { return a.invite.Compare(b.invite) })
		if len(ids[ext]) != len(cs) {
			missing += len(cs) * len(ws.w)
			continue
		}
		for k, c := range cs {
			id := ids[ext][k]
			theirs := strings.TrimSuffix(id, "."+c.caller) + "." + c.callee
			for _, w := range ws.w {
				s, ok1 := w.first[id]
				at, ok2 := w.connected[theirs]
				if !ok1 || !ok2 {
					missing++
					continue
				}
				invite.add(s.at.Sub(c.invite))
				answer.add(at.Sub(c.answer))
			}
		}
	}
	return missing
}

// callIDs lists, per line, the ids of the calls first seen after base,
// in order.
func (ws *watchers) callIDs(base int64) map[string][]string {
	type first struct {
		id string
		seen
	}
	var firsts []first
	for id, s := range ws.w[0].first {
		if s.seq > base {
			firsts = append(firsts, first{id, s})
		}
	}
	slices.SortFunc(firsts, func(a, b first) int { return cmp.Compare(a.seq, b.seq) })
	out := map[string][]string{}
	for _, f := range firsts {
		out[f.line] = append(out[f.line], f.id)
	}
	return out
}
