// Command sbphone is a headless SIP phone for SDK tests, examples and
// demos, built on media/phonetest: it registers with a switch using
// digest authentication (retrying until the switch knows the device),
// answers every call and plays a tone into it.
//
//	sbphone -server 127.0.0.1:5060 -user ada-desk -password 'a long secret'
//
// It reports on stdout, one line per fact, so that a test can wait for
// them:
//
//	registered ada-desk 127.0.0.1:40123
//	incoming <caller>
//	ended <caller>
//
// It refreshes its registration and exits on SIGINT or SIGTERM; with
// -exit-on-stdin-eof also when its standard input closes, so that it never
// outlives a test that starts it with a pipe. The password may come from
// SBPHONE_PASSWORD instead of the command line.
//
// With -exit-on-stdin-eof it also takes commands on standard input, one a
// line, carried out in order. They act on the current call (the one
// dialed or rung last, until it ends), and each reports one line, or
// "error <command>: <why>":
//
//	dial 2100        answered 2100, or failed 2100: <why>; the call gets
//	                 the -tone too, and "ended 2100" when it ends
//	wait-tone 440    heard 440, once the call hears a 440 Hz tone (10 s at most)
//	dtmf 1002#       sent 1002#, the digits sent as SIP INFO
//	hangup           ended <the other party>
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/switchboard-pbx/switchboard/media/phonetest"
)

type options struct {
	server, user, password, mode string
	tone                         float64
	answerDelay, registerWithin  time.Duration
	expires                      int
	watchStdin                   bool
}

func main() {
	var o options
	fs := flag.NewFlagSet("sbphone", flag.ContinueOnError)
	fs.StringVar(&o.server, "server", "127.0.0.1:5060", "the switch's SIP address, host:port (UDP)")
	fs.StringVar(&o.user, "user", "", "SIP user name (the device's sip_username)")
	fs.StringVar(&o.password, "password", "", "SIP password (default $SBPHONE_PASSWORD)")
	fs.StringVar(&o.mode, "mode", "answer", "incoming calls: answer, busy, decline or ring (never answer)")
	fs.Float64Var(&o.tone, "tone", 1000, "tone sent into answered and dialed calls, in Hz (0: silence)")
	fs.DurationVar(&o.answerDelay, "answer-delay", 0, "ring this long before answering")
	fs.DurationVar(&o.registerWithin, "register-timeout", 30*time.Second, "give up when not registered within this time")
	fs.IntVar(&o.expires, "expires", 300, "registration lifetime asked for, in seconds")
	fs.BoolVar(&o.watchStdin, "exit-on-stdin-eof", false, "exit when standard input closes (for tests that hold a pipe)")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if o.password == "" {
		o.password = os.Getenv("SBPHONE_PASSWORD")
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "sbphone:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	mode, err := parseMode(o.mode)
	if err != nil {
		return err
	}
	if o.user == "" || o.password == "" {
		return errors.New("-user and -password (or SBPHONE_PASSWORD) are required")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var commands <-chan string
	if o.watchStdin {
		commands = readCommands(os.Stdin, stop)
	}
	phone, err := phonetest.Start(phonetest.Config{Username: o.user, Password: o.password, Server: o.server,
		Mode: mode, AnswerDelay: o.answerDelay})
	if err != nil {
		return err
	}
	defer phone.Close()
	if err := register(ctx, phone, o.expires, o.registerWithin); err != nil {
		return err
	}
	fmt.Printf("registered %s %s\n", o.user, phone.Addr())
	s := &session{phone: phone, tone: o.tone}
	if commands != nil {
		go func() {
			for line := range commands {
				s.run(ctx, line)
			}
		}()
	}
	refresh := time.NewTicker(time.Duration(o.expires) * time.Second / 2)
	defer refresh.Stop()
	for {
		select {
		case <-ctx.Done():
			unregister(phone)
			return nil
		case <-refresh.C:
			if err := register(ctx, phone, o.expires, o.registerWithin); err != nil && ctx.Err() == nil {
				return err
			}
		case c := <-phone.Incoming:
			if o.tone > 0 {
				c.PlayTone(o.tone)
			}
			s.setCurrent(c, c.From, "incoming "+c.From)
		}
	}
}

func parseMode(s string) (phonetest.Mode, error) {
	switch s {
	case "answer":
		return phonetest.AutoAnswer, nil
	case "busy":
		return phonetest.Busy, nil
	case "decline":
		return phonetest.Decline, nil
	case "ring":
		return phonetest.RingForever, nil
	}
	return 0, fmt.Errorf("unknown -mode %q: use answer, busy, decline or ring", s)
}

// register retries until the switch answers 200: a device created through
// the API reaches the switch a moment later, and is refused until then.
// The pause between attempts doubles up to a second, so that a slow start
// does not run into the switch's ban on repeated failed authentications.
func register(ctx context.Context, phone *phonetest.Phone, expires int, within time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	pause := 50 * time.Millisecond
	for {
		res, err := phone.Register(ctx, expires)
		if err == nil && res.StatusCode == 200 {
			return nil
		}
		select {
		case <-ctx.Done():
			if err == nil {
				err = fmt.Errorf("SIP %d %s", res.StatusCode, res.Reason)
			}
			return fmt.Errorf("not registered within %s: %w", within, err)
		case <-time.After(pause):
		}
		pause = min(2*pause, time.Second)
	}
}

// unregister removes the phone's contact, so that calls stop ringing it.
func unregister(phone *phonetest.Phone) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, _ = phone.Register(ctx, 0)
}
