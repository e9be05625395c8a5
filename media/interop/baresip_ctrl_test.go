package interop_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"testing"
	"time"
)

// ctrlMsg is a message from baresip's ctrl_tcp module: a response to a
// command (Response, OK, Data, Token) or an event (Event, Type, Class,
// Param …).
type ctrlMsg struct {
	Event    bool   `json:"event"`
	Type     string `json:"type"`
	Class    string `json:"class"`
	Param    string `json:"param"`
	PeerURI  string `json:"peeruri"`
	Response bool   `json:"response"`
	OK       bool   `json:"ok"`
	Data     string `json:"data"`
	Token    string `json:"token"`
}

// baresipCtrl is a connection to baresip's ctrl_tcp port: commands go out
// and responses and events come back as netstrings of JSON.
type baresipCtrl struct {
	name    string
	conn    net.Conn
	msgs    chan ctrlMsg
	backlog []ctrlMsg // read but not yet asked for
	tokens  int
}

// dialCtrl connects to a baresip control port, retrying until baresip
// listens or timeout passes. The connection closes when the test ends.
func dialCtrl(t *testing.T, name, addr string, timeout time.Duration) *baresipCtrl {
	t.Helper()
	var conn net.Conn
	waitFor(t, name+"'s control port "+addr, timeout, func() bool {
		var err error
		conn, err = net.DialTimeout("tcp", addr, time.Second)
		return err == nil
	})
	c := &baresipCtrl{name: name, conn: conn, msgs: make(chan ctrlMsg, 256)}
	go c.read()
	t.Cleanup(func() { conn.Close() })
	return c
}

// read decodes messages until the connection ends, then closes msgs.
func (c *baresipCtrl) read() {
	defer close(c.msgs)
	r := bufio.NewReader(c.conn)
	for {
		b, err := readNetstring(r)
		if err != nil {
			return
		}
		var m ctrlMsg
		if json.Unmarshal(b, &m) == nil {
			c.msgs <- m
		}
	}
}

// readNetstring reads one netstring ("<length>:<bytes>,").
func readNetstring(r *bufio.Reader) ([]byte, error) {
	head, err := r.ReadString(':')
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(head[:len(head)-1])
	if err != nil || n < 0 || n > 1<<20 {
		return nil, fmt.Errorf("netstring: bad length %q", head)
	}
	b := make([]byte, n+1)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, err
	}
	if b[n] != ',' {
		return nil, errors.New("netstring: missing ','")
	}
	return b[:n], nil
}

// send sends a command and returns the token its response will carry.
func (c *baresipCtrl) send(t *testing.T, command, params string) string {
	t.Helper()
	c.tokens++
	token := "t" + strconv.Itoa(c.tokens)
	b, err := json.Marshal(map[string]string{"command": command, "params": params, "token": token})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fmt.Fprintf(c.conn, "%d:%s,", len(b), b); err != nil {
		t.Fatalf("%s: send %s: %v", c.name, command, err)
	}
	return token
}

// command sends a command and returns its response, failing the test if
// there is none within timeout or it is not ok.
func (c *baresipCtrl) command(t *testing.T, command, params string, timeout time.Duration) ctrlMsg {
	t.Helper()
	token := c.send(t, command, params)
	res := c.wait(t, "response to "+command, timeout, func(m ctrlMsg) bool { return m.Response && m.Token == token })
	if !res.OK {
		t.Fatalf("%s: %s %s: %+v", c.name, command, params, res)
	}
	return res
}

// waitEvent returns the first event of type want, failing the test when
// one of the failOn events comes first or none comes within timeout.
func (c *baresipCtrl) waitEvent(t *testing.T, want string, timeout time.Duration, failOn ...string) ctrlMsg {
	t.Helper()
	m := c.wait(t, want, timeout, func(m ctrlMsg) bool {
		return m.Event && (m.Type == want || slices.Contains(failOn, m.Type))
	})
	if m.Type != want {
		t.Fatalf("%s: got %s (%s) while waiting for %s", c.name, m.Type, m.Param, want)
	}
	return m
}

// wait returns the first message (earlier unclaimed ones first) that
// match accepts; the others stay in the backlog for later waits.
func (c *baresipCtrl) wait(t *testing.T, what string, timeout time.Duration, match func(ctrlMsg) bool) ctrlMsg {
	t.Helper()
	for i, m := range c.backlog {
		if match(m) {
			c.backlog = slices.Delete(c.backlog, i, i+1)
			return m
		}
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		select {
		case m, ok := <-c.msgs:
			if !ok {
				t.Fatalf("%s: control connection closed while waiting for %s", c.name, what)
			}
			if match(m) {
				return m
			}
			c.backlog = append(c.backlog, m)
		case <-timer.C:
			t.Fatalf("%s: no %s within %v (unclaimed messages: %+v)", c.name, what, timeout, c.backlog)
		}
	}
}
