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
//
// User and application tokens pass only NeedLines and NeedLinesRead: call
// control, limited by the handler to their own lines (callcontrol_scope.go).
// Application tokens get no configuration access at all, not even to read
// their own route points: that would need a per-resource check in the
// config handlers, and an application learns its route points' extensions
// from whoever issues its token.
var scopes = map[string]auth.Need{
	systemv1connect.SystemServiceGetInfoProcedure:           auth.NeedRead,
	systemv1connect.SystemServiceListRegistrationsProcedure: auth.NeedRead,
	systemv1connect.SystemServiceListActiveCallsProcedure:   auth.NeedRead,

	switchv1connect.SwitchRegistryServiceAttachSwitchProcedure: auth.NeedAdmin,

	callcontrolv1connect.CallControlServiceMakeCallProcedure:          auth.NeedLines,
	callcontrolv1connect.CallControlServiceDropProcedure:              auth.NeedLines,
	callcontrolv1connect.CallControlServiceSendDigitsProcedure:        auth.NeedLines,
	callcontrolv1connect.CallControlServiceHoldProcedure:              auth.NeedLines,
	callcontrolv1connect.CallControlServiceRetrieveProcedure:          auth.NeedLines,
	callcontrolv1connect.CallControlServiceBlindTransferProcedure:     auth.NeedLines,
	callcontrolv1connect.CallControlServiceRedirectProcedure:          auth.NeedLines,
	callcontrolv1connect.CallControlServicePickupProcedure:            auth.NeedLines,
	callcontrolv1connect.CallControlServiceParkProcedure:              auth.NeedLines,
	callcontrolv1connect.CallControlServiceUnparkProcedure:            auth.NeedLines,
	callcontrolv1connect.CallControlServiceConsultTransferProcedure:   auth.NeedLines,
	callcontrolv1connect.CallControlServiceCompleteTransferProcedure:  auth.NeedLines,
	callcontrolv1connect.CallControlServiceAnswerProcedure:            auth.NeedLines,
	callcontrolv1connect.CallControlServicePlayProcedure:              auth.NeedLines,
	callcontrolv1connect.CallControlServiceCollectDigitsProcedure:     auth.NeedLines,
	callcontrolv1connect.CallControlServiceStartRecordingProcedure:    auth.NeedLines,
	callcontrolv1connect.CallControlServiceStopRecordingProcedure:     auth.NeedLines,
	callcontrolv1connect.CallControlServiceDownloadRecordingProcedure: auth.NeedLinesRead,
	callcontrolv1connect.CallControlServiceGetCallProcedure:           auth.NeedLinesRead,
	callcontrolv1connect.CallControlServiceListCallsProcedure:         auth.NeedLinesRead,
	callcontrolv1connect.CallControlServiceWatchEventsProcedure:       auth.NeedLinesRead,

	authv1connect.TokenServiceCreateTokenProcedure: auth.NeedAdmin,
	authv1connect.TokenServiceListTokensProcedure:  auth.NeedAdmin,
	authv1connect.TokenServiceDeleteTokenProcedure: auth.NeedAdmin,

	configv1connect.ConfigServiceGetSiteProcedure:              auth.NeedRead,
	configv1connect.ConfigServiceListSitesProcedure:            auth.NeedRead,
	configv1connect.ConfigServiceCreateSiteProcedure:           auth.NeedAdmin,
	configv1connect.ConfigServiceUpdateSiteProcedure:           auth.NeedAdmin,
	configv1connect.ConfigServiceDeleteSiteProcedure:           auth.NeedAdmin,
	configv1connect.ConfigServiceGetServerProcedure:            auth.NeedRead,
	configv1connect.ConfigServiceListServersProcedure:          auth.NeedRead,
	configv1connect.ConfigServiceUpdateServerProcedure:         auth.NeedAdmin,
	configv1connect.ConfigServiceGetClassOfServiceProcedure:    auth.NeedRead,
	configv1connect.ConfigServiceListClassesOfServiceProcedure: auth.NeedRead,
	configv1connect.ConfigServiceCreateClassOfServiceProcedure: auth.NeedAdmin,
	configv1connect.ConfigServiceUpdateClassOfServiceProcedure: auth.NeedAdmin,
	configv1connect.ConfigServiceDeleteClassOfServiceProcedure: auth.NeedAdmin,
	configv1connect.ConfigServiceGetUserProcedure:              auth.NeedRead,
	configv1connect.ConfigServiceListUsersProcedure:            auth.NeedRead,
	configv1connect.ConfigServiceCreateUserProcedure:           auth.NeedAdmin,
	configv1connect.ConfigServiceUpdateUserProcedure:           auth.NeedAdmin,
	configv1connect.ConfigServiceDeleteUserProcedure:           auth.NeedAdmin,
	configv1connect.ConfigServiceGetDeviceProcedure:            auth.NeedRead,
	configv1connect.ConfigServiceListDevicesProcedure:          auth.NeedRead,
	configv1connect.ConfigServiceCreateDeviceProcedure:         auth.NeedAdmin,
	configv1connect.ConfigServiceUpdateDeviceProcedure:         auth.NeedAdmin,
	configv1connect.ConfigServiceDeleteDeviceProcedure:         auth.NeedAdmin,
	configv1connect.ConfigServiceGetRoutePointProcedure:        auth.NeedRead,
	configv1connect.ConfigServiceListRoutePointsProcedure:      auth.NeedRead,
	configv1connect.ConfigServiceCreateRoutePointProcedure:     auth.NeedAdmin,
	configv1connect.ConfigServiceUpdateRoutePointProcedure:     auth.NeedAdmin,
	configv1connect.ConfigServiceDeleteRoutePointProcedure:     auth.NeedAdmin,
	configv1connect.ConfigServiceGetDialPlanProcedure:          auth.NeedRead,
	configv1connect.ConfigServiceUpdateDialPlanProcedure:       auth.NeedAdmin,
	configv1connect.ConfigServiceWatchChangesProcedure:         auth.NeedRead,
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
