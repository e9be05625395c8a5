// Package app assembles a Switchboard server from its parts: the store,
// the domain services, the API and the HTTP listener. server/cmd/switchboard
// only parses flags and calls it; tests start real servers through it.
package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1/switchv1connect"
	"github.com/switchboard-pbx/switchboard/media/switchsvc"
	"github.com/switchboard-pbx/switchboard/server/api"
	"github.com/switchboard-pbx/switchboard/server/auth"
	"github.com/switchboard-pbx/switchboard/server/callcontrol"
	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/derrors"
	"github.com/switchboard-pbx/switchboard/server/store"
	"github.com/switchboard-pbx/switchboard/server/tms"
)

// Version is the Switchboard version, set at build time with
// -ldflags "-X github.com/switchboard-pbx/switchboard/server/app.Version=…".
var Version = "0.1.0-dev"

// Config is what a server needs to start.
type Config struct {
	DataDir  string // created if missing; holds the SQLite database and admin.token
	Listen   string // API address, e.g. ":8080" or "127.0.0.1:0"
	DB       string // "" = SQLite in DataDir; "postgres://…" = PostgreSQL; ":memory:" for tests
	Role     string // "hq" (the only role so far)
	TLSCert  string // PEM files; both or neither
	TLSKey   string
	SiteName string // for the first start only
	TimeZone string // for the first start only

	SIPListen    string        // switch SIP address (UDP and TCP); "" runs no switch
	SIPAdvertise string        // host put in SIP headers; default from SIPListen
	SIPDigest    string        // digest algorithms challenged, e.g. "sha-256,md5"; default "md5"
	RTPPorts     string        // "10000-20000"
	RingTimeout  time.Duration // 0: the switch's default
	MediaTimeout time.Duration // 0: the switch's default
	Log          *slog.Logger
	Out          io.Writer // where the first admin token is printed (default os.Stdout)
}

// App is a running server's parts.
type App struct {
	cfg      Config
	log      *slog.Logger
	store    *store.Store
	Config   *config.Service
	Tokens   *auth.Service
	Server   *config.Server // this server's configuration entry
	Switch   *switchsvc.Switch
	listener net.Listener
	http     *http.Server

	// Switches are the switches this server manages (its own and attached
	// ones), each kept in step with the configuration by a TMS loop.
	Switches     *tms.Registry
	Calls        *callcontrol.Service
	switchClient switchv1connect.SwitchServiceClient
	runCtx       context.Context
	stopRun      context.CancelFunc
}

// New opens the store (running migrations), bootstraps an empty system,
// creates the first admin token when there is none, and binds the API
// listener. It does not serve yet: call Serve.
func New(ctx context.Context, cfg Config) (*App, error) {
	if err := cfg.normalize(); err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, log: cfg.Log}
	a.runCtx, a.stopRun = context.WithCancel(context.Background())
	if err := a.openStore(ctx); err != nil {
		return nil, err
	}
	a.Switches = tms.NewRegistry(a.runCtx, a.Config, a.log)
	a.Calls = callcontrol.New(a.Config, a.Switches, a.log)
	a.Switches.OnSwitch(a.Calls.Follow)
	if err := a.bootstrap(ctx); err != nil {
		a.store.Close()
		return nil, err
	}
	if err := a.startSwitch(); err != nil {
		a.store.Close()
		return nil, err
	}
	if err := a.listen(); err != nil {
		a.store.Close()
		return nil, err
	}
	return a, nil
}

func (c *Config) normalize() error {
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.Out == nil {
		c.Out = os.Stdout
	}
	if c.Role == "" {
		c.Role = "hq"
	}
	if c.Role != "hq" {
		return fmt.Errorf("role %q is not supported yet: only \"hq\" is", c.Role)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	if c.DataDir == "" {
		c.DataDir = "data"
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	return nil
}

func (a *App) openStore(ctx context.Context) error {
	dsn := a.cfg.DB
	if dsn == "" {
		dsn = filepath.Join(a.cfg.DataDir, "switchboard.db")
		// The database holds SIP credentials (HA1) and token hashes: only
		// the server's user may read it. SQLite keeps a file's mode.
		if f, err := os.OpenFile(dsn, os.O_CREATE|os.O_RDONLY, 0o600); err == nil {
			f.Close()
		}
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	a.store = st
	a.Config = config.NewService(st, config.WithLogger(a.log))
	a.Tokens = auth.NewService(st, auth.WithUserCheck(func(ctx context.Context, id string) error {
		if _, err := a.Config.GetUser(ctx, id); err != nil {
			return derrors.New(derrors.NotFound, "user_id", "user %s does not exist", id)
		}
		return nil
	}), auth.WithRoutePointCheck(func(ctx context.Context, id string) error {
		_, err := a.Config.GetRoutePoint(ctx, id)
		if derrors.Category(err) == derrors.NotFound {
			return derrors.New(derrors.NotFound, "route_point_ids", "route point %s does not exist", id)
		}
		return err
	}))
	return nil
}

// bootstrap creates the initial configuration and admin token if needed.
func (a *App) bootstrap(ctx context.Context) error {
	host, _ := os.Hostname()
	hq, created, err := a.Config.Bootstrap(ctx, config.Defaults{
		SiteName: a.cfg.SiteName, TimeZone: a.cfg.TimeZone, ServerName: host})
	if err != nil {
		return fmt.Errorf("bootstrap configuration: %w", err)
	}
	a.Server = hq
	if created {
		a.log.Info("created initial configuration", "site_id", hq.SiteID, "server_id", hq.ID)
	}
	secret, err := a.Tokens.EnsureAdmin(ctx)
	if err != nil || secret == "" {
		return err
	}
	path := filepath.Join(a.cfg.DataDir, "admin.token")
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return fmt.Errorf("write admin token: %w", err)
	}
	fmt.Fprintf(a.cfg.Out, "\nAdmin API token (shown once, also saved to %s):\n\n    %s\n\n", path, secret)
	a.log.Info("created admin token", "file", path)
	return nil
}

func (a *App) listen() error {
	ln, err := net.Listen("tcp", a.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.cfg.Listen, err)
	}
	a.listener = ln
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if a.Switch != nil {
		registerSwitchMetrics(reg, a.Switch)
	}
	mux := http.NewServeMux()
	api.Mount(mux, api.NewServer(api.Deps{
		Config: a.Config, Tokens: a.Tokens, Log: a.log, Metrics: api.NewMetrics(reg), Switches: a.Switches, Calls: a.Calls,
		Identity: api.Identity{Version: Version, Server: a.Server, Started: time.Now()},
	}))
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	protocols := new(http.Protocols)
	protocols.SetHTTP1(true)
	protocols.SetHTTP2(true)
	protocols.SetUnencryptedHTTP2(true)
	a.http = &http.Server{Handler: mux, Protocols: protocols, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelWarn)}
	return nil
}

// URL is the base URL clients use to reach the API.
func (a *App) URL() string {
	scheme := "http"
	if a.cfg.TLSCert != "" {
		scheme = "https"
	}
	addr := a.listener.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "localhost"
	}
	return fmt.Sprintf("%s://%s", scheme, net.JoinHostPort(host, fmt.Sprint(addr.Port)))
}

// Serve serves the API until ctx ends, then shuts down gracefully (open
// streams get up to 10 s) and closes the store.
func (a *App) Serve(ctx context.Context) error {
	defer a.store.Close()
	defer a.stopRun()
	a.runSwitch(ctx)
	errc := make(chan error, 1)
	go func() {
		if a.cfg.TLSCert != "" {
			a.http.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
			errc <- a.http.ServeTLS(a.listener, a.cfg.TLSCert, a.cfg.TLSKey)
			return
		}
		errc <- a.http.Serve(a.listener)
	}()
	a.log.Info("serving API", "url", a.URL(), "role", a.cfg.Role, "server", a.Server.Name)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a.Config.Close() // end change-feed streams so Shutdown need not wait for them
	err := a.http.Shutdown(shutdown)
	if errors.Is(err, context.DeadlineExceeded) {
		err = a.http.Close()
	}
	<-errc
	return err
}
