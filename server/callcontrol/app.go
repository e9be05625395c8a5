package callcontrol

import (
	"context"
	"errors"
	"io"
	"math"
	"time"

	"connectrpc.com/connect/v2"

	switchv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1/switchv1connect"
	"github.com/switchboard-pbx/switchboard/media/codec"
	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// Route points and recordings: a route point's line is keyed like a user's
// line, by routePointKey and the route point's id. A call offered to a
// route point nobody watches goes to the route point's fallback at once;
// the switch sends it there itself when an application watches but does
// not answer in time.

// routePointKey prefixes a route point's id where user ids key lines.
const routePointKey = "rp:"

// recordingRef says where a recording was made.
type recordingRef struct {
	line   string // the line StartRecording named; its events carry the result
	callID string // that line's call handle
	sw     switchv1connect.SwitchServiceClient
}

// Recording is a finished recording, as an event on the line that
// started it.
type Recording struct {
	ID       string
	CallID   string
	Duration time.Duration
	Error    string
}

// watch counts the WatchEvents streams that name lines explicitly: such a
// stream serving a route point is its application.
func (s *Service) watch(lines map[string]bool, delta int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for l := range lines {
		s.watching[l] += delta
		if s.watching[l] <= 0 {
			delete(s.watching, l)
		}
	}
}

// offerOrFallBack sends a call ringing at a route point that no
// application watches to the route point's fallback (or ends it).
func (s *Service) offerOrFallBack(ctx context.Context, sw switchv1connect.SwitchServiceClient, l *switchv1.Leg) {
	if l.GetState() != switchv1.LegState_LEG_STATE_RINGING {
		return
	}
	s.mu.Lock()
	ext := s.users[l.GetUserId()].Extension
	watched := s.watching[ext] > 0
	rp := s.routePoints[ext]
	s.mu.Unlock()
	if watched || ext == "" {
		return
	}
	var err error
	if rp.FallbackExtension != "" {
		_, err = sw.RedirectLeg(ctx, &switchv1.RedirectLegRequest{LegId: l.GetId(), Destination: rp.FallbackExtension})
	} else {
		_, err = sw.HangupLeg(ctx, &switchv1.HangupLegRequest{LegId: l.GetId()})
	}
	if err != nil {
		s.log.Debug("callcontrol: route point fallback failed", "route_point", ext, "error", err)
	}
}

// Answer answers a call OFFERING on a route point.
func (s *Service) Answer(ctx context.Context, id string) error {
	if err := s.needRoutePoint(id, "phones cannot be answered remotely"); err != nil {
		return err
	}
	legID, sw, err := s.actOn(id, 0, ActionAnswer, false)
	if err != nil {
		return err
	}
	_, err = sw.AnswerLeg(ctx, &switchv1.AnswerLegRequest{LegId: legID})
	return s.switchError(err, id, "call "+id+" is no longer ringing")
}

// needRoutePoint fails with FailedPrecondition when id is not a call on a
// route point's line.
func (s *Service) needRoutePoint(id, why string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	lc, ok := s.calls[id]
	if !ok {
		return derrors.New(derrors.NotFound, "call_id", "no call %s", id)
	}
	if !lc.snap.RoutePoint {
		return derrors.New(derrors.FailedPrecondition, "call_id", "call %s is on a phone's line: %s", id, why)
	}
	return nil
}

// PlayTone plays a sine tone to a route point's caller.
func (s *Service) PlayTone(ctx context.Context, id string, freq int, d time.Duration, interruptible bool) (bool, error) {
	pcm := make([]int16, int(d.Seconds()*8000))
	var phase float64
	codec.Sine(pcm, float64(freq), 8000, &phase)
	return s.play(ctx, id, pcm, interruptible)
}

// PlayWAV plays an 8 kHz WAV file to a route point's caller.
func (s *Service) PlayWAV(ctx context.Context, id string, wav []byte, interruptible bool) (bool, error) {
	pcm, err := codec.DecodeWAV(wav)
	var werr *codec.WAVError
	if errors.As(err, &werr) {
		return false, derrors.New(derrors.InvalidArgument, "wav", "%s", werr.Reason)
	}
	if err != nil {
		return false, derrors.New(derrors.InvalidArgument, "wav", "%v", err)
	}
	if len(pcm) > 5*60*8000 {
		return false, derrors.New(derrors.InvalidArgument, "wav", "%.0f s of audio; at most 300 s", float64(len(pcm))/8000)
	}
	return s.play(ctx, id, pcm, interruptible)
}

func (s *Service) play(ctx context.Context, id string, pcm []int16, interruptible bool) (bool, error) {
	if err := s.needRoutePoint(id, "only route point calls play audio"); err != nil {
		return false, err
	}
	legID, sw, err := s.actOn(id, 0, ActionPlay, true)
	if err != nil {
		return false, err
	}
	res, err := sw.PlayLeg(ctx, &switchv1.PlayLegRequest{LegId: legID, Samples: codec.PCMBytes(pcm), InterruptOnDigit: interruptible})
	if err := s.switchError(err, id, "call "+id+" is not answered"); err != nil {
		return false, err
	}
	return res.GetCompleted(), nil
}

// Reasons digit collection ends for (the API enum's values).
const (
	CollectMaxDigits  = 1
	CollectTerminator = 2
	CollectTimeout    = 3
	CollectHangup     = 4
)

// CollectDigits waits for digits from a route point's caller.
func (s *Service) CollectDigits(ctx context.Context, id string, max int, terminator string, interDigit, overall time.Duration) (string, int, error) {
	if err := s.needRoutePoint(id, "only route point calls collect digits"); err != nil {
		return "", 0, err
	}
	legID, sw, err := s.actOn(id, 0, ActionPlay, true)
	if err != nil {
		return "", 0, err
	}
	if interDigit <= 0 {
		interDigit = 5 * time.Second
	}
	if overall <= 0 {
		overall = 30 * time.Second
	}
	res, err := sw.CollectDigitsLeg(ctx, &switchv1.CollectDigitsLegRequest{LegId: legID, MaxDigits: int32(max),
		Terminator: terminator, InterDigitTimeoutMs: int32(min(interDigit.Milliseconds(), math.MaxInt32)),
		OverallTimeoutMs: int32(min(overall.Milliseconds(), math.MaxInt32))})
	if err := s.switchError(err, id, "call "+id+" is not answered"); err != nil {
		return "", 0, err
	}
	reason := map[string]int{"max_digits": CollectMaxDigits, "terminator": CollectTerminator,
		"timeout": CollectTimeout, "hangup": CollectHangup}[res.GetReason()]
	return res.GetDigits(), reason, nil
}

// StartRecording records a connected call; the RecordingEvent goes to the
// call's line.
func (s *Service) StartRecording(ctx context.Context, id string) (string, error) {
	legID, sw, err := s.actOn(id, 0, ActionRecord, true)
	if err != nil {
		return "", err
	}
	res, err := sw.StartRecordingLeg(ctx, &switchv1.StartRecordingLegRequest{LegId: legID})
	if err := s.switchError(err, id, "call "+id+" cannot be recorded now (already recorded, or not connected)"); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	line := ""
	if lc := s.calls[id]; lc != nil {
		line = lc.snap.Line
	}
	s.recordings[res.GetRecordingId()] = recordingRef{line: line, callID: id, sw: sw}
	return res.GetRecordingId(), nil
}

// RecordingLine returns the line a recording was started on.
func (s *Service) RecordingLine(id string) (string, error) {
	ref, err := s.recording(id)
	return ref.line, err
}

// recording returns where a recording was made, or NotFound.
func (s *Service) recording(id string) (recordingRef, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ref, ok := s.recordings[id]
	if !ok {
		return recordingRef{}, derrors.New(derrors.NotFound, "recording_id", "no recording %s", id)
	}
	return ref, nil
}

// StopRecording ends a recording.
func (s *Service) StopRecording(ctx context.Context, id string) error {
	ref, err := s.recording(id)
	if err != nil {
		return err
	}
	_, err = ref.sw.StopRecordingLeg(ctx, &switchv1.StopRecordingLegRequest{RecordingId: id})
	if connect.CodeOf(err) == connect.CodeNotFound {
		return derrors.New(derrors.NotFound, "recording_id", "no recording %s", id)
	}
	return s.switchError(err, id, "")
}

// DownloadRecording sends a finished recording's file, chunk by chunk.
func (s *Service) DownloadRecording(ctx context.Context, id string, send func([]byte) error) error {
	ref, err := s.recording(id)
	if err != nil {
		return err
	}
	stream, err := ref.sw.ReadRecording(ctx, &switchv1.ReadRecordingRequest{RecordingId: id})
	if err != nil {
		return s.switchError(err, id, "")
	}
	defer stream.Close()
	for {
		res, err := stream.Receive()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if connect.CodeOf(err) == connect.CodeNotFound {
			return derrors.New(derrors.FailedPrecondition, "recording_id", "recording %s is still in progress", id)
		}
		if err != nil {
			return derrors.New(derrors.Unavailable, "", "switch unreachable: %v", connect.CodeOf(err))
		}
		if err := send(res.GetChunk()); err != nil {
			return err
		}
	}
}

// onRecording publishes a finished recording on the line that started it.
func (s *Service) onRecording(r *switchv1.RecordingEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ref, ok := s.recordings[r.GetRecordingId()]
	if !ok {
		return
	}
	rec := Recording{ID: r.GetRecordingId(), CallID: ref.callID, Duration: r.GetDuration().AsDuration(), Error: r.GetError()}
	s.publish(Event{Line: ref.line, Recording: &rec})
}
