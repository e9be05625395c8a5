// Package switchsvc is the switch: the SIP/RTP engine (media/sipua over
// media/rtpsession) behind the generated SwitchService. A TMS commands it
// through that service only, whether the switch runs in-process (Connect's
// in-process transport) or as a separate `switchboard switch` process.
package switchsvc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"

	"connectrpc.com/connect/v2"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	switchv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1/switchv1connect"
	"github.com/switchboard-pbx/switchboard/media/codec"
	"github.com/switchboard-pbx/switchboard/media/eventlog"
	"github.com/switchboard-pbx/switchboard/media/routing"
	"github.com/switchboard-pbx/switchboard/media/rtpsession"
	"github.com/switchboard-pbx/switchboard/media/sipua"
)

// Config is what a switch needs.
type Config struct {
	SIPListen    string // UDP and TCP, e.g. ":5060" or "127.0.0.1:0"
	RTPMin       int    // RTP port range (even start)
	RTPMax       int
	MediaIP      net.IP // address RTP binds to and SDP advertises; default from SIPListen
	Advertise    string // host in Contact/Via; default from SIPListen
	RingTimeout  time.Duration
	MediaTimeout time.Duration
	ParkTimeout  time.Duration // before a parked call rings its parker again
	RetainEvents int           // default 10,000
	DigestAlgs   []string      // digest algorithms challenged, e.g. ["SHA-256", "MD5"]; default MD5
	Log          *slog.Logger
	UAOptions    []sipua.Option // extra options (tests: short ban windows …)
	RecordingDir string         // where call recordings are written; empty refuses recording
}

// Switch is a running switch.
type Switch struct {
	switchv1connect.UnimplementedSwitchServiceHandler
	cfg    Config
	log    *slog.Logger
	ua     *sipua.UA
	ports  *rtpsession.PortPool
	events *eventlog.Log[*switchv1.Event]

	mu       sync.Mutex
	revision int64
}

// New creates a switch; Run starts it.
func New(cfg Config) (*Switch, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.RetainEvents <= 0 {
		cfg.RetainEvents = 10_000
	}
	ip := cfg.MediaIP
	if ip == nil {
		host, _, err := net.SplitHostPort(cfg.SIPListen)
		if err != nil {
			return nil, fmt.Errorf("switch: SIP address %q: %w", cfg.SIPListen, err)
		}
		ip = net.ParseIP(host)
		if ip == nil {
			ip = net.IPv4zero
		}
	}
	ports, err := rtpsession.NewPortPool(ip, cfg.RTPMin, cfg.RTPMax)
	if err != nil {
		return nil, fmt.Errorf("switch: RTP ports: %w", err)
	}
	s := &Switch{cfg: cfg, log: cfg.Log, ports: ports, events: eventlog.New[*switchv1.Event](cfg.RetainEvents),
		revision: -1}
	opts := []sipua.Option{sipua.WithLogger(cfg.Log), sipua.WithObserver(observer{s}), sipua.WithPortPool(ports)}
	if cfg.RingTimeout > 0 {
		opts = append(opts, sipua.WithRingTimeout(cfg.RingTimeout))
	}
	if cfg.MediaTimeout > 0 {
		opts = append(opts, sipua.WithMediaTimeout(cfg.MediaTimeout))
	}
	if cfg.ParkTimeout > 0 {
		opts = append(opts, sipua.WithParkTimeout(cfg.ParkTimeout))
	}
	if cfg.RecordingDir != "" {
		opts = append(opts, sipua.WithRecordingDir(cfg.RecordingDir))
	}
	if cfg.Advertise != "" {
		opts = append(opts, sipua.WithAdvertiseHost(cfg.Advertise))
	}
	if len(cfg.DigestAlgs) > 0 {
		opts = append(opts, sipua.WithDigestAlgorithms(cfg.DigestAlgs...))
	}
	s.ua, err = sipua.New(append(opts, cfg.UAOptions...)...)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Run serves SIP until ctx ends. The RTP sockets kept warm for later
// calls are closed when it returns (pairs of calls still ending are closed
// as they are released).
func (s *Switch) Run(ctx context.Context) error {
	defer s.ports.Close()
	return s.ua.Listen(ctx, s.cfg.SIPListen)
}

// Ready is closed once the switch listens.
func (s *Switch) Ready() <-chan struct{} { return s.ua.Ready() }

// SIPAddr is the SIP address (after Ready).
func (s *Switch) SIPAddr() *net.UDPAddr { return s.ua.Addr() }

// UA exposes the SIP engine (tests and benchmarks).
func (s *Switch) UA() *sipua.UA { return s.ua }

// Ports exposes the RTP port pool (tests check nothing leaks).
func (s *Switch) Ports() *rtpsession.PortPool { return s.ports }

// Register adds the SwitchService to a Connect server.
func (s *Switch) Register(srv *connect.Server) { switchv1connect.RegisterSwitchServiceHandler(srv, s) }

// ApplyRoutingTable swaps in a new routing table.
func (s *Switch) ApplyRoutingTable(_ context.Context, req *switchv1.ApplyRoutingTableRequest) (*switchv1.ApplyRoutingTableResponse, error) {
	t := req.GetTable()
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.GetRevision() < s.revision {
		return &switchv1.ApplyRoutingTableResponse{Revision: s.revision}, nil
	}
	s.ua.SetTable(tableFromProto(t))
	s.revision = t.GetRevision()
	s.log.Info("switch: routing table applied", "revision", s.revision, "users", len(t.GetUsers()))
	return &switchv1.ApplyRoutingTableResponse{Revision: s.revision}, nil
}

// ListRegistrations lists the bindings.
func (s *Switch) ListRegistrations(context.Context, *switchv1.ListRegistrationsRequest) (*switchv1.ListRegistrationsResponse, error) {
	bs := s.ua.Registrations()
	out := make([]*switchv1.Registration, len(bs))
	for i, b := range bs {
		out[i] = bindingToProto(b)
	}
	return &switchv1.ListRegistrationsResponse{Registrations: out}, nil
}

// ListLegs lists the legs in progress.
func (s *Switch) ListLegs(context.Context, *switchv1.ListLegsRequest) (*switchv1.ListLegsResponse, error) {
	ls := s.ua.Legs()
	out := make([]*switchv1.Leg, len(ls))
	for i, l := range ls {
		out[i] = legToProto(l)
	}
	return &switchv1.ListLegsResponse{Legs: out}, nil
}

// HangupLeg ends a leg's call.
func (s *Switch) HangupLeg(_ context.Context, req *switchv1.HangupLegRequest) (*switchv1.HangupLegResponse, error) {
	if !s.ua.Hangup(req.GetLegId()) {
		return nil, connect.Errorf(connect.CodeNotFound, "leg %s is not in progress", req.GetLegId())
	}
	return &switchv1.HangupLegResponse{}, nil
}

// Originate places a call on behalf of a user.
func (s *Switch) Originate(_ context.Context, req *switchv1.OriginateRequest) (*switchv1.OriginateResponse, error) {
	id, err := s.ua.Originate(req.GetUserId(), req.GetDestination())
	switch {
	case errors.Is(err, sipua.ErrUnknownUser):
		return nil, connect.Errorf(connect.CodeNotFound, "user %s is not in the routing table", req.GetUserId())
	case errors.Is(err, sipua.ErrNotRegistered):
		return nil, connect.Errorf(connect.CodeFailedPrecondition, "user %s has no registered device to ring", req.GetUserId())
	case errors.Is(err, sipua.ErrUnknownDestination):
		return nil, connect.Errorf(connect.CodeInvalidArgument, "destination: %q is not a number this switch can reach", req.GetDestination())
	case err != nil:
		return nil, err
	}
	return &switchv1.OriginateResponse{CallId: id}, nil
}

// SendDigits sends DTMF from a leg to its peer.
func (s *Switch) SendDigits(_ context.Context, req *switchv1.SendDigitsRequest) (*switchv1.SendDigitsResponse, error) {
	each := time.Duration(req.GetDurationMs()) * time.Millisecond
	if each == 0 {
		each = 100 * time.Millisecond
	}
	err := s.ua.SendDigits(req.GetLegId(), req.GetDigits(), each)
	switch {
	case errors.Is(err, sipua.ErrUnknownLeg):
		return nil, connect.Errorf(connect.CodeNotFound, "leg %s is not in progress", req.GetLegId())
	case errors.Is(err, sipua.ErrNotConnected):
		return nil, connect.Errorf(connect.CodeFailedPrecondition, "leg %s is not connected to another party", req.GetLegId())
	case err != nil:
		return nil, err
	}
	return &switchv1.SendDigitsResponse{}, nil
}

// HoldLeg puts the other party of a leg's call on hold.
func (s *Switch) HoldLeg(_ context.Context, req *switchv1.HoldLegRequest) (*switchv1.HoldLegResponse, error) {
	return &switchv1.HoldLegResponse{}, legError(req.GetLegId(), s.ua.Hold(req.GetLegId()))
}

// RetrieveLeg takes a call off hold.
func (s *Switch) RetrieveLeg(_ context.Context, req *switchv1.RetrieveLegRequest) (*switchv1.RetrieveLegResponse, error) {
	return &switchv1.RetrieveLegResponse{}, legError(req.GetLegId(), s.ua.Retrieve(req.GetLegId()))
}

// TransferLeg blind-transfers the other party of a leg's call.
func (s *Switch) TransferLeg(_ context.Context, req *switchv1.TransferLegRequest) (*switchv1.TransferLegResponse, error) {
	err := s.ua.Transfer(req.GetLegId(), req.GetDestination())
	switch {
	case errors.Is(err, sipua.ErrUnknownDestination):
		return nil, connect.Errorf(connect.CodeInvalidArgument, "destination: %q is not a number this switch can reach", req.GetDestination())
	case errors.Is(err, sipua.ErrNotRegistered):
		return nil, connect.Errorf(connect.CodeFailedPrecondition, "destination %s has no registered device", req.GetDestination())
	}
	return &switchv1.TransferLegResponse{}, legError(req.GetLegId(), err)
}

// RedirectLeg deflects a ringing call.
func (s *Switch) RedirectLeg(_ context.Context, req *switchv1.RedirectLegRequest) (*switchv1.RedirectLegResponse, error) {
	return &switchv1.RedirectLegResponse{}, legError(req.GetLegId(), s.ua.Deflect(req.GetLegId(), req.GetDestination()))
}

// PickupLeg takes a ringing call to another user's phones.
func (s *Switch) PickupLeg(_ context.Context, req *switchv1.PickupLegRequest) (*switchv1.PickupLegResponse, error) {
	return &switchv1.PickupLegResponse{}, legError(req.GetLegId(), s.ua.Pickup(req.GetLegId(), req.GetUserId()))
}

// ParkLeg parks the other party of a leg's call.
func (s *Switch) ParkLeg(_ context.Context, req *switchv1.ParkLegRequest) (*switchv1.ParkLegResponse, error) {
	orbit, err := s.ua.Park(req.GetLegId())
	if errors.Is(err, sipua.ErrNoOrbit) {
		return nil, connect.Errorf(connect.CodeResourceExhausted, "every park orbit is taken")
	}
	if err != nil {
		return nil, legError(req.GetLegId(), err)
	}
	return &switchv1.ParkLegResponse{Orbit: orbit}, nil
}

// UnparkCall rings a user to take a parked call.
func (s *Switch) UnparkCall(_ context.Context, req *switchv1.UnparkCallRequest) (*switchv1.UnparkCallResponse, error) {
	err := s.ua.Unpark(req.GetOrbit(), req.GetUserId())
	if errors.Is(err, sipua.ErrOrbitEmpty) {
		return nil, connect.Errorf(connect.CodeNotFound, "orbit %s: no call is parked there", req.GetOrbit())
	}
	return &switchv1.UnparkCallResponse{}, legError("", err)
}

// ConsultLeg starts a consultation from a leg's user.
func (s *Switch) ConsultLeg(_ context.Context, req *switchv1.ConsultLegRequest) (*switchv1.ConsultLegResponse, error) {
	callID, legID, err := s.ua.Consult(req.GetLegId(), req.GetDestination())
	if errors.Is(err, sipua.ErrNotRegistered) {
		return nil, connect.Errorf(connect.CodeFailedPrecondition, "destination %s has no registered device", req.GetDestination())
	}
	if err != nil {
		return nil, legError(req.GetLegId(), err)
	}
	return &switchv1.ConsultLegResponse{CallId: callID, LegId: legID}, nil
}

// CompleteTransferLeg completes a consultation as a transfer or conference.
func (s *Switch) CompleteTransferLeg(_ context.Context, req *switchv1.CompleteTransferLegRequest) (*switchv1.CompleteTransferLegResponse, error) {
	err := s.ua.CompleteTransfer(req.GetLegId(), req.GetConference())
	return &switchv1.CompleteTransferLegResponse{}, legError(req.GetLegId(), err)
}

// AnswerLeg answers a call offered to a route point.
func (s *Switch) AnswerLeg(_ context.Context, req *switchv1.AnswerLegRequest) (*switchv1.AnswerLegResponse, error) {
	return &switchv1.AnswerLegResponse{}, legError(req.GetLegId(), s.ua.AnswerApp(req.GetLegId()))
}

// PlayLeg plays samples to a route point's caller.
func (s *Switch) PlayLeg(_ context.Context, req *switchv1.PlayLegRequest) (*switchv1.PlayLegResponse, error) {
	b := req.GetSamples()
	if len(b)%2 != 0 {
		return nil, connect.Errorf(connect.CodeInvalidArgument, "samples: %d bytes is not a whole number of 16-bit samples", len(b))
	}
	done, err := s.ua.PlayApp(req.GetLegId(), codec.PCMFromBytes(b), req.GetInterruptOnDigit())
	if err != nil {
		return nil, legError(req.GetLegId(), err)
	}
	return &switchv1.PlayLegResponse{Completed: done}, nil
}

// CollectDigitsLeg collects digits from a route point's caller.
func (s *Switch) CollectDigitsLeg(_ context.Context, req *switchv1.CollectDigitsLegRequest) (*switchv1.CollectDigitsLegResponse, error) {
	digits, why, err := s.ua.CollectApp(req.GetLegId(), int(req.GetMaxDigits()), req.GetTerminator(),
		time.Duration(req.GetInterDigitTimeoutMs())*time.Millisecond, time.Duration(req.GetOverallTimeoutMs())*time.Millisecond)
	if err != nil {
		return nil, legError(req.GetLegId(), err)
	}
	return &switchv1.CollectDigitsLegResponse{Digits: digits, Reason: why}, nil
}

// StartRecordingLeg records the call a leg belongs to.
func (s *Switch) StartRecordingLeg(_ context.Context, req *switchv1.StartRecordingLegRequest) (*switchv1.StartRecordingLegResponse, error) {
	id, err := s.ua.StartRecording(req.GetLegId())
	if err != nil {
		return nil, legError(req.GetLegId(), err)
	}
	return &switchv1.StartRecordingLegResponse{RecordingId: id}, nil
}

// StopRecordingLeg stops a recording.
func (s *Switch) StopRecordingLeg(_ context.Context, req *switchv1.StopRecordingLegRequest) (*switchv1.StopRecordingLegResponse, error) {
	return &switchv1.StopRecordingLegResponse{}, legError("", s.ua.StopRecording(req.GetRecordingId()))
}

// recordingChunk is how much of a recording one ReadRecording message
// carries.
const recordingChunk = 64 << 10

// ReadRecording streams a finished recording's file.
func (s *Switch) ReadRecording(_ context.Context, req *switchv1.ReadRecordingRequest, stream switchv1connect.SwitchServiceReadRecordingServerStream) error {
	path := s.ua.RecordingPath(req.GetRecordingId())
	f, err := os.Open(path)
	if path == "" || errors.Is(err, fs.ErrNotExist) {
		return connect.Errorf(connect.CodeNotFound, "recording %s: no such finished recording", req.GetRecordingId())
	}
	if err != nil {
		return err
	}
	defer f.Close()
	buf := make([]byte, recordingChunk)
	for {
		n, err := f.Read(buf)
		if n > 0 {
			if err := stream.Send(&switchv1.ReadRecordingResponse{Chunk: buf[:n]}); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// legError maps sipua's leg operation errors to Connect codes.
func legError(legID string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sipua.ErrUnknownLeg):
		return connect.Errorf(connect.CodeNotFound, "leg %s is not in progress", legID)
	case errors.Is(err, sipua.ErrNotConnected), errors.Is(err, sipua.ErrAlreadyHeld), errors.Is(err, sipua.ErrNotHeld),
		errors.Is(err, sipua.ErrNotRinging), errors.Is(err, sipua.ErrNotRegistered),
		errors.Is(err, sipua.ErrConsulting), errors.Is(err, sipua.ErrNoConsult), errors.Is(err, sipua.ErrConsultNotUp),
		errors.Is(err, sipua.ErrNotTwoParties), errors.Is(err, sipua.ErrConferenceFull),
		errors.Is(err, sipua.ErrNotRoutePoint), errors.Is(err, sipua.ErrNotAnswered),
		errors.Is(err, sipua.ErrRecordingBusy), errors.Is(err, sipua.ErrNoRecordingDir):
		return connect.Errorf(connect.CodeFailedPrecondition, "leg %s: %v", legID, err)
	case errors.Is(err, sipua.ErrUnknownDestination):
		return connect.Errorf(connect.CodeInvalidArgument, "destination: %v", err)
	case errors.Is(err, sipua.ErrUnknownRecording):
		return connect.Errorf(connect.CodeNotFound, "recording: %v", err)
	case errors.Is(err, sipua.ErrUnknownUser):
		return connect.Errorf(connect.CodeNotFound, "user: %v", err)
	default:
		return err
	}
}

// Events streams switch events from after_sequence on.
func (s *Switch) Events(ctx context.Context, req *switchv1.EventsRequest, stream switchv1connect.SwitchServiceEventsServerStream) error {
	if err := stream.SendHeaders(); err != nil {
		return err
	}
	err := s.events.Follow(ctx, req.GetAfterSequence(), func(_ int64, ev *switchv1.Event) error {
		return stream.Send(&switchv1.EventsResponse{Event: ev})
	})
	if errors.Is(err, eventlog.ErrOutOfRange) {
		return connect.Errorf(connect.CodeOutOfRange,
			"after_sequence %d is older than the retained events; re-list and resume from the newest", req.GetAfterSequence())
	}
	return err
}

// observer turns sipua callbacks into events.
type observer struct{ s *Switch }

func (o observer) RegistrationChanged(b sipua.Binding, removed bool) {
	o.emit(&switchv1.Event{Kind: &switchv1.Event_Registration{
		Registration: &switchv1.RegistrationEvent{Registration: bindingToProto(b), Removed: removed}}})
}

func (o observer) LegChanged(l sipua.LegInfo) {
	o.emit(&switchv1.Event{Kind: &switchv1.Event_Leg{Leg: &switchv1.LegEvent{Leg: legToProto(l)}}})
}

func (o observer) RecordingFinished(id, callID string, length time.Duration, failure string) {
	o.emit(&switchv1.Event{Kind: &switchv1.Event_Recording{Recording: &switchv1.RecordingEvent{
		RecordingId: id, CallId: callID, Duration: durationpb.New(length), Error: failure}}})
}

func (o observer) DTMF(legID string, digit rune) {
	o.emit(&switchv1.Event{Kind: &switchv1.Event_Dtmf{Dtmf: &switchv1.DtmfEvent{LegId: legID, Digit: string(digit)}}})
}

// emit numbers and stores an event.
func (o observer) emit(ev *switchv1.Event) {
	o.s.events.Append(func(seq int64) *switchv1.Event {
		ev.Sequence, ev.Time = seq, timestamppb.Now()
		return ev
	})
}

// tableFromProto builds a routing table.
func tableFromProto(t *switchv1.RoutingTable) *routing.Table {
	users := make([]*routing.User, 0, len(t.GetUsers()))
	for _, u := range t.GetUsers() {
		ru := &routing.User{ID: u.GetId(), Extension: u.GetExtension(), DisplayName: u.GetDisplayName(), Virtual: u.GetVirtual()}
		for _, d := range u.GetDevices() {
			ru.Devices = append(ru.Devices, &routing.Device{ID: d.GetId(), SIPUsername: d.GetSipUsername(),
				HA1MD5: d.GetHa1Md5(), HA1SHA256: d.GetHa1Sha256()})
		}
		users = append(users, ru)
	}
	points := make([]*routing.RoutePoint, 0, len(t.GetRoutePoints()))
	for _, r := range t.GetRoutePoints() {
		points = append(points, &routing.RoutePoint{ID: r.GetId(), Extension: r.GetExtension(), Name: r.GetName(),
			FallbackExtension: r.GetFallbackExtension(),
			AnswerTimeout:     time.Duration(r.GetAnswerTimeoutSeconds()) * time.Second})
	}
	return routing.New(routing.Plan{Revision: t.GetRevision(), Realm: t.GetRealm(),
		ExtensionLength: int(t.GetExtensionLength()), TrunkAccessCode: t.GetTrunkAccessCode(),
		OperatorExtension: t.GetOperatorExtension()}, users, points...)
}

func bindingToProto(b sipua.Binding) *switchv1.Registration {
	return &switchv1.Registration{DeviceId: b.DeviceID, UserId: b.UserID, SipUsername: b.Username,
		Contact: b.Contact, Source: b.Source, Transport: b.Transport, UserAgent: b.UserAgent,
		ExpireTime: timestamppb.New(b.Expires)}
}

func legToProto(l sipua.LegInfo) *switchv1.Leg {
	out := &switchv1.Leg{Id: l.ID, CallId: l.CallID, State: switchv1.LegState(l.State),
		UserId: l.UserID, DeviceId: l.DeviceID, Dialed: l.Dialed, Caller: l.Caller, SipCallId: l.SIPCallID,
		Codec: l.Codec, StartTime: timestamppb.New(l.Start), EndReason: switchv1.EndReason(l.End),
		SipStatus: int32(l.SIPStatus), Held: l.Held, Calling: l.Calling, Holding: l.Holding, RelatedCallId: l.Related,
		Conferenced: l.Conferenced, RoutePointId: l.RoutePointID,
		Direction: switchv1.LegDirection_LEG_DIRECTION_OUTBOUND}
	if l.Inbound {
		out.Direction = switchv1.LegDirection_LEG_DIRECTION_INBOUND
	}
	if !l.Answer.IsZero() {
		out.AnswerTime = timestamppb.New(l.Answer)
	}
	return out
}
