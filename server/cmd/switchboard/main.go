// Command switchboard runs a Switchboard server.
//
//	switchboard serve [flags]    run the HQ server (API, configuration, softswitch)
//	switchboard switch [flags]   run a switch on its own, managed by a server
//	switchboard version          print the version
//
// Every flag has an environment equivalent: --data-dir is
// SWITCHBOARD_DATA_DIR, --tls-cert is SWITCHBOARD_TLS_CERT, and so on. A
// flag given on the command line wins over the environment.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // time zone names work on machines without tzdata

	"github.com/switchboard-pbx/switchboard/server/app"
)

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2:])
	case "switch":
		err = runSwitch(os.Args[2:])
	case "version", "--version", "-v":
		fmt.Println("switchboard", app.Version)
	case "help", "-h", "--help":
		usage()
	default:
		fmt.Fprintf(os.Stderr, "switchboard: unknown command %q\n\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "switchboard:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprint(os.Stderr, `Usage: switchboard <command> [flags]

Commands:
  serve     run a server (see: switchboard serve -h)
  switch    run a switch on its own, managed by a server (see: switchboard switch -h)
  version   print the version
`)
}

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var cfg app.Config
	str(fs, &cfg.DataDir, "data-dir", "./data", "directory for the database, recordings and admin.token")
	str(fs, &cfg.Listen, "listen", ":8080", "API address (HTTP/1.1 and h2c: Connect, gRPC, gRPC-Web)")
	str(fs, &cfg.DB, "db", "", "database: empty for SQLite in the data directory, or postgres://user@host/db")
	str(fs, &cfg.Role, "role", "hq", "server role: hq")
	str(fs, &cfg.TLSCert, "tls-cert", "", "TLS certificate (PEM); serves HTTPS when set")
	str(fs, &cfg.TLSKey, "tls-key", "", "TLS private key (PEM)")
	str(fs, &cfg.SiteName, "site-name", "Headquarters", "name of the first site (first start only)")
	str(fs, &cfg.TimeZone, "time-zone", "UTC", "IANA time zone of the first site (first start only)")
	str(fs, &cfg.SIPListen, "sip-listen", ":5060", "softswitch SIP address, UDP and TCP (empty: no switch)")
	str(fs, &cfg.SIPAdvertise, "sip-advertise", "", "host or IP put in SIP and SDP (default: the --sip-listen IP)")
	str(fs, &cfg.RTPPorts, "rtp-ports", "10000-20000", "softswitch RTP port range")
	str(fs, &cfg.SIPDigest, "sip-digest", "md5", "digest algorithms to challenge, preferred first: md5, sha-256 (e.g. sha-256,md5)")
	log, err := parse(fs, args)
	if err != nil || log == nil {
		return err
	}
	cfg.Log = log
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := app.New(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Printf("Switchboard %s (%s) API listening on %s\n", app.Version, cfg.Role, a.URL())
	if cfg.SIPListen != "" {
		fmt.Printf("Softswitch SIP on %s (UDP and TCP), RTP ports %s\n", cfg.SIPListen, cfg.RTPPorts)
	}
	return a.Serve(ctx)
}

// parse adds the logging flags, parses args and returns the logger; a nil
// logger with a nil error means -h was asked for.
func parse(fs *flag.FlagSet, args []string) (*slog.Logger, error) {
	var level, format string
	str(fs, &level, "log-level", "info", "log level: debug, info, warn, error")
	str(fs, &format, "log-format", "text", "log format: text or json")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil
		}
		return nil, err
	}
	return newLogger(level, format)
}

// str defines a string flag whose default comes from SWITCHBOARD_<NAME>.
func str(fs *flag.FlagSet, p *string, name, def, usage string) {
	env := "SWITCHBOARD_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
	if v, ok := os.LookupEnv(env); ok {
		def = v
	}
	fs.StringVar(p, name, def, usage+" ($"+env+")")
}

func newLogger(level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(os.Stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, opts)), nil
	default:
		return nil, fmt.Errorf("--log-format: %q is not text or json", format)
	}
}

func runSwitch(args []string) error {
	fs := flag.NewFlagSet("switch", flag.ContinueOnError)
	var cfg app.SwitchConfig
	str(fs, &cfg.TMS, "tms", "", "API URL of the server that manages this switch (required)")
	str(fs, &cfg.Token, "token", "", "admin API token of that server (required; prefer $SWITCHBOARD_TOKEN)")
	str(fs, &cfg.Listen, "listen", ":8081", "address of this switch's SwitchService (for its server)")
	str(fs, &cfg.URL, "url", "", "URL the server reaches this switch on (default http://<listen address>)")
	str(fs, &cfg.Name, "name", "", "switch name (default: the host name)")
	str(fs, &cfg.SIPListen, "sip-listen", ":5060", "SIP address, UDP and TCP")
	str(fs, &cfg.SIPAdvertise, "sip-advertise", "", "host or IP put in SIP and SDP (default: the --sip-listen IP)")
	str(fs, &cfg.RTPPorts, "rtp-ports", "10000-20000", "RTP port range")
	str(fs, &cfg.SIPDigest, "sip-digest", "md5", "digest algorithms to challenge, preferred first: md5, sha-256")
	str(fs, &cfg.RecordingDir, "recording-dir", "./recordings", "directory for call recordings")
	log, err := parse(fs, args)
	if err != nil || log == nil {
		return err
	}
	cfg.Log = log
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	sw, err := app.NewStandaloneSwitch(cfg)
	if err != nil {
		return err
	}
	fmt.Printf("Switchboard %s switch: SwitchService on %s, SIP on %s, managed by %s\n",
		app.Version, sw.URL(), cfg.SIPListen, cfg.TMS)
	return sw.Run(ctx)
}
