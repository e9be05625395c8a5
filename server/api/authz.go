package api

import (
	"context"
	"strings"

	"connectrpc.com/connect/v2"

	"github.com/switchboard-pbx/switchboard/gen/switchboard/auth/v1/authv1connect"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1/callcontrolv1connect"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/config/v1/configv1connect"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1/switchv1connect"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/system/v1/systemv1connect"
	"github.com/switchboard-pbx/switchboard/server/auth"
	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// scopes is the scope each procedure needs. A procedure missing here is
// refused (fail closed); a test checks that every registered procedure is
// listed or open.
var scopes = map[string]auth.Scope{
	systemv1connect.SystemServiceGetInfoProcedure:           auth.ScopeRead,
	systemv1connect.SystemServiceListRegistrationsProcedure: auth.ScopeRead,
	systemv1connect.SystemServiceListActiveCallsProcedure:   auth.ScopeRead,

	switchv1connect.SwitchRegistryServiceAttachSwitchProcedure: auth.ScopeAdmin,

	callcontrolv1connect.CallControlServiceMakeCallProcedure:      auth.ScopeAdmin,
	callcontrolv1connect.CallControlServiceDropProcedure:          auth.ScopeAdmin,
	callcontrolv1connect.CallControlServiceSendDigitsProcedure:    auth.ScopeAdmin,
	callcontrolv1connect.CallControlServiceHoldProcedure:          auth.ScopeAdmin,
	callcontrolv1connect.CallControlServiceRetrieveProcedure:      auth.ScopeAdmin,
	callcontrolv1connect.CallControlServiceBlindTransferProcedure: auth.ScopeAdmin,
	callcontrolv1connect.CallControlServiceRedirectProcedure:      auth.ScopeAdmin,
	callcontrolv1connect.CallControlServicePickupProcedure:        auth.ScopeAdmin,
	callcontrolv1connect.CallControlServiceParkProcedure:          auth.ScopeAdmin,
	callcontrolv1connect.CallControlServiceUnparkProcedure:        auth.ScopeAdmin,
	callcontrolv1connect.CallControlServiceGetCallProcedure:       auth.ScopeRead,
	callcontrolv1connect.CallControlServiceListCallsProcedure:     auth.ScopeRead,
	callcontrolv1connect.CallControlServiceWatchEventsProcedure:   auth.ScopeRead,

	authv1connect.TokenServiceCreateTokenProcedure: auth.ScopeAdmin,
	authv1connect.TokenServiceListTokensProcedure:  auth.ScopeAdmin,
	authv1connect.TokenServiceDeleteTokenProcedure: auth.ScopeAdmin,

	configv1connect.ConfigServiceGetSiteProcedure:              auth.ScopeRead,
	configv1connect.ConfigServiceListSitesProcedure:            auth.ScopeRead,
	configv1connect.ConfigServiceCreateSiteProcedure:           auth.ScopeAdmin,
	configv1connect.ConfigServiceUpdateSiteProcedure:           auth.ScopeAdmin,
	configv1connect.ConfigServiceDeleteSiteProcedure:           auth.ScopeAdmin,
	configv1connect.ConfigServiceGetServerProcedure:            auth.ScopeRead,
	configv1connect.ConfigServiceListServersProcedure:          auth.ScopeRead,
	configv1connect.ConfigServiceUpdateServerProcedure:         auth.ScopeAdmin,
	configv1connect.ConfigServiceGetClassOfServiceProcedure:    auth.ScopeRead,
	configv1connect.ConfigServiceListClassesOfServiceProcedure: auth.ScopeRead,
	configv1connect.ConfigServiceCreateClassOfServiceProcedure: auth.ScopeAdmin,
	configv1connect.ConfigServiceUpdateClassOfServiceProcedure: auth.ScopeAdmin,
	configv1connect.ConfigServiceDeleteClassOfServiceProcedure: auth.ScopeAdmin,
	configv1connect.ConfigServiceGetUserProcedure:              auth.ScopeRead,
	configv1connect.ConfigServiceListUsersProcedure:            auth.ScopeRead,
	configv1connect.ConfigServiceCreateUserProcedure:           auth.ScopeAdmin,
	configv1connect.ConfigServiceUpdateUserProcedure:           auth.ScopeAdmin,
	configv1connect.ConfigServiceDeleteUserProcedure:           auth.ScopeAdmin,
	configv1connect.ConfigServiceGetDeviceProcedure:            auth.ScopeRead,
	configv1connect.ConfigServiceListDevicesProcedure:          auth.ScopeRead,
	configv1connect.ConfigServiceCreateDeviceProcedure:         auth.ScopeAdmin,
	configv1connect.ConfigServiceUpdateDeviceProcedure:         auth.ScopeAdmin,
	configv1connect.ConfigServiceDeleteDeviceProcedure:         auth.ScopeAdmin,
	configv1connect.ConfigServiceGetDialPlanProcedure:          auth.ScopeRead,
	configv1connect.ConfigServiceUpdateDialPlanProcedure:       auth.ScopeAdmin,
	configv1connect.ConfigServiceWatchChangesProcedure:         auth.ScopeRead,
}

// openPrefixes are procedures that need no token: gRPC server reflection.
var openPrefixes = []string{"/grpc.reflection.v1.", "/grpc.reflection.v1alpha."}

func isOpen(procedure string) bool {
	for _, p := range openPrefixes {
		if strings.HasPrefix(procedure, p) {
			return true
		}
	}
	return false
}

type tokenKey struct{}

// TokenFromContext returns the token that authenticated the call, if any.
func TokenFromContext(ctx context.Context) (*auth.Token, bool) {
	t, ok := ctx.Value(tokenKey{}).(*auth.Token)
	return t, ok
}

// authInterceptor checks the bearer token against the procedure's scope
// before any request message is read.
func authInterceptor(tokens *auth.Service) connect.ServerInterceptor {
	return func(next connect.ServerFunc) connect.ServerFunc {
		return func(ctx context.Context, spec connect.Spec, stream connect.ServerStream) error {
			if isOpen(spec.Procedure) {
				return next(ctx, spec, stream)
			}
			need, ok := scopes[spec.Procedure]
			if !ok {
				return derrors.New(derrors.PermissionDenied, "", "%s is not open to API tokens", spec.Procedure)
			}
			info, _ := connect.CallInfoForServerContext(ctx)
			secret, ok := bearer(info.RequestHeader().Get("Authorization"))
			if !ok {
				return derrors.New(derrors.Unauthenticated, "",
					`missing bearer token: send the header "Authorization: Bearer <token>"`)
			}
			tok, err := tokens.Authenticate(ctx, secret)
			if err != nil {
				return err
			}
			if !tok.Scope.Allows(need) {
				return derrors.New(derrors.PermissionDenied, "",
					"token %q has scope %s; %s needs %s", tok.Name, tok.Scope, spec.Procedure, need)
			}
			return next(context.WithValue(ctx, tokenKey{}, tok), spec, stream)
		}
	}
}

func bearer(h string) (string, bool) {
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	return strings.TrimSpace(h[len(prefix):]), true
}
