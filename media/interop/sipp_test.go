package interop_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sippTimeout bounds one SIPp run: SIPp's own global timeout (-timeout,
// failing the run) and, a little later, the test's kill.
const sippTimeout = 30 * time.Second

// sippOptions describe one SIPp run.
type sippOptions struct {
	Scenario string     // file name in testdata/sipp
	Remote   string     // host:port SIPp sends to; empty for a uas
	Port     int        // local SIP port; 0 picks a free one
	Users    [][]string // injection file lines (-inf), one per call, fields in order
	Args     []string   // more arguments: -m, -r, -s, -d …
}

// sipp is one SIPp process running a scenario.
type sipp struct {
	name   string
	dir    string // its message trace, error log and statistics
	cmd    *exec.Cmd
	out    bytes.Buffer
	done   chan struct{}
	err    error
	cancel context.CancelFunc
}

// sippResult is how a SIPp run ended: its exit code (0 when every call
// succeeded, 1 when some failed) and its final call counters.
type sippResult struct {
	Code       int
	Successful int
	Failed     int
}

// startSIPp starts SIPp on 127.0.0.1 with the options every run needs
// (no stdin, large socket buffers, a global timeout that fails the run,
// message trace, error log and statistics in a temporary directory). The
// process is killed when the test ends if it is still running.
func startSIPp(t *testing.T, o sippOptions) *sipp {
	t.Helper()
	scenario, err := filepath.Abs(filepath.Join("testdata", "sipp", o.Scenario))
	if err != nil {
		t.Fatal(err)
	}
	s := &sipp{name: strings.TrimSuffix(o.Scenario, ".xml"), dir: t.TempDir(), done: make(chan struct{})}
	args := []string{"-sf", scenario, "-i", "127.0.0.1", "-mp", strconv.Itoa(freePort(t)),
		"-nostdin", "-buff_size", "4194304",
		"-timeout", fmt.Sprintf("%ds", int(sippTimeout/time.Second)), "-timeout_error",
		"-trace_msg", "-message_file", s.path("messages.log"),
		"-trace_err", "-error_file", s.path("errors.log"),
		"-trace_stat", "-stf", s.path("stats.csv")}
	if o.Port == 0 {
		o.Port = freePort(t) // SIPp's default is 5060 when that is free
	}
	args = append(args, "-p", strconv.Itoa(o.Port))
	if o.Users != nil {
		args = append(args, "-inf", s.writeInjection(t, o.Users))
	}
	args = append(args, o.Args...)
	if o.Remote != "" {
		args = append(args, o.Remote)
	}
	ctx, cancel := context.WithTimeout(context.Background(), sippTimeout+10*time.Second)
	s.cancel = cancel
	s.cmd = exec.CommandContext(ctx, "sipp", args...)
	s.cmd.Dir = s.dir
	s.cmd.Stdout, s.cmd.Stderr = &s.out, &s.out
	if err := s.cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start sipp %s: %v", o.Scenario, err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		cancel()
		<-s.done
	})
	return s
}

func (s *sipp) path(name string) string { return filepath.Join(s.dir, name) }

// writeInjection writes an injection file read in order, one call a line.
func (s *sipp) writeInjection(t *testing.T, users [][]string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("SEQUENTIAL\n")
	for _, fields := range users {
		b.WriteString(strings.Join(fields, ";") + "\n")
	}
	name := s.path("users.csv")
	if err := os.WriteFile(name, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

// wait waits for SIPp to exit and returns how it ended. A run that does
// not end in time, or that wrote no statistics, fails the test with
// SIPp's output and the tail of its logs.
func (s *sipp) wait(t *testing.T) sippResult {
	t.Helper()
	<-s.done
	s.cancel()
	var res sippResult
	var exit *exec.ExitError
	switch {
	case s.err == nil:
	case errors.As(s.err, &exit) && exit.ExitCode() >= 0:
		res.Code = exit.ExitCode()
	default:
		t.Fatalf("sipp %s: %v\n%s", s.name, s.err, s.report())
	}
	var err error
	if res.Successful, res.Failed, err = readSIPpStats(s.path("stats.csv")); err != nil {
		t.Fatalf("sipp %s exited %d: %v\n%s", s.name, res.Code, err, s.report())
	}
	return res
}

// expect waits for SIPp and fails the test unless it exited 0 with calls
// successful calls and no failed one.
func (s *sipp) expect(t *testing.T, calls int) {
	t.Helper()
	res := s.wait(t)
	if res.Code != 0 || res.Successful != calls || res.Failed != 0 {
		t.Fatalf("sipp %s: exit %d, %d successful and %d failed calls, want exit 0, %d successful\n%s",
			s.name, res.Code, res.Successful, res.Failed, calls, s.report())
	}
}

// report is SIPp's output and the end of its error log and message
// trace, for a failure message.
func (s *sipp) report() string {
	return fmt.Sprintf("--- output:\n%s\n--- %s:\n%s\n--- %s:\n%s", tail(s.out.String(), 30),
		s.path("errors.log"), readTail(s.path("errors.log"), 20),
		s.path("messages.log"), readTail(s.path("messages.log"), 80))
}

// readSIPpStats returns the cumulative successful and failed call counts
// from the last line of a -trace_stat file (semicolon-separated, one
// header line).
func readSIPpStats(path string) (successful, failed int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ';'
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) < 2 {
		return 0, 0, fmt.Errorf("%s: no statistics row", path)
	}
	header, last := rows[0], rows[len(rows)-1]
	get := func(name string) (int, error) {
		for i, h := range header {
			if h == name && i < len(last) {
				return strconv.Atoi(strings.TrimSpace(last[i]))
			}
		}
		return 0, fmt.Errorf("%s: no column %s", path, name)
	}
	if successful, err = get("SuccessfulCall(C)"); err != nil {
		return 0, 0, err
	}
	failed, err = get("FailedCall(C)")
	return successful, failed, err
}

// received returns the SIP messages SIPp received, in order, from its
// message trace (-trace_msg): blocks that start with a dashed time line
// and a "… message received …" line, then the message.
func (s *sipp) received(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(s.path("messages.log"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, block := range strings.Split(string(b), "\n-----------------------------------------------") {
		_, rest, _ := strings.Cut(block, "\n") // the time stamp
		what, msg, _ := strings.Cut(rest, "\n")
		if strings.Contains(what, "message received") {
			out = append(out, strings.TrimSpace(msg))
		}
	}
	return out
}
