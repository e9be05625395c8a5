package api

import (
	"container/list"
	"context"
	"sync"
	"time"

	"connectrpc.com/connect/v2"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/switchboard-pbx/switchboard/server/auth"
)

// Idempotency keys: a unary request whose message has a non-empty
// idempotency_key field is carried out once per key and token; a retry
// with the same key (a client that lost the answer) gets the first
// outcome, response or error, instead of acting again. A retry arriving
// while the first is running waits for it. Outcomes are kept for
// idemTTL, at most idemEntries of them.
const (
	idemTTL     = 10 * time.Minute
	idemEntries = 10_000
)

// idemEntry is the outcome of one keyed request.
type idemEntry struct {
	key  string
	at   time.Time
	done chan struct{} // closed when res and err are set
	res  proto.Message
	err  error
	elem *list.Element
}

// idemCache holds outcomes by key, oldest first.
type idemCache struct {
	mu    sync.Mutex
	m     map[string]*idemEntry
	order *list.List
}

// claim returns the entry for key and whether the caller runs the request
// (false: wait for entry.done).
func (c *idemCache) claim(key string) (*idemEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	for e := c.order.Front(); e != nil; e = c.order.Front() {
		old := e.Value.(*idemEntry)
		if now.Sub(old.at) < idemTTL && c.order.Len() < idemEntries {
			break
		}
		c.order.Remove(e)
		delete(c.m, old.key)
	}
	if e, ok := c.m[key]; ok {
		return e, false
	}
	e := &idemEntry{key: key, at: now, done: make(chan struct{})}
	e.elem = c.order.PushBack(e)
	c.m[key] = e
	return e, true
}

// idempotencyInterceptor applies idempotency keys to unary procedures
// whose request has an idempotency_key string field.
func idempotencyInterceptor() connect.ServerInterceptor {
	cache := &idemCache{m: make(map[string]*idemEntry), order: list.New()}
	return func(next connect.ServerFunc) connect.ServerFunc {
		return func(ctx context.Context, spec connect.Spec, stream connect.ServerStream) error {
			md, ok := spec.Schema.(protoreflect.MethodDescriptor)
			if !ok || spec.StreamType != connect.StreamTypeUnary {
				return next(ctx, spec, stream)
			}
			field := md.Input().Fields().ByName("idempotency_key")
			if field == nil || field.Kind() != protoreflect.StringKind {
				return next(ctx, spec, stream)
			}
			mt, err := protoregistry.GlobalTypes.FindMessageByName(md.Input().FullName())
			if err != nil {
				return next(ctx, spec, stream)
			}
			req := mt.New().Interface()
			if err := stream.Receive(req); err != nil {
				return err
			}
			s := &keyedStream{ServerStream: stream, req: req}
			key := req.ProtoReflect().Get(field).String()
			if key == "" {
				return next(ctx, spec, s)
			}
			subject := ""
			if tok, ok := ctx.Value(tokenKey{}).(*auth.Token); ok {
				subject = tok.ID
			}
			e, first := cache.claim(spec.Procedure + "\x00" + subject + "\x00" + key)
			if !first {
				select {
				case <-e.done:
				case <-ctx.Done():
					return ctx.Err()
				}
				if e.err != nil {
					return e.err
				}
				return stream.Send(e.res)
			}
			err = next(ctx, spec, s)
			e.res, e.err = s.res, err
			close(e.done)
			return err
		}
	}
}

// keyedStream hands the handler the request the interceptor already read
// and keeps the response it sends.
type keyedStream struct {
	connect.ServerStream
	req  proto.Message
	read bool
	res  proto.Message
}

func (s *keyedStream) Receive(msg any) error {
	if s.read {
		return s.ServerStream.Receive(msg)
	}
	s.read = true
	m, ok := msg.(proto.Message)
	if !ok {
		return connect.Errorf(connect.CodeInternal, "request is not a protobuf message")
	}
	proto.Reset(m)
	proto.Merge(m, s.req)
	return nil
}

func (s *keyedStream) Send(msg any) error {
	if m, ok := msg.(proto.Message); ok {
		s.res = proto.Clone(m)
	}
	return s.ServerStream.Send(msg)
}
