package api

import (
	"context"

	authv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/auth/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/auth/v1/authv1connect"
	"github.com/switchboard-pbx/switchboard/server/auth"
)

// tokenHandler adapts TokenService to the auth domain.
type tokenHandler struct {
	authv1connect.UnimplementedTokenServiceHandler
	svc *auth.Service
}

func tokenToProto(t *auth.Token) *authv1.Token {
	return &authv1.Token{Id: t.ID, Name: t.Name, Scope: authv1.Scope(t.Scope), UserId: t.UserID,
		RoutePointIds: t.RoutePointIDs, CreateTime: ts(t.Created)}
}

func (h *tokenHandler) CreateToken(ctx context.Context, req *authv1.CreateTokenRequest) (*authv1.CreateTokenResponse, error) {
	t, secret, err := h.svc.Create(ctx, req.GetName(), auth.Grant{Scope: auth.Scope(req.GetScope()),
		UserID: req.GetUserId(), RoutePointIDs: req.GetRoutePointIds()})
	if err != nil {
		return nil, err
	}
	return &authv1.CreateTokenResponse{Token: tokenToProto(t), Secret: secret}, nil
}

func (h *tokenHandler) ListTokens(ctx context.Context, _ *authv1.ListTokensRequest) (*authv1.ListTokensResponse, error) {
	ts, err := h.svc.List(ctx)
	if err != nil {
		return nil, err
	}
	return &authv1.ListTokensResponse{Tokens: mapSlice(ts, tokenToProto)}, nil
}

func (h *tokenHandler) DeleteToken(ctx context.Context, req *authv1.DeleteTokenRequest) (*authv1.DeleteTokenResponse, error) {
	return &authv1.DeleteTokenResponse{}, h.svc.Delete(ctx, req.GetId())
}
