package recorder

import (
	"encoding/binary"
	"errors"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pion/rtp"

	"github.com/switchboard-pbx/switchboard/media/codec"
	"github.com/switchboard-pbx/switchboard/media/rtpsession"
)

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
		pool, poolErr = rtpsession.NewPortPool(net.IPv4(127, 0, 0, 1), 41200, 41399)
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

// phone is a loopback RTP peer that talks a tone in 20 ms packets.
type phone struct {
	conn  *net.UDPConn
	freq  float64
	law   uint8
	seq   uint16 // of the next packet
	phase float64
}

func newPhone(t *testing.T, freq float64, law uint8) *phone {
	t.Helper()
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &phone{conn: conn, freq: freq, law: law}
}

func (p *phone) addr() *net.UDPAddr { return p.conn.LocalAddr().(*net.UDPAddr) }

// talk sends frames packets of the phone's tone to leg, one every 20 ms,
// and returns when they are sent. between, if not nil, runs after each
// packet with its index.
func (p *phone) talk(t *testing.T, leg *rtpsession.Leg, frames int, between func(i int)) {
	to := leg.Ports().LocalRTP()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	pcm := make([]int16, rtpsession.FrameSamples)
	pkt := rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: p.law, SSRC: uint32(p.freq)}, Payload: make([]byte, rtpsession.FrameSamples)}
	for i := range frames {
		<-tick.C
		pkt.SequenceNumber = p.seq
		pkt.Timestamp = uint32(p.seq) * rtpsession.FrameSamples
		p.seq++
		codec.Sine(pcm, p.freq, 8000, &p.phase)
		if p.law == codec.PayloadPCMA {
			codec.EncodeALaw(pkt.Payload, pcm)
		} else {
			codec.EncodeULaw(pkt.Payload, pcm)
		}
		b, err := pkt.Marshal()
		if err != nil {
			t.Error(err)
			return
		}
		if _, err := p.conn.WriteToUDP(b, to); err != nil {
			t.Error(err)
			return
		}
		if between != nil {
			between(i)
		}
	}
}

// readRecording checks the saved file is a complete WAV (header sizes
// patched, nothing left over in the directory) and returns its channels.
func readRecording(t *testing.T, path string) [][]int16 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 44 {
		t.Fatalf("recording of %d bytes", len(b))
	}
	if riff, data := binary.LittleEndian.Uint32(b[4:]), binary.LittleEndian.Uint32(b[40:]); int(riff) != len(b)-8 || int(data) != len(b)-44 {
		t.Errorf("header sizes RIFF %d data %d in a file of %d bytes", riff, data, len(b))
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("%d files in the directory, want just the recording", len(entries))
	}
	chans, err := codec.DecodeWAVChannels(b)
	if err != nil {
		t.Fatal(err)
	}
	return chans
}

// toneBlocks returns the indexes of the 20 ms blocks of pcm where freq
// dominates.
func toneBlocks(pcm []int16, freq float64) []int {
	var blocks []int
	for i := 0; i+codec.ToneBlock <= len(pcm); i += codec.ToneBlock {
		if codec.DetectTone(pcm[i:i+codec.ToneBlock], freq) {
			blocks = append(blocks, i/codec.ToneBlock)
		}
	}
	return blocks
}

// TestRecordRelay records a call where A says 1 kHz and B 600 Hz in
// A-law; half way B is put on hold (its direction muted). The left channel
// holds A's tone and the right B's, B's ending before A's while the
// channels stay the same length.
func TestRecordRelay(t *testing.T) {
	t.Parallel()
	pa, pb := newPhone(t, 1000, codec.PayloadPCMU), newPhone(t, 600, codec.PayloadPCMA)
	a, b := newLeg(t), newLeg(t)
	a.SetRemote(pa.addr())
	b.SetRemote(pb.addr())
	r := rtpsession.NewRelay(a, b)
	if err := r.Start(); err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	path := filepath.Join(t.TempDir(), "call.wav")
	rec, err := StartRelay(r, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := StartRelay(r, filepath.Join(t.TempDir(), "again.wav")); !errors.Is(err, rtpsession.ErrTapped) {
		t.Errorf("second recording of the relay: %v, want ErrTapped", err)
	}
	const frames, holdAt = 50, 25
	var wg sync.WaitGroup
	wg.Go(func() { pa.talk(t, a, frames, nil) })
	pb.talk(t, b, frames, func(i int) {
		if i == holdAt-1 {
			r.SetMute(rtpsession.BToA, true)
		}
	})
	wg.Wait()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the recording is at its path before Stop: %v", err)
	}
	if err := rec.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := rec.Stop(); err != nil {
		t.Fatal("second Stop:", err)
	}
	chans := readRecording(t, path)
	if len(chans) != 2 {
		t.Fatalf("%d channels", len(chans))
	}
	left, right := chans[0], chans[1]
	if !codec.DetectTone(left, 1000) || codec.DetectToneMin(left, 600, 0.05) {
		t.Errorf("left channel: 1000 Hz fraction %.3f, 600 Hz %.3f", codec.ToneFraction(left, 1000), codec.ToneFraction(left, 600))
	}
	if !codec.DetectTone(right, 600) || codec.DetectToneMin(right, 1000, 0.05) {
		t.Errorf("right channel: 600 Hz fraction %.3f, 1000 Hz %.3f", codec.ToneFraction(right, 600), codec.ToneFraction(right, 1000))
	}
	// On hold the right channel is silent while the left goes on: B's
	// last tone block is well before A's. The two queues skew the
	// channels by four frames at most.
	la, lb := toneBlocks(left, 1000), toneBlocks(right, 600)
	if len(la) == 0 || len(lb) == 0 {
		t.Fatal("no tone blocks")
	}
	if lastA, lastB := la[len(la)-1], lb[len(lb)-1]; lastA-lastB < (frames-holdAt)/2 {
		t.Errorf("B's tone ends at block %d, A's at %d: hold not silent", lastB, lastA)
	}
	if len(lb) > holdAt || len(la) > frames {
		t.Errorf("%d blocks of A's tone and %d of B's, sent %d and %d", len(la), len(lb), frames, holdAt)
	}
	if got, want := rec.Duration(), time.Duration(len(left))*time.Second/8000; got != want {
		t.Errorf("Duration %v, file holds %v", got, want)
	}
}

// TestRecordEndpoint records what a route point's caller says.
func TestRecordEndpoint(t *testing.T) {
	t.Parallel()
	p := newPhone(t, 1000, codec.PayloadPCMA)
	leg := newLeg(t)
	ep, err := leg.Listen(rtpsession.ListenCodec(codec.PayloadPCMA, codec.PayloadPCMA))
	if err != nil {
		t.Fatal(err)
	}
	defer ep.Close()
	path := filepath.Join(t.TempDir(), "message.wav")
	rec, err := StartEndpoint(ep, path)
	if err != nil {
		t.Fatal(err)
	}
	p.talk(t, leg, 25, nil)
	if err := rec.Stop(); err != nil {
		t.Fatal(err)
	}
	chans := readRecording(t, path)
	if len(chans) != 1 {
		t.Fatalf("%d channels", len(chans))
	}
	if !codec.DetectTone(chans[0], 1000) {
		t.Errorf("tone not recorded: fraction %.3f", codec.ToneFraction(chans[0], 1000))
	}
	if n := len(toneBlocks(chans[0], 1000)); n == 0 || n > 25 {
		t.Errorf("%d blocks of tone from 25 frames sent", n)
	}
	// Stopping the recording left the endpoint working.
	var mu sync.Mutex
	got := 0
	ep.Tap(func([]int16) { mu.Lock(); got++; mu.Unlock() })
	p.talk(t, leg, 1, nil)
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := got
		mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the endpoint stopped delivering after the recording")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestRecordErrors(t *testing.T) {
	t.Parallel()
	leg := newLeg(t)
	ep, err := leg.Listen()
	if err != nil {
		t.Fatal(err)
	}
	defer ep.Close()
	if _, err := StartEndpoint(ep, filepath.Join(t.TempDir(), "missing", "x.wav")); err == nil {
		t.Error("recording into a missing directory accepted")
	}
	// A recording whose file was removed under it reports the failure.
	dir := t.TempDir()
	rec, err := StartEndpoint(ep, filepath.Join(dir, "x.wav"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := rec.Stop(); err == nil {
		t.Error("Stop succeeded without a directory to save into")
	}
}
