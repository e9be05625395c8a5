package mixer

import (
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/pion/rtp"

	"github.com/switchboard-pbx/switchboard/media/codec"
	"github.com/switchboard-pbx/switchboard/media/rtpsession"
)

// recvTimeout bounds every wait for a packet; reaching it fails the test.
const recvTimeout = 5 * time.Second

var (
	poolOnce sync.Once
	pool     *rtpsession.PortPool
	poolErr  error
)

// newLeg allocates a leg from this package's own port range, apart from
// the ranges other packages' tests use.
func newLeg(t *testing.T) *rtpsession.Leg {
	t.Helper()
	poolOnce.Do(func() {
		pool, poolErr = rtpsession.NewPortPool(net.IPv4(127, 0, 0, 1), 41000, 41199)
	})
	if poolErr != nil {
		t.Fatal(poolErr)
	}
	ports, err := pool.Allocate()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Release(ports) })
	return rtpsession.NewLeg(ports)
}

// phone is a loopback RTP peer that talks a tone in 20 ms packets and
// listens to what it is sent.
type phone struct {
	conn *net.UDPConn
	freq float64
	law  uint8
	buf  []byte
}

func newPhone(t *testing.T, freq float64, law uint8) *phone {
	t.Helper()
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &phone{conn: conn, freq: freq, law: law, buf: make([]byte, 2048)}
}

func (p *phone) addr() *net.UDPAddr { return p.conn.LocalAddr().(*net.UDPAddr) }

// talk sends the phone's tone to leg every 20 ms until stop is closed.
func (p *phone) talk(leg *rtpsession.Leg, stop <-chan struct{}, wg *sync.WaitGroup) {
	to := leg.Ports().LocalRTP()
	ssrc := uint32(p.freq)
	wg.Go(func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		var phase float64
		pcm := make([]int16, rtpsession.FrameSamples)
		pkt := rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: p.law, SSRC: ssrc}, Payload: make([]byte, rtpsession.FrameSamples)}
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			codec.Sine(pcm, p.freq, 8000, &phase)
			if p.law == codec.PayloadPCMA {
				codec.EncodeALaw(pkt.Payload, pcm)
			} else {
				codec.EncodeULaw(pkt.Payload, pcm)
			}
			b, err := pkt.Marshal()
			if err != nil {
				panic(err)
			}
			_, _ = p.conn.WriteToUDP(b, to)
			pkt.SequenceNumber++
			pkt.Timestamp += rtpsession.FrameSamples
		}
	})
}

// heard is what a phone received.
type heard struct {
	pcm     []int16
	packets []rtp.Header
}

// listen receives n RTP packets and decodes them in the phone's codec.
func (p *phone) listen(n int) (heard, error) {
	var h heard
	for range n {
		pkt, err := p.recv(recvTimeout)
		if err != nil {
			return h, err
		}
		if pkt.PayloadType != p.law {
			return h, fmt.Errorf("payload type %d, want %d", pkt.PayloadType, p.law)
		}
		pcm := make([]int16, len(pkt.Payload))
		if p.law == codec.PayloadPCMA {
			codec.DecodeALaw(pcm, pkt.Payload)
		} else {
			codec.DecodeULaw(pcm, pkt.Payload)
		}
		h.pcm = append(h.pcm, pcm...)
		h.packets = append(h.packets, pkt.Header)
	}
	return h, nil
}

func (p *phone) recv(timeout time.Duration) (*rtp.Packet, error) {
	if err := p.conn.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		return nil, err
	}
	n, err := p.conn.Read(p.buf)
	if err != nil {
		return nil, err
	}
	var pkt rtp.Packet
	if err := pkt.Unmarshal(p.buf[:n]); err != nil {
		return nil, err
	}
	return &pkt, nil
}

// drain discards every packet already received: it reads until none comes
// for a while. Packets come every 20 ms, so it ends between two of them.
func (p *phone) drain(t *testing.T) {
	t.Helper()
	for {
		_, err := p.recv(5 * time.Millisecond)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// listenAll makes every phone listen to n packets at the same time.
func listenAll(t *testing.T, phones []*phone, n int) []heard {
	t.Helper()
	out := make([]heard, len(phones))
	errs := make([]error, len(phones))
	var wg sync.WaitGroup
	for i, p := range phones {
		wg.Go(func() { out[i], errs[i] = p.listen(n) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("phone %d (%v Hz): %v", i, phones[i].freq, err)
		}
	}
	return out
}

// checkStream checks that the packets are one stream without a gap.
func checkStream(t *testing.T, name string, pkts []rtp.Header) {
	t.Helper()
	for i := 1; i < len(pkts); i++ {
		prev, cur := pkts[i-1], pkts[i]
		if cur.SSRC != prev.SSRC || cur.SequenceNumber != prev.SequenceNumber+1 || int32(cur.Timestamp-prev.Timestamp) < rtpsession.FrameSamples {
			t.Errorf("%s: packet %d: SSRC %#x seq %d ts %d after SSRC %#x seq %d ts %d", name, i,
				cur.SSRC, cur.SequenceNumber, cur.Timestamp, prev.SSRC, prev.SequenceNumber, prev.Timestamp)
			return
		}
	}
}

// TestConference joins three phones, each talking its own tone, one of
// them in A-law and one of them coming from a relay: each hears the other
// two and not itself. Then one leaves: the other two stop hearing it, and
// its leg can go back into a relay.
func TestConference(t *testing.T) {
	t.Parallel()
	phones := []*phone{
		newPhone(t, 500, codec.PayloadPCMU),
		newPhone(t, 1000, codec.PayloadPCMA),
		newPhone(t, 1500, codec.PayloadPCMU),
	}
	legs := make([]*rtpsession.Leg, len(phones))
	for i, p := range phones {
		legs[i] = newLeg(t)
		if i != 2 { // the third leg latches instead
			legs[i].SetRemote(p.addr())
		}
	}

	// Phone 0 is in a call first: a relay to a fourth leg.
	other, otherPhone := newLeg(t), newPhone(t, 300, codec.PayloadPCMU)
	other.SetRemote(otherPhone.addr())
	relay := rtpsession.NewRelay(other, legs[0])
	if err := relay.Start(); err != nil {
		t.Fatal(err)
	}
	pkt := rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: 7, SSRC: 9}, Payload: make([]byte, 160)}
	b, _ := pkt.Marshal()
	if _, err := otherPhone.conn.WriteToUDP(b, other.Ports().LocalRTP()); err != nil {
		t.Fatal(err)
	}
	inCall, err := phones[0].recv(recvTimeout)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewMixer(t).Add(legs[0]); !errors.Is(err, rtpsession.ErrLegInUse) {
		t.Fatalf("Add of a bridged leg: %v, want ErrLegInUse", err)
	}
	relay.Close()

	m := NewMixer(t)
	for i, p := range phones {
		if _, err := m.Add(legs[i], rtpsession.ListenCodec(p.law, p.law)); err != nil {
			t.Fatal(err)
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	defer func() { close(stop); wg.Wait() }()
	for i, p := range phones {
		p.talk(legs[i], stop, &wg)
	}

	got := listenAll(t, phones, 40)
	for i, h := range got {
		name := fmt.Sprintf("phone %d (%v Hz)", i, phones[i].freq)
		checkStream(t, name, h.packets)
		for j, other := range phones {
			frac := codec.ToneFraction(h.pcm, other.freq)
			switch {
			case i == j && frac > 0.05:
				t.Errorf("%s hears itself: fraction %.3f", name, frac)
			case i != j && frac < 0.25:
				t.Errorf("%s does not hear %v Hz: fraction %.3f", name, other.freq, frac)
			}
		}
	}
	// Phone 0 heard one stream from the relay through the conference.
	first := got[0].packets[0]
	if first.SSRC != inCall.SSRC || first.SequenceNumber != inCall.SequenceNumber+1 {
		t.Errorf("conference stream SSRC %#x seq %d after the call's SSRC %#x seq %d",
			first.SSRC, first.SequenceNumber, inCall.SSRC, inCall.SequenceNumber)
	}

	// Phone 2 leaves (and keeps talking to its leg).
	if err := m.Remove(legs[2]); err != nil {
		t.Fatal(err)
	}
	if n := len(m.Members()); n != 2 {
		t.Fatalf("%d members after Remove", n)
	}
	stay := phones[:2]
	for _, p := range stay {
		p.drain(t)
	}
	got = listenAll(t, stay, 30)
	for i, h := range got {
		name := fmt.Sprintf("phone %d (%v Hz)", i, phones[i].freq)
		if frac := codec.ToneFraction(h.pcm, 1500); frac > 0.05 {
			t.Errorf("%s still hears the removed phone: fraction %.3f", name, frac)
		}
		if other := phones[1-i].freq; !codec.DetectTone(h.pcm, other) {
			t.Errorf("%s no longer hears %v Hz: fraction %.3f", name, other, codec.ToneFraction(h.pcm, other))
		}
	}
	// The removed leg is free for a relay again.
	r := rtpsession.NewRelay(legs[2], newLeg(t))
	if err := r.Start(); err != nil {
		t.Fatalf("relay on the removed leg: %v", err)
	}
	r.Close()
}

// NewMixer returns a mixer closed at the end of the test.
func NewMixer(t *testing.T) *Mixer {
	m := New()
	t.Cleanup(func() { m.Close() })
	return m
}

// TestMixerMembership checks the limits and errors of Add and Remove, and
// that Close frees every leg.
func TestMixerMembership(t *testing.T) {
	t.Parallel()
	m := NewMixer(t)
	legs := make([]*rtpsession.Leg, MaxMembers+1)
	for i := range legs {
		legs[i] = newLeg(t)
	}
	for _, leg := range legs[:MaxMembers] {
		if _, err := m.Add(leg); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := m.Add(legs[MaxMembers]); !errors.Is(err, ErrFull) {
		t.Errorf("7th member: %v, want ErrFull", err)
	}
	if _, err := m.Add(legs[0]); !errors.Is(err, ErrMember) {
		t.Errorf("member added twice: %v, want ErrMember", err)
	}
	if err := m.Remove(legs[MaxMembers]); !errors.Is(err, ErrNotMember) {
		t.Errorf("Remove of a stranger: %v, want ErrNotMember", err)
	}
	if err := m.SetMuted(legs[MaxMembers], true); !errors.Is(err, ErrNotMember) {
		t.Errorf("SetMuted of a stranger: %v, want ErrNotMember", err)
	}
	if _, err := legs[5].Listen(); !errors.Is(err, rtpsession.ErrLegInUse) {
		t.Errorf("Listen on a member: %v, want ErrLegInUse", err)
	}
	if _, err := m.Add(newLeg(t), rtpsession.ListenCodec(9, 9)); err == nil {
		t.Error("a G.722 member accepted")
	}
	if err := m.Remove(legs[3]); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Add(legs[MaxMembers]); err != nil {
		t.Fatalf("Add after Remove: %v", err)
	}
	members := m.Members()
	if len(members) != MaxMembers || members[MaxMembers-1] != legs[MaxMembers] {
		t.Errorf("members %v", members)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
	if _, err := m.Add(legs[3]); !errors.Is(err, ErrClosed) {
		t.Errorf("Add after Close: %v, want ErrClosed", err)
	}
	for i, leg := range legs {
		ep, err := leg.Listen()
		if err != nil {
			t.Fatalf("leg %d not freed by Close: %v", i, err)
		}
		ep.Close()
	}
}

// TestMixerMute mutes one of two talkers: the listener hears only the
// other, and the muted one still hears.
func TestMixerMute(t *testing.T) {
	t.Parallel()
	phones := []*phone{
		newPhone(t, 700, codec.PayloadPCMU),
		newPhone(t, 1300, codec.PayloadPCMU),
		newPhone(t, 400, codec.PayloadPCMU),
	}
	m := NewMixer(t)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	defer func() { close(stop); wg.Wait() }()
	legs := make([]*rtpsession.Leg, len(phones))
	for i, p := range phones {
		legs[i] = newLeg(t)
		legs[i].SetRemote(p.addr())
		if _, err := m.Add(legs[i]); err != nil {
			t.Fatal(err)
		}
		p.talk(legs[i], stop, &wg)
	}
	if err := m.SetMuted(legs[0], true); err != nil {
		t.Fatal(err)
	}
	for _, p := range phones {
		p.drain(t)
	}
	got := listenAll(t, phones, 30)
	if frac := codec.ToneFraction(got[2].pcm, 700); frac > 0.05 {
		t.Errorf("the muted phone is heard: fraction %.3f", frac)
	}
	if !codec.DetectTone(got[2].pcm, 1300) {
		t.Errorf("the unmuted phone is not heard: fraction %.3f", codec.ToneFraction(got[2].pcm, 1300))
	}
	if !codec.DetectToneMin(got[0].pcm, 1300, 0.25) || !codec.DetectToneMin(got[0].pcm, 400, 0.25) {
		t.Error("the muted phone does not hear the others")
	}
}

func TestSaturate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   int32
		want int16
	}{{0, 0}, {-5, -5}, {32767, 32767}, {32768, 32767}, {6 * 32767, 32767}, {-32768, -32768}, {-32769, -32768}, {-6 * 32768, -32768}} {
		if got := saturate(tc.in); got != tc.want {
			t.Errorf("saturate(%d) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// TestMixNoAllocs runs one mixing tick for six members. Not parallel:
// AllocsPerRun refuses parallel tests.
func TestMixNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	m := &Mixer{} // not running: the test drives the ticks
	pcm := make([]int16, rtpsession.FrameSamples)
	codec.Sine(pcm, 1000, 8000, nil)
	for range MaxMembers {
		p := newPhone(t, 1000, codec.PayloadPCMU)
		leg := newLeg(t)
		leg.SetRemote(p.addr())
		ep, err := leg.Listen()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ep.Close() })
		m.members = append(m.members, &member{leg: leg, ep: ep, untap: func() {}})
	}
	allocs := testing.AllocsPerRun(100, func() {
		for _, mb := range m.members {
			mb.queue.Push(pcm)
		}
		m.mix()
	})
	if allocs != 0 {
		t.Errorf("%v allocations per tick", allocs)
	}
}
