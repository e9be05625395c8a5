package sipua

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
	"github.com/google/uuid"

	"github.com/switchboard-pbx/switchboard/media/mixer"
	"github.com/switchboard-pbx/switchboard/media/rtpsession"
	"github.com/switchboard-pbx/switchboard/media/sdpneg"
)

// LegState is a leg's state, as reported to the Observer.
type LegState int

// Leg states.
const (
	LegTrying LegState = iota + 1
	LegRinging
	LegAnswered
	LegEnded
)

// EndReason says why a leg ended.
type EndReason int

// End reasons.
const (
	EndNone EndReason = iota
	EndNormal
	EndBusy
	EndNoAnswer
	EndRejected
	EndUnreachable
	EndCanceled
	EndMediaTimeout
	EndCommanded
	EndFailed
	EndTransferred
	EndParked
)

const endCommanded = EndCommanded

// LegInfo is a snapshot of one leg for observers and listings.
type LegInfo struct {
	ID        string
	CallID    string // the switch's call id, shared by the legs of a call
	State     LegState
	Inbound   bool // the phone sent the INVITE
	UserID    string
	DeviceID  string
	Dialed    string
	Caller    string
	SIPCallID string
	Codec     string
	Start     time.Time
	Answer    time.Time
	End       EndReason
	SIPStatus int
	Held      bool
	Calling   bool   // the party on this leg placed the call
	Holding   bool   // this leg's user put the other party on hold
	Related   string // the other call of a consultation (see Consult)
	// Conferenced is set while the leg is a member of a conference.
	Conferenced bool
	// RoutePointID is set on a route point's leg: the application's side
	// of a call to a route point (it has no phone).
	RoutePointID string
}

// leg is one side of a call.
type leg struct {
	info   LegInfo
	ports  *rtpsession.Ports
	rtp    *rtpsession.Leg
	local  sdpneg.Local
	remote *sdpneg.Media
	server *sipgo.DialogServerSession // inbound leg
	client *sipgo.DialogClientSession // outbound leg
	cancel context.CancelFunc         // outbound leg: stops ringing (CANCEL)
	byeIn  bool                       // the far end sent BYE: do not send one

	// A ringing fork's answer is taken by the ringing loop or ended
	// (ACK, BYE) by whoever gave up on the fork; see claim and drop.
	answered bool // its 2xx was claimed for the ringing loop
	dropped  bool // the ringing loop gave up on it

	consult *call // the consultation call this leg's user placed (Consult)
	alias   *leg  // in a consultation call: the phone's leg it borrows dialog and media from

	mixed *rtpsession.Endpoint // a conference member's endpoint in the mixer, while mixed
}

// call is two legs bridged by the switch: a (the caller's inbound leg) and
// b (the answering outbound leg); before answer, forks are the outbound
// legs ringing in parallel.
type call struct {
	ua         *UA
	id         string
	offer      *sdpneg.Media // the caller's offer
	aAnswered  bool          // a is already answered (a transferred party): never respond to it
	originated bool          // the switch placed the call (Originate): a is an outbound leg
	callerExt  string        // the calling number, for From headers
	callerName string        // the calling party's display name
	dialed     string        // the number dialled
	ctx        context.Context
	cancel     context.CancelFunc

	reinviteMu sync.Mutex    // one re-INVITE at a time
	retargets  chan retarget // redirect and pickup requests while ringing
	mu         sync.Mutex
	a          *leg
	b          *leg
	forks      []*leg
	early      *leg   // fork whose early media the caller hears
	answerA    []byte // SDP answer sent (or to send) to the caller
	ringing    bool   // 180 or 183 sent to the caller
	relay      *rtpsession.Relay
	relayB     *leg               // the leg the relay connects to the caller
	player     *rtpsession.Player // music on hold while holdBy holds the call
	holdBy     *leg
	ended      bool
	consultOf  *call         // the call this consultation call was made from
	conf       *mixer.Mixer  // set when the call is a conference (conference.go)
	members    []*leg        // the conference's members
	appLeg     *leg          // the route point's leg of a call offered to an application
	appAnswer  chan struct{} // AnswerApp while the route point rings
	app        *appMedia     // the switch's media end once the application answered
	rec        *recording    // the recording in progress, if any
}

func newCall(u *UA) *call {
	ctx, cancel := context.WithCancel(u.closeCtx)
	return &call{ua: u, id: uuid.NewString(), ctx: ctx, cancel: cancel, retargets: make(chan retarget, 1)}
}

// callRegistry finds calls by leg id and by SIP dialog.
type callRegistry struct {
	mu       sync.Mutex
	byLeg    map[string]*call
	byDialog map[string]*call // sipgo dialog id -> call
	keys     map[*call]*callKeys
}

// callKeys are the entries of one call, so that remove costs the call's
// own entries, not a scan of every call.
type callKeys struct{ legs, dialogs []string }

func newCallRegistry() *callRegistry {
	return &callRegistry{byLeg: make(map[string]*call), byDialog: make(map[string]*call),
		keys: make(map[*call]*callKeys)}
}

// keysOf returns c's entry list. Callers hold r.mu.
func (r *callRegistry) keysOf(c *call) *callKeys {
	k := r.keys[c]
	if k == nil {
		k = &callKeys{}
		r.keys[c] = k
	}
	return k
}

func (r *callRegistry) addLeg(id string, c *call) {
	r.mu.Lock()
	r.byLeg[id] = c
	k := r.keysOf(c)
	k.legs = append(k.legs, id)
	r.mu.Unlock()
}

func (r *callRegistry) addDialog(id string, c *call) {
	r.mu.Lock()
	r.byDialog[id] = c
	k := r.keysOf(c)
	k.dialogs = append(k.dialogs, id)
	r.mu.Unlock()
}

func (r *callRegistry) dialog(id string) *call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byDialog[id]
}

func (r *callRegistry) leg(id string) *call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byLeg[id]
}

// remove forgets every entry of c.
func (r *callRegistry) remove(c *call) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := r.keys[c]
	if k == nil {
		return
	}
	delete(r.keys, c)
	for _, id := range k.legs {
		if r.byLeg[id] == c {
			delete(r.byLeg, id)
		}
	}
	for _, id := range k.dialogs {
		if r.byDialog[id] == c {
			delete(r.byDialog, id)
		}
	}
}

func (r *callRegistry) each(fn func(*call)) {
	r.mu.Lock()
	calls := make(map[*call]bool, len(r.byLeg))
	for _, c := range r.byLeg {
		calls[c] = true
	}
	r.mu.Unlock()
	for c := range calls {
		fn(c)
	}
}

// Legs returns a snapshot of every leg in progress.
func (u *UA) Legs() []LegInfo {
	var out []LegInfo
	u.calls.each(func(c *call) {
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, l := range c.legs() {
			out = append(out, l.info)
		}
	})
	return out
}

// Hangup ends the call the leg belongs to. It reports false for an
// unknown leg.
func (u *UA) Hangup(legID string) bool {
	c := u.calls.leg(legID)
	if c == nil {
		return false
	}
	if c.conferenced() {
		c.mu.Lock()
		l := c.member(legID)
		c.mu.Unlock()
		if l != nil {
			c.leave(l, EndCommanded)
			return true
		}
	}
	c.hangup(EndCommanded)
	return true
}

// legs returns the call's live legs (caller, answered callee, forks).
func (c *call) legs() []*leg {
	var out []*leg
	if c.a != nil {
		out = append(out, c.a)
	}
	if c.b != nil {
		out = append(out, c.b)
	}
	for _, f := range c.forks {
		if f != c.b {
			out = append(out, f)
		}
	}
	for _, m := range c.members {
		if m != c.a && m != c.b {
			out = append(out, m)
		}
	}
	return out
}

// removeFork forgets a ringing leg. Callers hold c.mu.
func (c *call) removeFork(f *leg) {
	c.forks = slices.DeleteFunc(c.forks, func(o *leg) bool { return o == f })
}

// closeRelayLocked stops the call's relay, and a recording of it. Callers
// hold c.mu.
func (c *call) closeRelayLocked() {
	if c.relay == nil {
		return
	}
	c.stopRecordingLocked()
	c.relay.Close()
	c.relay, c.relayB = nil, nil
}

// setState changes a leg's state and tells the observer. Callers hold c.mu.
func (c *call) setState(l *leg, s LegState) {
	l.info.State = s
	if s == LegAnswered {
		l.info.Answer = time.Now()
	}
	c.ua.cfg.observer.LegChanged(l.info)
}

// newLeg creates a leg with RTP ports and registers it.
func (c *call) newLeg(inbound bool) (*leg, error) {
	ports, err := c.ua.cfg.ports.Allocate()
	if err != nil {
		return nil, err
	}
	l := &leg{ports: ports, info: LegInfo{ID: uuid.NewString(), CallID: c.id, Inbound: inbound,
		State: LegTrying, Start: time.Now()}}
	l.local = *sdpneg.NewLocal(c.ua.mediaIP(), ports.RTPPort())
	l.rtp = rtpsession.NewLeg(ports)
	c.ua.calls.addLeg(l.info.ID, c)
	return l, nil
}

// inDialog reports whether req belongs to an existing dialog (has a To tag).
func inDialog(req *sip.Request) bool {
	to := req.To()
	return to != nil && to.Params != nil && to.Params.Has("tag")
}
