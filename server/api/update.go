package api

import (
	"context"
	"errors"
	"slices"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"buf.build/go/protovalidate"
	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connectproto"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// resource describes one kind of configuration resource for the generic
// update path: read the current value, apply the masked fields of the
// request to it, validate the merged message as a whole, check the etag and
// save with the version that was read.
type resource[D any, M proto.Message] struct {
	field     string   // request field holding the resource, e.g. "user"
	number    int32    // its field number in the Update request
	writable  []string // fields a client may change
	get       func(ctx context.Context, id string) (D, error)
	toProto   func(D) M
	fromProto func(M) D
	meta      func(D) *config.Meta
}

// update runs the generic update path; save stores the merged value.
func (r resource[D, M]) update(ctx context.Context, patch M, mask *fieldmaskpb.FieldMask,
	id, etagValue string, save func(context.Context, D) (D, error)) (M, error) {
	var zero M
	if id == "" && r.field != "dial_plan" {
		return zero, derrors.New(derrors.InvalidArgument, r.field+".id", "is required")
	}
	want, err := parseEtag(r.field+".etag", etagValue)
	if err != nil {
		return zero, err
	}
	cur, err := r.get(ctx, id)
	if err != nil {
		return zero, err
	}
	version := r.meta(cur).Version
	if want != 0 && want != version {
		return zero, derrors.New(derrors.Aborted, r.field+".etag",
			"is stale: the resource was changed (current etag %s); read it again", etag(version))
	}
	merged, err := r.merge(r.toProto(cur), patch, mask)
	if err != nil {
		return zero, err
	}
	next := r.fromProto(merged)
	*r.meta(next) = *r.meta(cur)
	saved, err := save(ctx, next)
	if err != nil {
		return zero, err
	}
	return r.toProto(saved), nil
}

// merge copies the fields named in mask from patch onto cur and validates
// the result.
func (r resource[D, M]) merge(cur, patch M, mask *fieldmaskpb.FieldMask) (M, error) {
	paths := mask.GetPaths()
	if len(paths) == 0 {
		paths = r.writable
	}
	dst := cur.ProtoReflect()
	src := patch.ProtoReflect()
	for _, p := range paths {
		if !slices.Contains(r.writable, p) {
			return cur, derrors.New(derrors.InvalidArgument, "update_mask",
				"%q is not a writable field of %s (writable: %v)", p, r.field, r.writable)
		}
		fd := dst.Descriptor().Fields().ByName(protoName(p))
		if src.Has(fd) {
			dst.Set(fd, src.Get(fd))
		} else {
			dst.Clear(fd)
		}
	}
	if err := protovalidate.Validate(cur); err != nil {
		return cur, r.validationError(err)
	}
	return cur, nil
}

// validationError turns a protovalidate error on the merged resource into
// InvalidArgument with field paths relative to the request.
func (r resource[D, M]) validationError(err error) error {
	var verr *protovalidate.ValidationError
	if !errors.As(err, &verr) {
		return err
	}
	name := r.field
	for _, v := range verr.Violations {
		if v.Proto == nil {
			continue
		}
		if v.Proto.Field == nil {
			v.Proto.Field = &validate.FieldPath{}
		}
		elem := &validate.FieldPath{Elements: []*validate.FieldPathElement{{
			FieldNumber: proto.Int32(r.number), FieldName: &name,
			FieldType: descriptorpb.FieldDescriptorProto_TYPE_MESSAGE.Enum()}}}
		v.Proto.Field.Elements = append(elem.Elements, v.Proto.Field.Elements...)
	}
	cerr := connect.NewError(connect.CodeInvalidArgument, verr.Error()).WithCause(err)
	if detail, derr := connectproto.NewErrorDetail(verr.ToProto()); derr == nil {
		cerr = cerr.WithDetail(detail)
	}
	return cerr
}

func protoName(p string) protoreflect.Name { return protoreflect.Name(p) }
