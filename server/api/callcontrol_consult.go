package api

import (
	"context"

	callcontrolv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1"
)

func (h *callControlHandler) ConsultTransfer(ctx context.Context, req *callcontrolv1.ConsultTransferRequest) (*callcontrolv1.ConsultTransferResponse, error) {
	if err := h.guardCallReady(ctx, req.GetCallId()); err != nil {
		return nil, err
	}
	c, err := h.svc.ConsultTransfer(ctx, req.GetCallId(), req.GetDestination(), req.GetExpectedVersion())
	if err != nil {
		return nil, err
	}
	return &callcontrolv1.ConsultTransferResponse{Call: callToProto(c)}, nil
}

func (h *callControlHandler) CompleteTransfer(ctx context.Context, req *callcontrolv1.CompleteTransferRequest) (*callcontrolv1.CompleteTransferResponse, error) {
	if err := h.guardCallReady(ctx, req.GetCallId()); err != nil {
		return nil, err
	}
	conference := req.GetMode() == callcontrolv1.CompleteMode_COMPLETE_MODE_CONFERENCE
	c, err := h.svc.CompleteTransfer(ctx, req.GetCallId(), conference)
	if err != nil {
		return nil, err
	}
	out := &callcontrolv1.CompleteTransferResponse{}
	if conference {
		out.Call = callToProto(c)
	}
	return out, nil
}
