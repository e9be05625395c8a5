package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connectinprocess"
	"connectrpc.com/validate"

	"github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1/switchv1connect"
	"github.com/switchboard-pbx/switchboard/media/switchsvc"
)

// startSwitch creates the in-process softswitch. Its TMS (in the
// registry) reaches the switch through the generated SwitchService
// client over Connect's in-process transport: the same code path as for a
// remote switch.
func (a *App) startSwitch() error {
	if a.cfg.SIPListen == "" {
		return nil
	}
	lo, hi, err := ParsePortRange(a.cfg.RTPPorts)
	if err != nil {
		return err
	}
	sw, err := switchsvc.New(switchsvc.Config{SIPListen: a.cfg.SIPListen, RTPMin: lo, RTPMax: hi,
		Advertise: a.cfg.SIPAdvertise, Log: a.log, RingTimeout: a.cfg.RingTimeout,
		MediaTimeout: a.cfg.MediaTimeout, DigestAlgs: splitList(a.cfg.SIPDigest),
		RecordingDir: filepath.Join(a.cfg.DataDir, "recordings")})
	if err != nil {
		return err
	}
	srv := connect.NewServer(validate.NewServerInterceptor())
	sw.Register(srv)
	a.Switch = sw
	a.switchClient = switchv1connect.NewSwitchServiceClient(connect.NewClient(connectinprocess.New(srv)))
	return nil
}

// runSwitch runs the switch and the TMS until ctx ends.
func (a *App) runSwitch(ctx context.Context) {
	if a.Switch == nil {
		return
	}
	go func() {
		if err := a.Switch.Run(ctx); err != nil && ctx.Err() == nil {
			a.log.Error("switch stopped", "error", err)
		}
	}()
	go func() {
		select {
		case <-a.Switch.Ready():
		case <-ctx.Done():
			return
		}
		a.log.Info("switch listening", "sip", a.Switch.SIPAddr().String(), "rtp", a.cfg.RTPPorts)
		a.Switches.Manage("local", "", a.Switch.SIPAddr().String(), a.switchClient)
	}()
}

// ParsePortRange parses "10000-20000".
func ParsePortRange(s string) (int, int, error) {
	lo, hi, ok := strings.Cut(s, "-")
	a, err1 := strconv.Atoi(strings.TrimSpace(lo))
	b, err2 := strconv.Atoi(strings.TrimSpace(hi))
	if !ok || err1 != nil || err2 != nil || a < 1024 || b > 65535 || b-a < 2 {
		return 0, 0, fmt.Errorf("--rtp-ports %q: want LOW-HIGH within 1024-65535, e.g. 10000-20000", s)
	}
	return a, b, nil
}

// splitList splits a comma-separated flag value.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
