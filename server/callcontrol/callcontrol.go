// Package callcontrol is third-party call control in the manner of TAPI:
// it follows the switches' leg events, keeps a view of every call per line
// (extension) with its own state and version, numbers call events for a
// resumable stream, and carries out operations (MakeCall, Drop,
// SendDigits) through the switches' generated SwitchService.
package callcontrol

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1/switchv1connect"
	"github.com/switchboard-pbx/switchboard/media/eventlog"
	"github.com/switchboard-pbx/switchboard/server/config"
)

// State is a call's state on one line. The values match the API enum.
type State int

// Call states.
const (
	Idle       State = 1
	Dialing    State = 2
	Proceeding State = 3
	Ringback   State = 4
	Offering   State = 5
	Connected  State = 6
	OnHold     State = 7
	// OnHoldPendingTransfer is a held call whose line is consulting.
	OnHoldPendingTransfer State = 8
	// OnHoldPendingConference is a conference member consulting someone.
	OnHoldPendingConference State = 9
	Conferenced             State = 10
	Disconnected            State = 11
)

var stateNames = map[State]string{Idle: "IDLE", Dialing: "DIALING", Proceeding: "PROCEEDING",
	Ringback: "RINGBACK", Offering: "OFFERING", Connected: "CONNECTED", OnHold: "ON_HOLD",
	OnHoldPendingTransfer: "ON_HOLD_PENDING_TRANSFER", OnHoldPendingConference: "ON_HOLD_PENDING_CONFERENCE",
	Conferenced: "CONFERENCED", Disconnected: "DISCONNECTED"}

// String names the state as the API does.
func (s State) String() string { return stateNames[s] }

// Reason says why a call was disconnected. The values match the API enum.
type Reason int

// Disconnect reasons.
const (
	ReasonNone        Reason = 0
	ReasonNormal      Reason = 1
	ReasonBusy        Reason = 2
	ReasonNoAnswer    Reason = 3
	ReasonRejected    Reason = 4
	ReasonUnreachable Reason = 5
	ReasonTransferred Reason = 6
	ReasonParked      Reason = 7
	ReasonFailed      Reason = 8
)

// Action is an operation a call allows. The values match the API enum.
type Action int

// Actions.
const (
	ActionDrop       Action = 1
	ActionSendDigits Action = 2
	ActionHold       Action = 3
	ActionRetrieve   Action = 4
	ActionTransfer   Action = 5
	ActionRedirect   Action = 6
	ActionPickup     Action = 7
	ActionPark       Action = 8
	ActionConsult    Action = 9
	ActionComplete   Action = 10
	ActionAnswer     Action = 11
	ActionPlay       Action = 12
	ActionRecord     Action = 13
)

// Party is another party of a call.
type Party struct {
	Number string
	Name   string
}

// Call is a call as seen from one line. Snapshots are values: callers may
// keep them.
type Call struct {
	ID       string
	Line     string
	State    State
	Parties  []Party
	Outgoing bool
	Reason   Reason
	Dialed   string
	// RoutePoint is set on a route point's line (its application's view).
	RoutePoint bool
	Related    string // the handle of the other call of a consultation
	Start      time.Time
	Answer     time.Time
	Version    int64
}

// Allowed returns the operations valid in the call's state.
func (c Call) Allowed() []Action {
	if c.RoutePoint {
		switch c.State {
		case Offering:
			return []Action{ActionDrop, ActionRedirect, ActionAnswer}
		case Connected:
			return []Action{ActionDrop, ActionTransfer, ActionPlay, ActionRecord}
		case Disconnected, Idle:
			return nil
		}
		return []Action{ActionDrop}
	}
	switch c.State {
	case Connected:
		if c.Related != "" { // a consultation call
			return []Action{ActionDrop, ActionSendDigits, ActionComplete, ActionRecord}
		}
		return []Action{ActionDrop, ActionSendDigits, ActionHold, ActionTransfer, ActionPark, ActionConsult, ActionRecord}
	case OnHold:
		return []Action{ActionDrop, ActionRetrieve, ActionTransfer, ActionPark}
	case OnHoldPendingTransfer, OnHoldPendingConference:
		return []Action{ActionDrop, ActionComplete}
	case Conferenced:
		return []Action{ActionDrop, ActionSendDigits, ActionConsult}
	case Disconnected, Idle:
		return nil
	case Offering:
		return []Action{ActionDrop, ActionRedirect, ActionPickup}
	default:
		return []Action{ActionDrop}
	}
}

// Event is a numbered call event on a line: a call snapshot or a digit.
type Event struct {
	Sequence  int64
	Time      time.Time
	Line      string
	Call      *Call      // set for call changes
	Digit     *Digit     // set for digits
	Recording *Recording // set for finished recordings
	Phone     *Phone     // set when a phone of the line came or went
}

// Phone is a registration of one of a line's phones.
type Phone struct {
	DeviceID    string
	SIPUsername string
	Contact     string
	UserAgent   string
	Registered  bool
}

// Digit is a DTMF digit from a line's phone.
type Digit struct {
	CallID string
	Digit  string
}

// Switches gives the switches this server manages (the TMS registry).
type Switches interface {
	Clients() []switchv1connect.SwitchServiceClient
}

// Service is call control for one server.
type Service struct {
	cfg      *config.Service
	switches Switches
	log      *slog.Logger
	events   *eventlog.Log[Event]
	keep     time.Duration // how long disconnected calls stay readable

	mu     sync.Mutex
	calls  map[string]*lineCall                           // by handle
	byCall map[string]map[string]*lineCall                // switch call id -> user id -> line call
	legs   map[string]legRef                              // leg id -> where it belongs
	owners map[string]switchv1connect.SwitchServiceClient // switch call id -> its switch
	users  map[string]config.User                         // user id -> user (extension, names)
	ended  []endedLine                                    // lines in the order they were disconnected

	routePoints map[string]config.RoutePoint // by extension, for their fallbacks
	watching    map[string]int               // line -> WatchEvents streams naming it
	recordings  map[string]recordingRef      // recording id -> where it was made
	bindings    map[string]bool              // device id + contact of the phones registered
}

// Option configures a Service.
type Option func(*Service)

// WithRetainEvents sets how many events stay available for resuming
// (default 10,000).
func WithRetainEvents(n int) Option {
	return func(s *Service) { s.events = eventlog.New[Event](n) }
}

// New returns call control over the configuration and the switches.
func New(cfg *config.Service, switches Switches, log *slog.Logger, opts ...Option) *Service {
	s := &Service{cfg: cfg, switches: switches, log: log, events: eventlog.New[Event](10_000),
		keep: 5 * time.Minute, calls: make(map[string]*lineCall), byCall: make(map[string]map[string]*lineCall),
		legs: make(map[string]legRef), owners: make(map[string]switchv1connect.SwitchServiceClient),
		users:       make(map[string]config.User),
		routePoints: make(map[string]config.RoutePoint), watching: make(map[string]int),
		recordings: make(map[string]recordingRef), bindings: make(map[string]bool)}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Watch calls fn for every event after seq on the given lines (all when
// empty), then for new ones, until ctx ends or fn fails. It returns
// derrors.OutOfRange when seq is older than what is retained.
//
// Before following, ready (when not nil) is called once the watch counts:
// from then on a route point among lines has an application watching it.
func (s *Service) Watch(ctx context.Context, lines []string, seq int64, ready func() error, fn func(Event) error) error {
	want := make(map[string]bool, len(lines))
	for _, l := range lines {
		want[l] = true
	}
	s.watch(want, 1)
	defer s.watch(want, -1)
	if ready != nil {
		if err := ready(); err != nil {
			return err
		}
	}
	err := s.events.Follow(ctx, seq, func(_ int64, ev Event) error {
		if len(want) > 0 && !want[ev.Line] {
			return nil
		}
		return fn(ev)
	})
	return outOfRange(err, seq)
}
