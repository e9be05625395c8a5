// Package apptest starts real Switchboard servers for tests: an in-memory
// (or given) database, an API listener on a free loopback port, and
// generated clients speaking Connect or gRPC with a bearer token.
package apptest

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"

	"github.com/switchboard-pbx/switchboard/gen/switchboard/auth/v1/authv1connect"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1/callcontrolv1connect"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/config/v1/configv1connect"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/system/v1/systemv1connect"
	"github.com/switchboard-pbx/switchboard/server/app"
)

// Protocols are the wire protocols tests run against.
var Protocols = []string{"connect", "grpc"}

// Server is a running test server.
type Server struct {
	App        *app.App
	URL        string
	AdminToken string
	DataDir    string
	SIPAddr    string // the softswitch's SIP address, when Options.Switch
}

// Options change what Start starts.
type Options struct {
	DB     string // default ":memory:"
	Switch bool   // run the softswitch on a free loopback port
}

// Start starts a server that stops when the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.DB == "" {
		opts.DB = ":memory:"
	}
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cfg := app.Config{DataDir: dir, Listen: "127.0.0.1:0", DB: opts.DB, Log: log, Out: io.Discard}
	if opts.Switch {
		cfg.SIPListen, cfg.RTPPorts = "127.0.0.1:0", "40000-49999"
	}
	a, err := app.New(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatalf("start server: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("server stopped with: %v", err)
		}
	})
	if a.Switch != nil {
		<-a.Switch.Ready()
	}
	tok, err := os.ReadFile(filepath.Join(dir, "admin.token"))
	if err != nil {
		t.Fatalf("read admin token: %v", err)
	}
	srv := &Server{App: a, URL: a.URL(), AdminToken: strings.TrimSpace(string(tok)), DataDir: dir}
	if a.Switch != nil {
		srv.SIPAddr = a.Switch.SIPAddr().String()
	}
	return srv
}

// Clients are the generated API clients.
type Clients struct {
	Config configv1connect.ConfigServiceClient
	System systemv1connect.SystemServiceClient
	Tokens authv1connect.TokenServiceClient
	Calls  callcontrolv1connect.CallControlServiceClient
}

// Clients returns clients speaking protocol ("connect" or "grpc") that send
// token as the bearer token (none when empty).
func (s *Server) Clients(protocol, token string) Clients {
	c := NewClient(s.URL, protocol, token)
	return Clients{
		Config: configv1connect.NewConfigServiceClient(c),
		System: systemv1connect.NewSystemServiceClient(c),
		Tokens: authv1connect.NewTokenServiceClient(c),
		Calls:  callcontrolv1connect.NewCallControlServiceClient(c),
	}
}

// NewClient returns a connect.Client for baseURL speaking protocol and
// sending token as the bearer token.
func NewClient(baseURL, protocol, token string) *connect.Client {
	var opts []connecthttp.Option
	httpClient := &http.Client{Transport: transport(protocol == "grpc")}
	if protocol == "grpc" {
		opts = append(opts, connecthttp.WithGRPC())
	}
	return connect.NewClient(connecthttp.NewTransport(httpClient, baseURL, opts...), Bearer(token))
}

// Bearer is a client interceptor that sends token in the Authorization
// header.
func Bearer(token string) connect.ClientInterceptor {
	return func(next connect.ClientFunc) connect.ClientFunc {
		return func(ctx context.Context, spec connect.Spec) (connect.ClientStream, error) {
			if token != "" {
				ctx, info := connectCtx(ctx)
				info.RequestHeader().Set("Authorization", "Bearer "+token)
				return next(ctx, spec)
			}
			return next(ctx, spec)
		}
	}
}

func connectCtx(ctx context.Context) (context.Context, *connect.CallInfo) {
	if info, ok := connect.CallInfoForClientContext(ctx); ok {
		return ctx, info
	}
	return connect.NewClientContext(ctx)
}

// transport speaks HTTP/1.1, or cleartext HTTP/2 (h2c) as gRPC needs.
func transport(h2c bool) *http.Transport {
	p := new(http.Protocols)
	if h2c {
		p.SetUnencryptedHTTP2(true)
	} else {
		p.SetHTTP1(true)
	}
	return &http.Transport{
		Protocols:   p,
		DialContext: (&net.Dialer{}).DialContext,
		// Test servers use plain HTTP; TLS settings are for completeness.
		TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12},
	}
}
