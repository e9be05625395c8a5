package api

import (
	"context"
	"time"

	callcontrolv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1/callcontrolv1connect"
)

// Route point operations and recordings (callcontrol/app.go).

func (h *callControlHandler) Answer(ctx context.Context, req *callcontrolv1.AnswerRequest) (*callcontrolv1.AnswerResponse, error) {
	if err := h.guardCallReady(ctx, req.GetCallId()); err != nil {
		return nil, err
	}
	return &callcontrolv1.AnswerResponse{}, h.svc.Answer(ctx, req.GetCallId())
}

func (h *callControlHandler) Play(ctx context.Context, req *callcontrolv1.PlayRequest) (*callcontrolv1.PlayResponse, error) {
	if err := h.guardCallReady(ctx, req.GetCallId()); err != nil {
		return nil, err
	}
	var done bool
	var err error
	switch a := req.GetAudio().(type) {
	case *callcontrolv1.PlayRequest_Tone:
		done, err = h.svc.PlayTone(ctx, req.GetCallId(), int(a.Tone.GetFrequencyHz()),
			time.Duration(a.Tone.GetDurationMs())*time.Millisecond, req.GetInterruptOnDigit())
	case *callcontrolv1.PlayRequest_Wav:
		done, err = h.svc.PlayWAV(ctx, req.GetCallId(), a.Wav, req.GetInterruptOnDigit())
	}
	if err != nil {
		return nil, err
	}
	return &callcontrolv1.PlayResponse{Completed: done}, nil
}

func (h *callControlHandler) CollectDigits(ctx context.Context, req *callcontrolv1.CollectDigitsRequest) (*callcontrolv1.CollectDigitsResponse, error) {
	if err := h.guardCallReady(ctx, req.GetCallId()); err != nil {
		return nil, err
	}
	digits, why, err := h.svc.CollectDigits(ctx, req.GetCallId(), int(req.GetMaxDigits()), req.GetTerminator(),
		time.Duration(req.GetInterDigitTimeoutMs())*time.Millisecond, time.Duration(req.GetOverallTimeoutMs())*time.Millisecond)
	if err != nil {
		return nil, err
	}
	return &callcontrolv1.CollectDigitsResponse{Digits: digits, Reason: callcontrolv1.CollectReason(why)}, nil
}

func (h *callControlHandler) StartRecording(ctx context.Context, req *callcontrolv1.StartRecordingRequest) (*callcontrolv1.StartRecordingResponse, error) {
	if err := h.guardCallReady(ctx, req.GetCallId()); err != nil {
		return nil, err
	}
	id, err := h.svc.StartRecording(ctx, req.GetCallId())
	if err != nil {
		return nil, err
	}
	return &callcontrolv1.StartRecordingResponse{RecordingId: id}, nil
}

func (h *callControlHandler) StopRecording(ctx context.Context, req *callcontrolv1.StopRecordingRequest) (*callcontrolv1.StopRecordingResponse, error) {
	if err := h.guardRecording(ctx, req.GetRecordingId()); err != nil {
		return nil, err
	}
	return &callcontrolv1.StopRecordingResponse{}, h.svc.StopRecording(ctx, req.GetRecordingId())
}

func (h *callControlHandler) DownloadRecording(ctx context.Context, req *callcontrolv1.DownloadRecordingRequest, stream callcontrolv1connect.CallControlServiceDownloadRecordingServerStream) error {
	if err := h.guardRecording(ctx, req.GetRecordingId()); err != nil {
		return err
	}
	return h.svc.DownloadRecording(ctx, req.GetRecordingId(), func(b []byte) error {
		return stream.Send(&callcontrolv1.DownloadRecordingResponse{Chunk: b})
	})
}

// guardRecording checks that the token may use a recording: one made on
// one of its lines.
func (h *callControlHandler) guardRecording(ctx context.Context, id string) error {
	if err := h.ready(); err != nil {
		return err
	}
	line, err := h.svc.RecordingLine(id)
	if err != nil {
		return err
	}
	return h.guardLine(ctx, line)
}
