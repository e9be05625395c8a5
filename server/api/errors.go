package api

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connectproto"
	"google.golang.org/protobuf/proto"

	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// codes is the one table from domain error categories to Connect codes.
var codes = []struct {
	category error
	code     connect.Code
}{
	{derrors.InvalidArgument, connect.CodeInvalidArgument},
	{derrors.NotFound, connect.CodeNotFound},
	{derrors.AlreadyExists, connect.CodeAlreadyExists},
	{derrors.FailedPrecondition, connect.CodeFailedPrecondition},
	{derrors.Aborted, connect.CodeAborted},
	{derrors.OutOfRange, connect.CodeOutOfRange},
	{derrors.Unavailable, connect.CodeUnavailable},
	{derrors.PermissionDenied, connect.CodePermissionDenied},
	{derrors.Unauthenticated, connect.CodeUnauthenticated},
}

// toConnect turns an error from a domain package into a *connect.Error the
// client can read. Errors that already are *connect.Error (validation) pass
// through; errors without a category become Internal with a generic
// message, and their text is logged here instead.
func toConnect(ctx context.Context, log *slog.Logger, procedure string, err error) error {
	if err == nil {
		return nil
	}
	var cerr *connect.Error
	if errors.As(err, &cerr) && !cerr.IsRemote() {
		return cerr
	}
	switch {
	case errors.Is(err, context.Canceled):
		return connect.NewError(connect.CodeCanceled, "request canceled")
	case errors.Is(err, context.DeadlineExceeded):
		return connect.NewError(connect.CodeDeadlineExceeded, "deadline exceeded")
	}
	for _, row := range codes {
		if errors.Is(err, row.category) {
			return withFieldDetail(connect.NewError(row.code, derrors.Public(err)).WithCause(err), err)
		}
	}
	log.ErrorContext(ctx, "internal error", "procedure", procedure, "error", err)
	return connect.NewError(connect.CodeInternal, "internal error; see the server log").WithCause(err)
}

// errorInterceptor applies toConnect to every handler error and turns a
// panic into Internal, so that no handler can leak an error text or crash
// the server.
func errorInterceptor(log *slog.Logger) connect.ServerInterceptor {
	return func(next connect.ServerFunc) connect.ServerFunc {
		return func(ctx context.Context, spec connect.Spec, stream connect.ServerStream) (err error) {
			defer func() {
				if r := recover(); r != nil {
					log.ErrorContext(ctx, "handler panic", "procedure", spec.Procedure, "panic", r)
					err = connect.NewError(connect.CodeInternal, "internal error; see the server log")
				}
			}()
			return toConnect(ctx, log, spec.Procedure, next(ctx, spec, stream))
		}
	}
}

// withFieldDetail attaches a buf.validate.Violations detail naming the
// field of a domain error, so that clients find the field at fault the
// same way for schema and for domain rule violations.
func withFieldDetail(cerr *connect.Error, err error) *connect.Error {
	var e *derrors.Error
	if !errors.As(err, &e) || e.Field == "" {
		return cerr
	}
	path := &validate.FieldPath{}
	for _, name := range strings.Split(e.Field, ".") {
		path.Elements = append(path.Elements, &validate.FieldPathElement{FieldName: proto.String(name)})
	}
	v := &validate.Violations{Violations: []*validate.Violation{{
		Field: path, RuleId: proto.String("switchboard." + strings.ReplaceAll(strings.ToLower(derrors.Category(err).Error()), " ", "_")),
		Message: proto.String(e.Message)}}}
	if detail, derr := connectproto.NewErrorDetail(v); derr == nil {
		cerr = cerr.WithDetail(detail)
	}
	return cerr
}
