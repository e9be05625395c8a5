package rtpsession

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtp"
)

type relayState int

const (
	stateNew relayState = iota
	stateRunning
	stateClosed
)

// dtmfQueue is how many detected digits wait for the OnDTMF callback.
const dtmfQueue = 64

// Relay forwards RTP and RTCP between two legs. Create it with NewRelay,
// then Start it; Close stops it. Its setters are safe to call at any time
// from any goroutine.
type Relay struct {
	a, b *Leg
	cfg  config
	dirs [2]direction

	idle idleWatch                 // the media timeout, and when RTP last came
	tap  atomic.Pointer[PacketTap] // see relaytap.go; nil when not tapped

	mu      sync.Mutex // guards state and watches
	state   relayState
	done    chan struct{}
	watches *watchSet      // the RTCP sockets in a poller, or nil
	loops   sync.WaitGroup // reading goroutines
	looped  []*net.UDPConn // the sockets they read
	held    bool           // the legs' ports are held (Ports.hold) while read
	events  chan dtmfEvent
	// dispatching is set while a goroutine delivers queued digits to the
	// OnDTMF callback; it is started when a digit arrives and returns once
	// the queue is empty.
	dispatching atomic.Bool
}

type dtmfEvent struct {
	from  *Leg
	digit rune
}

// direction is one way through the relay: packets read from in are
// written to out, into the output stream tx that belongs to out.
type direction struct {
	id      Direction
	r       *Relay
	in, out *Leg
	tx      *output

	ptMap atomic.Pointer[ptTable]
	muted atomic.Bool
	ctr   counters

	// Owned by the goroutine reading in's RTP socket.
	hdr  rtp.Header
	dtmf dtmfState
}

// ptTable maps input payload types to output payload types.
type ptTable [128]uint8

// NewRelay returns a relay between legs a and b, not yet started.
func NewRelay(a, b *Leg, opts ...Option) *Relay {
	r := &Relay{a: a, b: b, cfg: defaultConfig(), done: make(chan struct{})}
	for _, o := range opts {
		o(&r.cfg)
	}
	r.dirs[AToB] = direction{id: AToB, r: r, in: a, out: b}
	r.dirs[BToA] = direction{id: BToA, r: r, in: b, out: a}
	for i := range r.dirs {
		if out := r.dirs[i].out; out != nil {
			r.dirs[i].tx = &out.tx
			out.tx.setRate(r.cfg.rate)
		}
	}
	return r
}

// A returns leg A.
func (r *Relay) A() *Leg { return r.a }

// B returns leg B.
func (r *Relay) B() *Leg { return r.b }

// Start begins forwarding: a goroutine per leg reads its RTP socket, the
// RTCP sockets join one of the package's pollers (reader_linux.go), and a
// goroutine delivers OnDTMF callbacks while digits are queued. It fails if
// the relay was started or closed before, or if a leg is part of another
// running relay.
func (r *Relay) Start() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.state == stateClosed:
		return ErrClosed
	case r.state == stateRunning:
		return errors.New("rtpsession: relay already started")
	case r.a == nil || r.b == nil || r.a == r.b:
		return errors.New("rtpsession: a relay needs two distinct legs")
	}
	if !r.a.owner.CompareAndSwap(nil, r) {
		return ErrLegInUse
	}
	if !r.b.owner.CompareAndSwap(nil, r) {
		r.a.owner.Store(nil)
		return ErrLegInUse
	}
	r.state = stateRunning
	if r.cfg.onDTMF != nil {
		r.events = make(chan dtmfEvent, dtmfQueue)
	}
	r.startReading()
	r.idle.start(r.cfg.timeout, r.cfg.onTimeout)
	return nil
}

// Close stops forwarding and waits until no packet of the relay is being
// handled. It does not close the legs' sockets: the caller releases the
// ports, or starts another relay with the legs. A callback already running
// is not waited for, so callbacks may call Close. Close is idempotent.
func (r *Relay) Close() error {
	r.mu.Lock()
	wasRunning := r.state == stateRunning
	if r.state == stateClosed {
		r.mu.Unlock()
		return nil
	}
	r.state = stateClosed
	close(r.done)
	r.idle.stop()
	r.mu.Unlock()
	if !wasRunning {
		return nil
	}
	r.stopReading()
	if r.events != nil {
		close(r.events)
	}
	r.a.owner.Store(nil)
	r.b.owner.Store(nil)
	return nil
}

// startReading starts a goroutine reading each leg's RTP socket and puts
// the RTCP sockets in a poller (or, where there is none, starts a
// goroutine for each of them too). It first holds both legs' ports: if
// either pair was released already, its sockets may belong to another
// call by now, and the relay reads and forwards nothing, as it did when
// Release closed them. Callers hold r.mu.
func (r *Relay) startReading() {
	if !r.a.ports.hold() {
		return
	}
	if !r.b.ports.hold() {
		r.a.ports.unhold()
		return
	}
	r.held = true
	rtp, rtcp := r.readers()
	if ws, err := watchSockets(rtcp); err == nil {
		r.watches = ws
	} else {
		for _, s := range rtcp {
			r.loops.Add(1)
			r.looped = append(r.looped, s.conn)
			go r.readLoop(s)
		}
	}
	for _, s := range rtp {
		r.loops.Add(1)
		r.looped = append(r.looped, s.conn)
		go r.readRTP(s)
	}
}

// stopReading undoes startReading once the relay is closed, and waits
// until no handler of the relay runs; only then are the ports unheld, so
// that a pair released afterwards is kept warm with no reader of this
// relay left on it.
func (r *Relay) stopReading() {
	if r.watches != nil {
		r.watches.stop()
	}
	// A deadline in the past wakes the reading goroutines; they see done
	// and return. The deadline is cleared afterwards so the sockets can be
	// used again.
	for _, c := range r.looped {
		_ = c.SetReadDeadline(time.Unix(1, 0))
	}
	r.loops.Wait()
	for _, c := range r.looped {
		_ = c.SetReadDeadline(time.Time{})
	}
	if r.held {
		r.a.ports.unhold()
		r.b.ports.unhold()
	}
}

// queuedDTMF makes sure a goroutine delivers the digits queued for the
// OnDTMF callback.
func (r *Relay) queuedDTMF() {
	if len(r.events) > 0 && r.dispatching.CompareAndSwap(false, true) {
		go r.dispatch(r.events)
	}
}

func (r *Relay) closed() bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

// SetPayloadMap sets how payload types are rewritten in one direction:
// m[in] = out. Types not in m pass unchanged; a target of PayloadNone drops
// packets of that type. A nil map restores the identity.
func (r *Relay) SetPayloadMap(dir Direction, m map[uint8]uint8) {
	if !dir.valid() {
		return
	}
	if m == nil {
		r.dirs[dir].ptMap.Store(nil)
		return
	}
	t := new(ptTable)
	for i := range t {
		t[i] = uint8(i)
	}
	for in, out := range m {
		if in > 127 {
			continue
		}
		if out > 127 {
			out = PayloadNone
		}
		t[in] = out
	}
	r.dirs[dir].ptMap.Store(t)
}

// SetMute stops (true) or resumes (false) forwarding RTP in one direction,
// for hold. RTCP keeps flowing. The output continues without a sequence
// gap when forwarding resumes.
func (r *Relay) SetMute(dir Direction, muted bool) {
	if dir.valid() {
		r.dirs[dir].muted.Store(muted)
	}
}

// Muted reports whether a direction is muted.
func (r *Relay) Muted(dir Direction) bool {
	return dir.valid() && r.dirs[dir].muted.Load()
}

// SSRC returns the SSRC of a direction's output stream: that of the leg
// the direction goes to (see Leg.SSRC).
func (r *Relay) SSRC(dir Direction) uint32 {
	if !dir.valid() || r.dirs[dir].out == nil {
		return 0
	}
	return r.dirs[dir].out.SSRC()
}

// Counters returns a snapshot of a direction's counters.
func (r *Relay) Counters(dir Direction) Counters {
	if !dir.valid() {
		return Counters{}
	}
	return r.dirs[dir].ctr.snapshot()
}

// towards returns the direction whose output goes to leg to.
func (r *Relay) towards(to *Leg) (*direction, error) {
	switch {
	case to == nil:
		return nil, ErrNotInRelay
	case to == r.b:
		return &r.dirs[AToB], nil
	case to == r.a:
		return &r.dirs[BToA], nil
	}
	return nil, ErrNotInRelay
}
