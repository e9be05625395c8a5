package tms

import (
	"context"
	"log/slog"
	"net/http"
	"sort"
	"sync"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"

	"github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1/switchv1connect"
	"github.com/switchboard-pbx/switchboard/server/config"
)

// HeartbeatSeconds is how often an attached switch re-attaches.
const HeartbeatSeconds = 30

// Registry is the set of switches this server manages: its in-process
// softswitch and any switch that attached itself over the network. Each
// gets its own TMS loop.
type Registry struct {
	cfg *config.Service
	log *slog.Logger
	ctx context.Context

	mu       sync.Mutex
	switches map[string]*managed // by name ("local" for the in-process one)
	onSwitch []func(ctx context.Context, name string, c switchv1connect.SwitchServiceClient)
}

// OnSwitch registers fn to run (on its own goroutine, until the switch is
// replaced or the server stops) for every switch the registry manages,
// e.g. to follow its events. Register before the first switch attaches.
func (r *Registry) OnSwitch(fn func(ctx context.Context, name string, c switchv1connect.SwitchServiceClient)) {
	r.mu.Lock()
	r.onSwitch = append(r.onSwitch, fn)
	r.mu.Unlock()
}

type managed struct {
	name, url, sip string
	client         switchv1connect.SwitchServiceClient
	cancel         context.CancelFunc
}

// NewRegistry returns a registry whose TMS loops run until ctx ends.
func NewRegistry(ctx context.Context, cfg *config.Service, log *slog.Logger) *Registry {
	return &Registry{cfg: cfg, log: log, ctx: ctx, switches: make(map[string]*managed)}
}

// Manage starts a TMS loop for a switch reached through client, replacing
// any earlier switch of that name.
func (r *Registry) Manage(name, url, sip string, client switchv1connect.SwitchServiceClient) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.switches[name]; ok {
		if old.url == url {
			return // a heartbeat: nothing changed
		}
		old.cancel()
	}
	ctx, cancel := context.WithCancel(r.ctx)
	m := &managed{name: name, url: url, sip: sip, client: client, cancel: cancel}
	r.switches[name] = m
	for _, fn := range r.onSwitch {
		go fn(ctx, name, client)
	}
	t := New(r.cfg, client, r.log.With("switch", name))
	go func() {
		if err := t.Run(ctx); err != nil && ctx.Err() == nil {
			r.log.Error("tms: switch management ended", "switch", name, "error", err)
		}
	}()
	r.log.Info("tms: managing switch", "switch", name, "url", url, "sip", sip)
}

// Attach manages a remote switch at url, calling it with the bearer token.
func (r *Registry) Attach(name, url, sip, token string) {
	client := switchv1connect.NewSwitchServiceClient(connect.NewClient(
		connecthttp.NewTransport(http.DefaultClient, url), BearerClient(token)))
	r.Manage(name, url, sip, client)
}

// Clients returns the managed switches' clients, by name.
func (r *Registry) Clients() []switchv1connect.SwitchServiceClient {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.switches))
	for n := range r.switches {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]switchv1connect.SwitchServiceClient, len(names))
	for i, n := range names {
		out[i] = r.switches[n].client
	}
	return out
}

// BearerClient is a client interceptor sending token as a bearer token.
func BearerClient(token string) connect.ClientInterceptor {
	return func(next connect.ClientFunc) connect.ClientFunc {
		return func(ctx context.Context, spec connect.Spec) (connect.ClientStream, error) {
			info, ok := connect.CallInfoForClientContext(ctx)
			if !ok {
				ctx, info = connect.NewClientContext(ctx)
			}
			info.RequestHeader().Set("Authorization", "Bearer "+token)
			return next(ctx, spec)
		}
	}
}
