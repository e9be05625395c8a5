package rtpsession

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pion/rtp"

	"github.com/switchboard-pbx/switchboard/media/codec"
)

// frames collects what an endpoint tap receives.
type frames struct {
	mu  sync.Mutex
	pcm []int16
	n   int
}

func (f *frames) tap(pcm []int16) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(pcm) != FrameSamples {
		panic("tap got a frame of the wrong size")
	}
	f.pcm = append(f.pcm, pcm...)
	f.n++
}

func (f *frames) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

func (f *frames) samples() []int16 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.pcm)
}

// sendTone sends count packets of freq Hz, size samples each, encoded
// with law on payload type pt, from the phone to the leg.
func sendTone(p *phone, to *Leg, pt, law uint8, freq float64, size, count int, seq0 uint16) {
	var phase float64
	pcm := make([]int16, size)
	payload := make([]byte, size)
	for i := range count {
		codec.Sine(pcm, freq, 8000, &phase)
		if law == codec.PayloadPCMA {
			codec.EncodeALaw(payload, pcm)
		} else {
			codec.EncodeULaw(payload, pcm)
		}
		h := rtp.Header{PayloadType: pt, SequenceNumber: seq0 + uint16(i), Timestamp: uint32(i * size), SSRC: 0x51}
		p.sendRTP(to, h, payload)
	}
}

func listen(t *testing.T, leg *Leg, opts ...ListenOption) *Endpoint {
	t.Helper()
	ep, err := leg.Listen(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ep.Close() })
	return ep
}

// TestEndpointDecodesAudio sends tones in PCMU and PCMA, in 20 and 30 ms
// packets, and checks the tap gets whole 20 ms frames of the tone.
func TestEndpointDecodesAudio(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    []ListenOption
		pt, law uint8
		size    int
		freq    float64
	}{
		{"PCMU 20 ms", nil, 0, codec.PayloadPCMU, 160, 1000},
		{"PCMA 20 ms", []ListenOption{ListenCodec(8, codec.PayloadPCMA)}, 8, codec.PayloadPCMA, 160, 600},
		{"PCMU 30 ms", nil, 0, codec.PayloadPCMU, 240, 1500},
		{"PCMA by default on 8", nil, 8, codec.PayloadPCMA, 80, 800},
		{"dynamic type for PCMU", []ListenOption{ListenCodec(100, codec.PayloadPCMU)}, 100, codec.PayloadPCMU, 160, 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newPhone(t)
			leg := NewLeg(allocate(t))
			leg.SetRemote(p.rtpAddr())
			ep := listen(t, leg, tc.opts...)
			var got frames
			ep.Tap(got.tap)
			const packets = 20
			sendTone(p, leg, tc.pt, tc.law, tc.freq, tc.size, packets, 1)
			want := packets * tc.size / FrameSamples
			waitFor(t, "frames", func() bool { return got.count() >= want })
			heard := got.samples()
			if !codec.DetectTone(heard, tc.freq) {
				t.Errorf("%v Hz not detected (fraction %.3f)", tc.freq, codec.ToneFraction(heard, tc.freq))
			}
			if codec.DetectToneMin(heard, 2*tc.freq+100, 0.1) {
				t.Error("another tone detected")
			}
			c := ep.Counters()
			if c.Packets != packets || c.Frames != uint64(want) || c.Dropped != 0 {
				t.Errorf("counters %+v, want %d packets, %d frames", c, packets, want)
			}
			if ep.LastActivity().IsZero() {
				t.Error("no last activity")
			}
		})
	}
}

// TestEndpointDropsLateAndUnknown checks that duplicates, late packets and
// payload types other than audio are not decoded.
func TestEndpointDropsLateAndUnknown(t *testing.T) {
	t.Parallel()
	p := newPhone(t)
	leg := NewLeg(allocate(t))
	ep := listen(t, leg)
	var got frames
	ep.Tap(got.tap)
	p.sendRTP(leg, audio(10, 0, 1), frame(0x80))
	p.sendRTP(leg, audio(10, 0, 1), frame(0x81))                                         // duplicate
	p.sendRTP(leg, audio(9, 0, 1), frame(0x82))                                          // late
	p.sendRTP(leg, rtp.Header{PayloadType: 13, SequenceNumber: 11, SSRC: 1}, []byte{40}) // comfort noise
	p.sendRTP(leg, audio(12, 320, 1), frame(0x83))
	waitFor(t, "two frames", func() bool { return got.count() >= 2 })
	pcm := got.samples()
	want := make([]int16, 2)
	codec.DecodeULaw(want, []byte{0x80, 0x83})
	if len(pcm) != 2*FrameSamples || pcm[0] != want[0] || pcm[FrameSamples] != want[1] {
		t.Fatalf("frames start %v and %v, want %v", pcm[0], pcm[FrameSamples], want)
	}
	if c := ep.Counters(); c.Dropped != 3 {
		t.Errorf("dropped %d, want 3", c.Dropped)
	}
}

func TestEndpointDTMF(t *testing.T) {
	t.Parallel()
	p := newPhone(t)
	leg := NewLeg(allocate(t))
	leg.SetEventPayloadType(101)
	digits := make(chan rune, 8)
	ep := listen(t, leg, ListenOnDTMF(func(d rune) { digits <- d }))
	var audioFrames frames
	ep.Tap(audioFrames.tap)
	var seq uint16
	send := func(events []sentEvent) {
		for _, ev := range events {
			seq++
			h, b := eventPacket(101, seq, ev.ts, ev.marker, codec.Event{Code: ev.code, End: ev.end, Duration: ev.dur})
			p.sendRTP(leg, h, b)
		}
	}
	send(press(5, 1000))
	send(press(11, 3000)[1:]) // '#', start packet lost
	send(press(16, 5000))     // flash: not a digit
	send(press(1, 7000))
	var got []rune
	for len(got) < 3 {
		got = append(got, <-digits)
	}
	if string(got) != "5#1" {
		t.Errorf("digits %q, want %q", string(got), "5#1")
	}
	// The events were neither decoded as audio nor reported twice.
	seq++
	p.sendRTP(leg, audio(seq, 0, 0xD7), frame(0xFF))
	waitFor(t, "the audio frame", func() bool { return audioFrames.count() == 1 })
	select {
	case d := <-digits:
		t.Errorf("extra digit %q", d)
	default:
	}
	if c := ep.Counters(); c.Events != 3 {
		t.Errorf("events %d, want 3", c.Events)
	}
}

// TestEndpointOwnsLeg checks who may use a leg while it is listened to,
// and that Close gives it back to a relay with its latches kept.
func TestEndpointOwnsLeg(t *testing.T) {
	t.Parallel()
	p := newPhone(t)
	leg := NewLeg(allocate(t)) // no SDP address: the endpoint latches
	other := NewLeg(allocate(t))
	ep := listen(t, leg)
	if _, err := leg.Listen(); !errors.Is(err, ErrLegInUse) {
		t.Errorf("second Listen: %v, want ErrLegInUse", err)
	}
	if err := NewRelay(leg, other).Start(); !errors.Is(err, ErrLegInUse) {
		t.Errorf("relay on a listened leg: %v, want ErrLegInUse", err)
	}
	if err := leg.SendAudio(0, frame(0xFF)); !errors.Is(err, ErrNoRemote) {
		t.Errorf("SendAudio before latching: %v, want ErrNoRemote", err)
	}
	var got frames
	ep.Tap(got.tap)
	p.sendRTP(leg, audio(1, 0, 7), frame(0xFF))
	waitFor(t, "the first frame", func() bool { return got.count() == 1 })
	if r := leg.Remote(); r == nil || r.Port != p.rtpAddr().Port {
		t.Fatalf("remote %v after a packet from %v", r, p.rtpAddr())
	}
	// A Player plays to the listened leg, at the latched address.
	pl, err := leg.Play(&codec.Music{}, codec.PayloadPCMU)
	if err != nil {
		t.Fatalf("Play on a listened leg: %v", err)
	}
	if pkt := p.recvRTP(); pkt.SSRC != leg.SSRC() || len(pkt.Payload) != FrameSamples {
		t.Errorf("player packet SSRC %#x, %d bytes", pkt.SSRC, len(pkt.Payload))
	}
	pl.Stop()
	if err := ep.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ep.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
	// The relay takes the leg with the latch the endpoint made.
	po := newPhone(t)
	other.SetRemote(po.rtpAddr())
	r := NewRelay(leg, other)
	if err := r.Start(); err != nil {
		t.Fatalf("relay after Close: %v", err)
	}
	defer r.Close()
	if _, err := leg.Listen(); !errors.Is(err, ErrLegInUse) {
		t.Errorf("Listen on a bridged leg: %v, want ErrLegInUse", err)
	}
	if _, err := leg.Play(&codec.Music{}, codec.PayloadPCMU); !errors.Is(err, ErrBridged) {
		t.Errorf("Play on a bridged leg: %v, want ErrBridged", err)
	}
	if err := leg.SendAudio(0, frame(1)); !errors.Is(err, ErrBridged) {
		t.Errorf("SendAudio on a bridged leg: %v, want ErrBridged", err)
	}
	p.sendRTP(leg, audio(2, 160, 7), frame(9))
	if got := po.recvRTP(); got.Payload[0] != 9 {
		t.Errorf("relay forwarded payload %d", got.Payload[0])
	}
}

// TestEndpointStrictLatching sends from a stranger after the leg latched.
func TestEndpointStrictLatching(t *testing.T) {
	t.Parallel()
	for _, strict := range []bool{true, false} {
		p, stranger := newPhone(t), newPhone(t)
		leg := NewLeg(allocate(t))
		ep := listen(t, leg, ListenStrictLatching(strict))
		var got frames
		ep.Tap(got.tap)
		p.sendRTP(leg, audio(1, 0, 7), frame(1))
		stranger.sendRTP(leg, audio(1, 0, 8), frame(2))
		p.sendRTP(leg, audio(2, 160, 7), frame(3))
		want := map[bool]int{true: 2, false: 3}[strict]
		waitFor(t, "frames", func() bool { return got.count()+int(ep.Counters().Dropped) >= 3 })
		if n := got.count(); n != want {
			t.Errorf("strict %v: %d frames, want %d", strict, n, want)
		}
	}
}

// TestEndpointUntap removes one of two taps and checks that it is no
// longer called while the other still is.
func TestEndpointUntap(t *testing.T) {
	t.Parallel()
	p := newPhone(t)
	leg := NewLeg(allocate(t))
	ep := listen(t, leg)
	var kept, removed frames
	ep.Tap(kept.tap)
	untap := ep.Tap(removed.tap)
	p.sendRTP(leg, audio(1, 0, 7), frame(1))
	waitFor(t, "both taps", func() bool { return kept.count() == 1 && removed.count() == 1 })
	untap()
	untap()
	for i := range 5 {
		p.sendRTP(leg, audio(uint16(2+i), 0, 7), frame(1))
	}
	waitFor(t, "the kept tap", func() bool { return kept.count() == 6 })
	if n := removed.count(); n != 1 {
		t.Errorf("removed tap called %d times, want 1", n)
	}
}

// TestEndpointCloseOnReleasedPorts closes an endpoint whose sockets were
// already released.
func TestEndpointCloseOnReleasedPorts(t *testing.T) {
	t.Parallel()
	pool := testPool(t)
	ports, err := pool.Allocate()
	if err != nil {
		t.Fatal(err)
	}
	ep, err := NewLeg(ports).Listen()
	if err != nil {
		t.Fatal(err)
	}
	pool.Release(ports)
	if err := ep.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestListenRejectsCodec(t *testing.T) {
	t.Parallel()
	leg := NewLeg(allocate(t))
	if _, err := leg.Listen(ListenCodec(9, 9)); err == nil {
		t.Fatal("G.722 accepted")
	}
	if _, err := leg.Listen(ListenCodec(200, 0)); err == nil {
		t.Fatal("payload type 200 accepted")
	}
	ep := listen(t, leg) // the failures left the leg free
	if pt, law := ep.Codec(); pt != 0 || law != codec.PayloadPCMU {
		t.Errorf("default codec %d/%d", pt, law)
	}
}

// TestEndpointNoAllocs runs the packet handler as the reading goroutine
// does. Not parallel: AllocsPerRun refuses parallel tests.
func TestEndpointNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	leg := NewLeg(allocate(t))
	leg.SetEventPayloadType(101)
	ep := &Endpoint{leg: leg, strict: true, done: make(chan struct{})}
	for i := range ep.laws {
		ep.laws[i] = PayloadNone
	}
	ep.laws[0] = codec.PayloadPCMU
	var sum int
	ep.Tap(func(pcm []int16) { sum += int(pcm[0]) })
	src := leg.Ports().LocalRTCP().AddrPort()
	ev := make([]byte, 4)
	if _, err := (codec.Event{Code: 5}).Marshal(ev); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		tmpl []byte
	}{
		{"audio", marshalRTP(t, audio(1, 0, 0xA), frame(1))},
		{"telephone event", marshalRTP(t, rtp.Header{PayloadType: 101, SequenceNumber: 1, SSRC: 0xA}, ev)},
		{"RTCP on the RTP port", receiverReport(0xA)},
	}
	buf := make([]byte, packetBuffer)
	var seq uint16
	for _, tc := range tests {
		allocs := testing.AllocsPerRun(1000, func() {
			n := copy(buf, tc.tmpl)
			if tc.tmpl[1] < 192 {
				seq++
				buf[2], buf[3] = byte(seq>>8), byte(seq)
			}
			ep.handleRTP(buf[:n], unmap(src))
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per packet", tc.name, allocs)
		}
	}
}

// TestEndpointMediaTimeout: an endpoint whose leg sends nothing times out
// once; one that keeps receiving RTP does not; one closed first does not.
func TestEndpointMediaTimeout(t *testing.T) {
	t.Parallel()
	const d = 300 * time.Millisecond
	fired := func(ch chan struct{}) func() {
		return func() { ch <- struct{}{} }
	}

	silent := make(chan struct{}, 2)
	quiet := NewLeg(allocate(t))
	listen(t, quiet, ListenMediaTimeout(d, fired(silent)))

	talking := make(chan struct{}, 2)
	p := newPhone(t)
	busy := NewLeg(allocate(t))
	busy.SetRemote(p.rtpAddr())
	listen(t, busy, ListenMediaTimeout(d, fired(talking)))

	closedFired := make(chan struct{}, 2)
	closed := NewLeg(allocate(t))
	ep := listen(t, closed, ListenMediaTimeout(d, fired(closedFired)))
	if err := ep.Close(); err != nil {
		t.Fatal(err)
	}

	stop := time.After(4 * d)
	for seq := uint16(1); ; seq++ {
		sendTone(p, busy, 0, codec.PayloadPCMU, 1000, 160, 1, seq)
		select {
		case <-stop:
		case <-time.After(20 * time.Millisecond):
			continue
		}
		break
	}
	select {
	case <-silent:
	default:
		t.Fatal("a leg silent for four times the timeout did not time out")
	}
	if len(silent) != 0 {
		t.Error("the silent leg timed out more than once")
	}
	if len(talking) != 0 {
		t.Error("a leg receiving RTP every 20 ms timed out")
	}
	if len(closedFired) != 0 {
		t.Error("a closed endpoint timed out")
	}
}

// TestEndpointTimeoutSuspended: a silent leg whose timeout is suspended
// (its phone holds the call) does not time out; resumed, it times out a
// full timeout later.
func TestEndpointTimeoutSuspended(t *testing.T) {
	t.Parallel()
	const d = 200 * time.Millisecond
	fired := make(chan time.Time, 2)
	leg := NewLeg(allocate(t))
	ep := listen(t, leg, ListenMediaTimeout(d, func() { fired <- time.Now() }))
	ep.SetTimeoutEnabled(false)
	select {
	case <-fired:
		t.Fatal("a suspended media timeout fired")
	case <-time.After(4 * d):
	}
	resumed := time.Now()
	ep.SetTimeoutEnabled(true)
	select {
	case at := <-fired:
		if at.Sub(resumed) < d {
			t.Fatalf("fired %v after resuming, before the full timeout %v", at.Sub(resumed), d)
		}
	case <-time.After(10 * d):
		t.Fatal("the resumed media timeout did not fire")
	}
}
