package phonetest

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"sync"
	"time"

	"github.com/pion/rtp"

	"github.com/switchboard-pbx/switchboard/media/codec"
)

// frame is 20 ms of 8 kHz audio.
const frame = 160

// keepSamples is how much received audio a call keeps for tone checks.
const keepSamples = 8000 // one second

// media is a call's RTP: a socket, a tone sender and a receiver that
// keeps the last second of decoded audio and the digits it saw.
type media struct {
	conn *net.UDPConn

	mu      sync.Mutex
	remote  *net.UDPAddr
	eventPT uint8
	tone    float64 // Hz; 0 sends silence
	sending bool
	recv    []int16 // ring of the newest samples
	lastPkt time.Time
	packets int
	digits  chan rune
	lastEvt uint32 // timestamp of the last digit reported
	started bool
	closed  bool
	done    chan struct{}
}

func newMedia() (*media, error) {
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	return &media{conn: conn, digits: make(chan rune, 32), done: make(chan struct{}), eventPT: 101}, nil
}

func (m *media) port() int { return m.conn.LocalAddr().(*net.UDPAddr).Port }

func (m *media) setRemote(a *net.UDPAddr, eventPT uint8) {
	m.mu.Lock()
	m.remote = a
	if eventPT != 0 {
		m.eventPT = eventPT
	}
	m.mu.Unlock()
}

// start runs the sender (silence until a tone is set) and the receiver.
func (m *media) start() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.started || m.closed {
		return
	}
	m.started = true
	go m.receive()
	go m.send()
}

func (m *media) close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return
	}
	m.closed = true
	close(m.done)
	m.conn.Close()
}

// send paces one PCMU packet every 20 ms.
func (m *media) send() {
	pkt := rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: codec.PayloadPCMU,
		SequenceNumber: uint16(rand.Uint32()), Timestamp: rand.Uint32(), SSRC: rand.Uint32()}}
	pcm := make([]int16, frame)
	payload := make([]byte, frame)
	buf := make([]byte, 1500)
	phase := 0.0
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-m.done:
			return
		case <-tick.C:
		}
		m.mu.Lock()
		remote, tone, sending := m.remote, m.tone, m.sending
		m.mu.Unlock()
		if remote == nil || !sending {
			continue
		}
		clear(pcm)
		if tone > 0 {
			codec.Sine(pcm, tone, 8000, &phase)
		}
		codec.EncodeULaw(payload, pcm)
		pkt.Payload = payload
		n, err := pkt.MarshalTo(buf)
		if err == nil {
			_, _ = m.conn.WriteToUDP(buf[:n], remote)
		}
		pkt.SequenceNumber++
		pkt.Timestamp += frame
	}
}

// receive decodes PCMU into the ring and reports RFC 4733 digits.
func (m *media) receive() {
	buf := make([]byte, 1500)
	pcm := make([]int16, 1500)
	var pkt rtp.Packet
	for {
		n, _, err := m.conn.ReadFromUDP(buf)
		if err != nil {
			return
		}
		if pkt.Unmarshal(buf[:n]) != nil {
			continue
		}
		m.mu.Lock()
		m.packets++
		m.lastPkt = time.Now()
		switch pkt.PayloadType {
		case codec.PayloadPCMU:
			k := codec.DecodeULaw(pcm, pkt.Payload)
			m.recv = append(m.recv, pcm[:k]...)
			if len(m.recv) > 2*keepSamples {
				m.recv = append(m.recv[:0], m.recv[len(m.recv)-keepSamples:]...)
			}
		case codec.PayloadPCMA:
			k := codec.DecodeALaw(pcm, pkt.Payload)
			m.recv = append(m.recv, pcm[:k]...)
		case m.eventPT:
			m.event(pkt)
		}
		m.mu.Unlock()
	}
}

// event reports a digit once per event (its timestamp). Callers hold m.mu.
func (m *media) event(pkt rtp.Packet) {
	ev, err := codec.UnmarshalEvent(pkt.Payload)
	if err != nil || !ev.End || pkt.Timestamp == m.lastEvt {
		return
	}
	m.lastEvt = pkt.Timestamp
	if d, ok := codec.CodeToDigit(ev.Code); ok {
		select {
		case m.digits <- d:
		default:
		}
	}
}

// recent returns a copy of the newest n samples, or none when nothing has
// arrived for a while (a phone hears silence when no RTP comes).
func (m *media) recent(n int) []int16 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if time.Since(m.lastPkt) > 200*time.Millisecond {
		return nil
	}
	if len(m.recv) < n {
		n = len(m.recv)
	}
	return append([]int16(nil), m.recv[len(m.recv)-n:]...)
}

// PlayTone starts sending a continuous tone of freq Hz (0: silence).
func (c *Call) PlayTone(freq float64) {
	c.media.mu.Lock()
	c.media.tone, c.media.sending = freq, true
	c.media.mu.Unlock()
}

// StopSending stops sending RTP altogether (to test media timeouts).
func (c *Call) StopSending() {
	c.media.mu.Lock()
	c.media.sending = false
	c.media.mu.Unlock()
}

// Hears reports whether the last 200 ms received are dominated by freq.
func (c *Call) Hears(freq float64) bool {
	s := c.media.recent(1600)
	return len(s) == 1600 && codec.DetectTone(s, freq)
}

// HearsAmong reports whether freq is one of the voices in the last 200 ms
// received (at least a quarter of the energy): for a conference, where
// each party hears a mix of the others.
func (c *Call) HearsAmong(freq float64) bool {
	s := c.media.recent(1600)
	return len(s) == 1600 && codec.DetectToneMin(s, freq, 0.25)
}

// WaitToneAmong waits until freq is one of the voices heard (HearsAmong).
func (c *Call) WaitToneAmong(ctx context.Context, freq float64) error {
	return poll(ctx, func() bool { return c.HearsAmong(freq) })
}

// ErrTimeout is returned when something did not happen in time.
var ErrTimeout = errors.New("phonetest: timed out")

// WaitTone waits until the call hears freq, polling every 20 ms.
func (c *Call) WaitTone(ctx context.Context, freq float64) error {
	return poll(ctx, func() bool { return c.Hears(freq) })
}

// WaitSilenceOf waits until freq is no longer heard.
func (c *Call) WaitSilenceOf(ctx context.Context, freq float64) error {
	return poll(ctx, func() bool { return !c.Hears(freq) })
}

// Digits delivers RFC 4733 digits received on the call.
func (c *Call) Digits() <-chan rune { return c.media.digits }

// Packets returns how many RTP packets the call has received.
func (c *Call) Packets() int {
	c.media.mu.Lock()
	defer c.media.mu.Unlock()
	return c.media.packets
}

func poll(ctx context.Context, cond func() bool) error {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			return ErrTimeout
		case <-t.C:
		}
	}
	return nil
}
