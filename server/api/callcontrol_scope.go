package api

import (
	"context"
	"slices"

	"github.com/switchboard-pbx/switchboard/server/auth"
	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// ownLine returns the only line a user-scoped token may act on, or "" for
// tokens that see every line.
func (h *callControlHandler) ownLine(ctx context.Context) (string, error) {
	tok, ok := TokenFromContext(ctx)
	if !ok || tok.Scope != auth.ScopeUser {
		return "", nil
	}
	return h.svc.LineOf(ctx, tok.UserID)
}

// guardLine fails with PermissionDenied when a user token acts on a line
// that is not its own.
func (h *callControlHandler) guardLine(ctx context.Context, line string) error {
	own, err := h.ownLine(ctx)
	if err != nil || own == "" || own == line {
		return err
	}
	return derrors.New(derrors.PermissionDenied, "line", "a user token acts only on its own line %s, not %s", own, line)
}

// guardCall is guardLine for the line of an existing call.
func (h *callControlHandler) guardCall(ctx context.Context, callID string) error {
	own, err := h.ownLine(ctx)
	if err != nil || own == "" {
		return err
	}
	c, err := h.svc.GetCall(callID)
	if err != nil {
		return err
	}
	if c.Line != own {
		return derrors.New(derrors.PermissionDenied, "call_id", "call %s is not on this token's line %s", callID, own)
	}
	return nil
}

// lines restricts a line filter for a user token to its own line.
func (h *callControlHandler) lines(ctx context.Context, asked []string) ([]string, error) {
	own, err := h.ownLine(ctx)
	if err != nil || own == "" {
		return asked, err
	}
	for _, l := range asked {
		if l != own {
			return nil, derrors.New(derrors.PermissionDenied, "lines", "a user token sees only its own line %s", own)
		}
	}
	if !slices.Contains(asked, own) {
		asked = []string{own}
	}
	return asked, nil
}
