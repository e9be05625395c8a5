package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/switchboard-pbx/switchboard/media/switchsvc"
	"github.com/switchboard-pbx/switchboard/media/switchtest"
)

// maxUsers is how many synthetic users fit 4-digit extensions from 1001.
const maxUsers = 8999

// runSwitch is the "switch" command: a switch with synthetic users that
// serves until SIGINT or SIGTERM.
func runSwitch(args []string) error {
	fs := flag.NewFlagSet("switch", flag.ExitOnError)
	sipAddr := fs.String("sip", "127.0.0.1:15060", "SIP address (UDP and TCP) on 127.0.0.0/8")
	users := fs.Int("users", 3000, "synthetic users: extension 1000+i, device u%06d, i = 1..users")
	rtpPorts := fs.String("rtp-ports", "10000-29999", "RTP port range, even start (RTP+RTCP pairs, 2 per call)")
	mediaTimeout := fs.Duration("media-timeout", 120*time.Second, "tear a call down after this long without RTP")
	pprofAddr := fs.String("pprof", "127.0.0.1:16060", "loopback address for net/http/pprof and /debug/switchstats (empty: off)")
	statsFile := fs.String("stats-file", "", "write runtime figures (JSON) here on SIGUSR1 and every -stats-interval; - for stdout")
	statsEvery := fs.Duration("stats-interval", 0, "interval for -stats-file (0: on SIGUSR1 only)")
	logLevel := fs.String("log", "warn", "switch log level on stderr: debug, info, warn, error")
	digestAlgs := fs.String("digest", "MD5", "digest algorithms challenged, in order, e.g. SHA-256,MD5 (SIPp 3.6 needs MD5 alone: it answers only the first challenge)")
	_ = fs.Parse(args)

	if *users < 1 || *users > maxUsers {
		return fmt.Errorf("-users %d: want 1..%d", *users, maxUsers)
	}
	lo, hi, err := parsePortRange(*rtpPorts)
	if err != nil {
		return err
	}
	if err := loopbackOnly(*sipAddr); err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("-log: %w", err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	cfg := switchsvc.Config{SIPListen: *sipAddr, RTPMin: lo, RTPMax: hi, MediaTimeout: *mediaTimeout, Log: log,
		DigestAlgs: strings.Split(*digestAlgs, ",")}
	sw, stop, err := switchtest.Run(cfg, syntheticUsers(*users)...)
	if err != nil {
		return err
	}
	defer stopWithin(stop, 3*time.Second)

	pprofURL := ""
	if *pprofAddr != "" {
		if err := loopbackOnly(*pprofAddr); err != nil {
			return err
		}
		ln, err := net.Listen("tcp", *pprofAddr)
		if err != nil {
			return fmt.Errorf("pprof: %w", err)
		}
		srv := &http.Server{Handler: debugMux(sw), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = srv.Serve(ln) }()
		defer srv.Close()
		pprofURL = "http://" + ln.Addr().String()
	}
	fmt.Printf("switchbench switch: listening on %s users=%d rtp=%d-%d digest=%s pprof=%s pid=%d\n",
		sw.Addr, *users, lo, hi, *digestAlgs, pprofURL, os.Getpid())

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	return serveStats(ctx, sw, *statsFile, *statsEvery)
}

// serveStats writes figures on SIGUSR1 (after a GC) and on the interval
// until ctx ends.
func serveStats(ctx context.Context, sw *switchtest.Switch, path string, every time.Duration) error {
	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1)
	defer signal.Stop(usr1)
	var tick <-chan time.Time
	if path != "" && every > 0 {
		t := time.NewTicker(every)
		defer t.Stop()
		tick = t.C
	}
	for {
		var f Figures
		select {
		case <-ctx.Done():
			return nil
		case <-usr1:
			f = collect(sw, true)
		case <-tick:
			f = collect(sw, false)
		}
		if path == "" {
			path = "-"
		}
		if err := writeFigures(path, f); err != nil {
			fmt.Fprintln(os.Stderr, "switchbench switch: stats:", err)
		}
	}
}

// stopWithin stops the switch, giving up after d: a switch stopped under
// load hangs up every call, one BYE (and its timeout) after another, and a
// benchmark wants the process gone.
func stopWithin(stop func(), d time.Duration) {
	done := make(chan struct{})
	go func() { stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		fmt.Fprintln(os.Stderr, "switchbench switch: calls still hanging up; exiting anyway")
	}
}

// debugMux serves net/http/pprof and the switch's figures.
func debugMux(sw *switchtest.Switch) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.Handle("/debug/switchstats", statsHandler(sw))
	return mux
}

// syntheticUsers returns users 1..n: extension 1000+i, device u%06d.
func syntheticUsers(n int) []switchtest.User {
	out := make([]switchtest.User, n)
	for i := range out {
		out[i] = switchtest.User{Ext: strconv.Itoa(1000 + i + 1), Devices: []string{deviceName(i + 1)}}
	}
	return out
}

func deviceName(i int) string { return fmt.Sprintf("u%06d", i) }

// parsePortRange parses "min-max".
func parsePortRange(s string) (int, int, error) {
	a, b, ok := strings.Cut(s, "-")
	lo, err1 := strconv.Atoi(a)
	hi, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || lo <= 0 || hi > 65535 || lo%2 != 0 || hi <= lo {
		return 0, 0, fmt.Errorf("port range %q: want EVEN-MAX within 1-65535", s)
	}
	return lo, hi, nil
}

// loopbackOnly refuses addresses outside 127.0.0.0/8: the benchmark
// never sends traffic anywhere else.
func loopbackOnly(hostport string) error {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		return fmt.Errorf("address %q: %w", hostport, err)
	}
	ip := net.ParseIP(host)
	if ip == nil && host == "localhost" {
		return nil
	}
	if ip == nil || ip.To4() == nil || !ip.IsLoopback() {
		return errors.New("address " + hostport + " is not on 127.0.0.0/8")
	}
	return nil
}
