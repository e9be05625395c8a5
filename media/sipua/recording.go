package sipua

import (
	"errors"
	"os"
	"path/filepath"
	"sync"

	"github.com/google/uuid"

	"github.com/switchboard-pbx/switchboard/media/recorder"
)

// Recordings are WAV files in the UA's recording directory, named by their
// id. A connected call is recorded from its relay (stereo: the caller's
// side left, the other right); an answered route point call from the
// caller's endpoint (mono). A recording ends on StopRecording, when the
// call ends, or when the call's media is rearranged (hold, transfer,
// conference): the Observer hears RecordingFinished.

// Errors of recordings.
var (
	ErrUnknownRecording = errors.New("no such recording")
	ErrRecordingBusy    = errors.New("the call is being recorded already")
	ErrNoRecordingDir   = errors.New("this switch has no recording directory")
)

// recording is one recording in progress.
type recording struct {
	id   string
	c    *call
	rec  *recorder.Recording
	once sync.Once
}

// recordings holds the recordings in progress.
type recordings struct {
	mu sync.Mutex
	m  map[string]*recording
}

// StartRecording records the call a leg belongs to and returns the
// recording's id.
func (u *UA) StartRecording(legID string) (string, error) {
	if u.cfg.recordingDir == "" {
		return "", ErrNoRecordingDir
	}
	c := u.calls.leg(legID)
	if c == nil {
		return "", ErrUnknownLeg
	}
	if err := os.MkdirAll(u.cfg.recordingDir, 0o750); err != nil {
		return "", err
	}
	id := uuid.NewString()
	path := u.RecordingPath(id)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rec != nil {
		return "", ErrRecordingBusy
	}
	var rec *recorder.Recording
	var err error
	switch {
	case c.ended:
		return "", ErrUnknownLeg
	case c.app != nil:
		rec, err = recorder.StartEndpoint(c.app.ep, path)
	case c.relay != nil:
		rec, err = recorder.StartRelay(c.relay, path)
	default:
		return "", ErrNotConnected
	}
	if err != nil {
		return "", err
	}
	r := &recording{id: id, c: c, rec: rec}
	c.rec = r
	u.recs.mu.Lock()
	u.recs.m[id] = r
	u.recs.mu.Unlock()
	return id, nil
}

// StopRecording ends a recording in progress.
func (u *UA) StopRecording(id string) error {
	u.recs.mu.Lock()
	r := u.recs.m[id]
	u.recs.mu.Unlock()
	if r == nil {
		if _, err := os.Stat(u.RecordingPath(id)); err == nil {
			return nil // finished already
		}
		return ErrUnknownRecording
	}
	r.c.mu.Lock()
	if r.c.rec == r {
		r.c.rec = nil
	}
	r.c.mu.Unlock()
	u.finishRecording(r)
	return nil
}

// RecordingPath is where a recording's WAV file is (or will be).
func (u *UA) RecordingPath(id string) string {
	if u.cfg.recordingDir == "" || filepath.Base(id) != id {
		return ""
	}
	return filepath.Join(u.cfg.recordingDir, id+".wav")
}

// finishRecording stops a recording once and tells the observer.
func (u *UA) finishRecording(r *recording) {
	r.once.Do(func() {
		err := r.rec.Stop()
		u.recs.mu.Lock()
		delete(u.recs.m, r.id)
		u.recs.mu.Unlock()
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		u.cfg.observer.RecordingFinished(r.id, r.c.id, r.rec.Duration(), msg)
	})
}

// stopRecordingLocked ends the call's recording, if any, because its media
// changes or the call ends. Callers hold c.mu; the file is finished in the
// background.
func (c *call) stopRecordingLocked() {
	r := c.rec
	if r == nil {
		return
	}
	c.rec = nil
	go c.ua.finishRecording(r)
}
