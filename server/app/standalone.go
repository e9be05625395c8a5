package app

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"
	"connectrpc.com/validate"

	switchv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1/switchv1connect"
	"github.com/switchboard-pbx/switchboard/media/switchsvc"
	"github.com/switchboard-pbx/switchboard/server/tms"
)

// SwitchConfig is what `switchboard switch` needs: a switch running on
// its own, assigned to the server at TMS.
type SwitchConfig struct {
	TMS          string // the managing server's API URL
	Token        string // an admin API token of that server; also guards this switch's SwitchService
	Listen       string // SwitchService address, e.g. ":8081"
	URL          string // URL the server reaches SwitchService on; default http://<listen address>
	Name         string // default: the host name
	SIPListen    string
	SIPAdvertise string
	RTPPorts     string
	SIPDigest    string // digest algorithms challenged; default "md5"
	RecordingDir string // where call recordings are written; "" refuses recording
	Log          *slog.Logger
}

// StandaloneSwitch is a switch process: SIP and RTP, SwitchService over
// HTTP for its TMS, and the attach heartbeat.
type StandaloneSwitch struct {
	cfg    SwitchConfig
	Switch *switchsvc.Switch
	ln     net.Listener
	http   *http.Server
}

// NewStandaloneSwitch binds the switch's listeners.
func NewStandaloneSwitch(cfg SwitchConfig) (*StandaloneSwitch, error) {
	if cfg.TMS == "" || cfg.Token == "" {
		return nil, errors.New("--tms and --token are required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Name == "" {
		cfg.Name, _ = os.Hostname()
	}
	lo, hi, err := ParsePortRange(cfg.RTPPorts)
	if err != nil {
		return nil, err
	}
	sw, err := switchsvc.New(switchsvc.Config{SIPListen: cfg.SIPListen, Advertise: cfg.SIPAdvertise,
		RTPMin: lo, RTPMax: hi, Log: cfg.Log, DigestAlgs: splitList(cfg.SIPDigest), RecordingDir: cfg.RecordingDir})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", cfg.Listen, err)
	}
	if cfg.URL == "" {
		cfg.URL = "http://" + ln.Addr().String()
	}
	srv := connect.NewServer(requireToken(cfg.Token), validate.NewServerInterceptor())
	sw.Register(srv)
	mux := http.NewServeMux()
	connecthttp.Mount(mux, srv)
	p := new(http.Protocols)
	p.SetHTTP1(true)
	p.SetUnencryptedHTTP2(true)
	return &StandaloneSwitch{cfg: cfg, Switch: sw, ln: ln,
		http: &http.Server{Handler: mux, Protocols: p, ReadHeaderTimeout: 10 * time.Second}}, nil
}

// URL is where the switch's SwitchService listens.
func (s *StandaloneSwitch) URL() string { return s.cfg.URL }

// Run serves until ctx ends, attaching to the TMS and re-attaching every
// heartbeat (and retrying while the server is unreachable).
func (s *StandaloneSwitch) Run(ctx context.Context) error {
	errc := make(chan error, 2)
	go func() { errc <- s.Switch.Run(ctx) }()
	go func() { errc <- s.http.Serve(s.ln) }()
	select {
	case <-s.Switch.Ready():
	case err := <-errc:
		return err
	}
	go s.attachLoop(ctx)
	select {
	case <-ctx.Done():
	case err := <-errc:
		return err
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.http.Shutdown(shutdown)
}

func (s *StandaloneSwitch) attachLoop(ctx context.Context) {
	client := switchv1connect.NewSwitchRegistryServiceClient(connect.NewClient(
		connecthttp.NewTransport(http.DefaultClient, s.cfg.TMS), tms.BearerClient(s.cfg.Token)))
	req := &switchv1.AttachSwitchRequest{Name: s.cfg.Name, Url: s.cfg.URL, SipAddress: s.Switch.SIPAddr().String()}
	wait := time.Second
	for {
		res, err := client.AttachSwitch(ctx, req)
		if err == nil {
			wait = time.Duration(max(res.GetHeartbeatSeconds(), 1)) * time.Second
		} else if ctx.Err() == nil {
			s.cfg.Log.Warn("switch: cannot attach to the server; retrying", "tms", s.cfg.TMS, "error", err)
			wait = 2 * time.Second
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// requireToken lets only callers with the switch's token through.
func requireToken(token string) connect.ServerInterceptor {
	want := []byte("Bearer " + token)
	return func(next connect.ServerFunc) connect.ServerFunc {
		return func(ctx context.Context, spec connect.Spec, stream connect.ServerStream) error {
			info, _ := connect.CallInfoForServerContext(ctx)
			if subtle.ConstantTimeCompare([]byte(info.RequestHeader().Get("Authorization")), want) != 1 {
				return connect.NewError(connect.CodeUnauthenticated, "this switch answers only its server (bearer token)")
			}
			return next(ctx, spec, stream)
		}
	}
}
