package api

import (
	"context"
	"slices"
	"strings"

	"github.com/switchboard-pbx/switchboard/server/auth"
	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// Call control for tokens limited to their own lines: a user token acts on
// its user's extension, an application token on the extensions of its
// route points. Admin and read tokens (read only reaches the read
// procedures) see every line.

// ownLines returns the lines the caller's token is limited to, and
// whether it is limited at all. A limited token whose lines are all gone
// (its user or route points deleted) gets PermissionDenied, never an empty
// list, which would mean every line to the domain.
func (h *callControlHandler) ownLines(ctx context.Context) ([]string, bool, error) {
	tok, ok := TokenFromContext(ctx)
	if !ok || !tok.OwnLinesOnly() {
		return nil, false, nil
	}
	switch tok.Scope {
	case auth.ScopeUser:
		line, err := h.svc.LineOf(ctx, tok.UserID)
		if err != nil {
			return nil, true, err
		}
		return []string{line}, true, nil
	case auth.ScopeApplication:
		lines, err := h.routePointLines(ctx, tok)
		return lines, true, err
	}
	return nil, true, derrors.New(derrors.PermissionDenied, "", "token %q has scope %s", tok.Name, tok.Scope)
}

// routePointLines returns the extensions of an application token's route
// points that still exist.
func (h *callControlHandler) routePointLines(ctx context.Context, tok *auth.Token) ([]string, error) {
	var lines []string
	for _, id := range tok.RoutePointIDs {
		rp, err := h.cfg.GetRoutePoint(ctx, id)
		switch {
		case derrors.Category(err) == derrors.NotFound:
			continue
		case err != nil:
			return nil, err
		}
		lines = append(lines, rp.Extension)
	}
	if len(lines) == 0 {
		return nil, derrors.New(derrors.PermissionDenied, "", "the token's route points no longer exist")
	}
	return lines, nil
}

// guardLine fails with PermissionDenied when a limited token acts on a
// line that is not one of its own.
func (h *callControlHandler) guardLine(ctx context.Context, line string) error {
	own, limited, err := h.ownLines(ctx)
	if err != nil || !limited || slices.Contains(own, line) {
		return err
	}
	return derrors.New(derrors.PermissionDenied, "line", "this token acts only on its own %s, not %s", linesText(own), line)
}

// guardCall is guardLine for the line of an existing call.
func (h *callControlHandler) guardCall(ctx context.Context, callID string) error {
	own, limited, err := h.ownLines(ctx)
	if err != nil || !limited {
		return err
	}
	c, err := h.svc.GetCall(callID)
	if err != nil {
		return err
	}
	if !slices.Contains(own, c.Line) {
		return derrors.New(derrors.PermissionDenied, "call_id", "call %s is not on this token's %s", callID, linesText(own))
	}
	return nil
}

// guardCallReady checks that call control runs and the token may act on
// the call.
func (h *callControlHandler) guardCallReady(ctx context.Context, callID string) error {
	if err := h.ready(); err != nil {
		return err
	}
	return h.guardCall(ctx, callID)
}

// lines restricts a line filter for a limited token to its own lines: no
// filter means all of them, and a filter naming another line fails.
func (h *callControlHandler) lines(ctx context.Context, asked []string) ([]string, error) {
	own, limited, err := h.ownLines(ctx)
	if err != nil || !limited {
		return asked, err
	}
	for _, l := range asked {
		if !slices.Contains(own, l) {
			return nil, derrors.New(derrors.PermissionDenied, "lines", "this token sees only its own %s", linesText(own))
		}
	}
	if len(asked) == 0 {
		return own, nil
	}
	return asked, nil
}

// linesText names lines for error messages: "line 2001", "lines 2100, 2101".
func linesText(lines []string) string {
	if len(lines) == 1 {
		return "line " + lines[0]
	}
	return "lines " + strings.Join(lines, ", ")
}
