package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/switchboard-pbx/switchboard/media/phonetest"
)

// How long a command waits before it gives up.
const (
	dialTimeout = 60 * time.Second // ringing, until answered or refused
	toneTimeout = 10 * time.Second // for wait-tone
)

// session is what the commands act on: the phone, and its current call
// (the one dialed or rung last).
type session struct {
	phone *phonetest.Phone
	tone  float64 // sent into every answered or dialed call (0: silence)

	mu      sync.Mutex
	current *phonetest.Call
}

// setCurrent makes c the call the commands act on, then reports it with
// line, and when it ends with "ended <peer>". The order matters: a test
// may act on the call as soon as it reads line.
func (s *session) setCurrent(c *phonetest.Call, peer, line string) {
	s.mu.Lock()
	s.current = c
	s.mu.Unlock()
	fmt.Println(line)
	go func() {
		<-c.Ended()
		s.mu.Lock()
		if s.current == c {
			s.current = nil
		}
		s.mu.Unlock()
		fmt.Printf("ended %s\n", peer)
	}()
}

func (s *session) call() (*phonetest.Call, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == nil {
		return nil, errors.New("no call")
	}
	return s.current, nil
}

// readCommands hands the lines of r to the returned channel, and calls
// eof when r ends. It reads ahead of the commands being carried out, so
// that the end of r is noticed at once.
func readCommands(r io.Reader, eof func()) <-chan string {
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		defer eof()
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); line != "" {
				lines <- line
			}
		}
	}()
	return lines
}

// run carries out one command line. Its outcome is a line on stdout: the
// command's own report, or "error <command line>: <why>".
func (s *session) run(ctx context.Context, line string) {
	name, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	var err error
	switch name {
	case "dial":
		err = s.dial(ctx, arg)
	case "wait-tone":
		err = s.waitTone(ctx, arg)
	case "dtmf":
		err = s.dtmf(ctx, arg)
	case "hangup":
		err = s.hangup(ctx)
	default:
		err = errors.New("unknown command: use dial, wait-tone, dtmf or hangup")
	}
	if err != nil {
		fmt.Printf("error %s: %v\n", line, err)
	}
}

// dial calls number and reports "answered <number>" or, when the call is
// refused (an outcome, not an error), "failed <number>: <why>".
func (s *session) dial(ctx context.Context, number string) error {
	if number == "" {
		return errors.New("dial needs a number")
	}
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	c, err := s.phone.Dial(ctx, number)
	if err != nil {
		fmt.Printf("failed %s: %v\n", number, err)
		return nil
	}
	if s.tone > 0 {
		c.PlayTone(s.tone)
	}
	s.setCurrent(c, number, "answered "+number)
	return nil
}

// waitTone waits until the current call hears a tone of the given
// frequency and reports "heard <hz>".
func (s *session) waitTone(ctx context.Context, arg string) error {
	hz, err := strconv.ParseFloat(arg, 64)
	if err != nil || hz <= 0 {
		return errors.New("wait-tone needs a frequency in Hz")
	}
	c, err := s.call()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, toneTimeout)
	defer cancel()
	if err := c.WaitTone(ctx, hz); err != nil {
		return fmt.Errorf("no %s Hz tone within %s", arg, toneTimeout)
	}
	fmt.Printf("heard %s\n", arg)
	return nil
}

// dtmf sends digits into the current call, one SIP INFO each, and reports
// "sent <digits>".
func (s *session) dtmf(ctx context.Context, digits string) error {
	if digits == "" || strings.Trim(digits, "0123456789*#ABCD") != "" {
		return errors.New("dtmf needs digits: 0-9, *, #, A-D")
	}
	c, err := s.call()
	if err != nil {
		return err
	}
	for _, d := range digits {
		if err := c.SendInfoDTMF(ctx, d); err != nil {
			return err
		}
	}
	fmt.Printf("sent %s\n", digits)
	return nil
}

// hangup ends the current call; "ended <peer>" follows.
func (s *session) hangup(ctx context.Context) error {
	c, err := s.call()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return c.Hangup(ctx)
}
