// Package recorder records calls to WAV files (8 kHz, 16-bit PCM): what a
// listened leg sends (a route point's Record) in mono, or both directions
// of a relayed call in stereo, the left channel what leg A sends and the
// right what leg B sends.
//
// Audio is taken from an Endpoint tap or a Relay tap into a jitter queue
// per channel; a clock of the recording writes one 20 ms frame per channel
// for every 20 ms that passes, with silence where a channel had nothing
// (hold, silence suppression, a lost packet), so the channels stay aligned
// with each other and with the wall clock. The file is written under a
// temporary name in the target directory and renamed into place by Stop,
// after its header sizes are patched and it is synced: a file at the
// target path is always complete.
package recorder

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchboard-pbx/switchboard/media/codec"
	"github.com/switchboard-pbx/switchboard/media/rtpsession"
)

const (
	frame   = 20 * time.Millisecond
	samples = rtpsession.FrameSamples
	// maxCatchUp bounds the frames written in one tick when the clock of
	// the recording fell behind (a stalled process): 10 s.
	maxCatchUp = 500
)

// Recording is a recording in progress. Stop ends it.
type Recording struct {
	path, tmp string
	file      *os.File
	wav       *codec.WAVWriter
	chans     []*channel
	untap     func()

	stop    chan struct{}
	done    chan struct{}
	once    sync.Once
	err     error // result of Stop
	written atomic.Int64

	// Owned by the writing goroutine.
	start time.Time
	pcm   [2][samples]int16
	out   [2 * samples]int16
}

// channel is the queue of one channel, and the scratch a relay tap decodes
// into (taps of the two directions run concurrently).
type channel struct {
	queue rtpsession.FrameQueue
	mu    sync.Mutex
	pcm   [samples]int16
}

// StartEndpoint records what the leg of ep sends, in mono, to a WAV file
// at path, until Stop. The endpoint is only tapped: closing it before Stop
// leaves silence in the rest of the recording.
func StartEndpoint(ep *rtpsession.Endpoint, path string) (*Recording, error) {
	rec, err := create(path, 1)
	if err != nil {
		return nil, err
	}
	rec.untap = ep.Tap(rec.chans[0].queue.Push)
	rec.begin()
	return rec, nil
}

// StartRelay records a relayed call to a stereo WAV file at path, until
// Stop: left what leg A sends, right what leg B sends, as forwarded (a
// muted direction is silent). Packets of payload types 0 (PCMU) and 8
// (PCMA) are recorded; others, such as telephone events and comfort noise,
// count as silence. A relay has one tap, so it fails with
// rtpsession.ErrTapped while another recording of the relay runs. Closing
// the relay before Stop leaves silence in the rest of the recording.
func StartRelay(r *rtpsession.Relay, path string) (*Recording, error) {
	rec, err := create(path, 2)
	if err != nil {
		return nil, err
	}
	untap, err := r.Tap(rec.packet)
	if err != nil {
		rec.abort()
		return nil, err
	}
	rec.untap = untap
	rec.begin()
	return rec, nil
}

// create opens the temporary file and writes the WAV header.
func create(path string, channels int) (*Recording, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("recorder: %w", err)
	}
	rec := &Recording{path: path, tmp: f.Name(), file: f, stop: make(chan struct{}), done: make(chan struct{})}
	if rec.wav, err = codec.NewWAVWriter(f, channels); err != nil {
		rec.abort()
		return nil, fmt.Errorf("recorder: %w", err)
	}
	for range channels {
		rec.chans = append(rec.chans, new(channel))
	}
	return rec, nil
}

func (rec *Recording) abort() {
	rec.file.Close()
	os.Remove(rec.tmp)
}

func (rec *Recording) begin() {
	rec.start = time.Now()
	go rec.run()
}

// packet is the relay tap: it decodes G.711 into the direction's channel.
func (rec *Recording) packet(dir rtpsession.Direction, pt uint8, payload []byte) {
	var decode func([]int16, []byte) int
	switch pt {
	case codec.PayloadPCMU:
		decode = codec.DecodeULaw
	case codec.PayloadPCMA:
		decode = codec.DecodeALaw
	default:
		return
	}
	c := rec.chans[0]
	if dir == rtpsession.BToA {
		c = rec.chans[1]
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(payload) > 0 {
		n := decode(c.pcm[:], payload)
		c.queue.Push(c.pcm[:n])
		payload = payload[n:]
	}
}

// Path returns where the recording is saved once stopped.
func (rec *Recording) Path() string { return rec.path }

// Duration returns how much audio has been written so far.
func (rec *Recording) Duration() time.Duration {
	return time.Duration(rec.written.Load()) * frame
}

// Stop ends the recording: it stops taking audio, writes what is queued,
// completes the WAV header, syncs the file and renames it to its path. It
// returns the first error met while recording or saving; then no file is
// left. Calling it again returns the same result.
func (rec *Recording) Stop() error {
	rec.once.Do(func() {
		rec.untap()
		close(rec.stop)
		<-rec.done
		rec.err = rec.save()
	})
	return rec.err
}

func (rec *Recording) save() error {
	err := errors.Join(rec.wav.Close(), rec.file.Sync(), rec.file.Close())
	if err == nil {
		err = os.Rename(rec.tmp, rec.path)
	}
	if err != nil {
		os.Remove(rec.tmp)
		return fmt.Errorf("recorder: %w", err)
	}
	return nil
}

// run writes a frame per channel for every 20 ms since the start.
func (rec *Recording) run() {
	defer close(rec.done)
	t := time.NewTicker(frame)
	defer t.Stop()
	for {
		select {
		case <-rec.stop:
			// Write what is still queued (a few frames at most).
			for range 8 {
				if !rec.queued() {
					break
				}
				rec.writeFrame()
			}
			return
		case <-t.C:
		}
		// After a stall the frames missed are written now, mostly silence,
		// up to maxCatchUp per tick.
		due := int64(time.Since(rec.start) / frame)
		for n := 0; rec.written.Load() < due && n < maxCatchUp; n++ {
			rec.writeFrame()
		}
	}
}

func (rec *Recording) queued() bool {
	for _, c := range rec.chans {
		if c.queue.Len() > 0 {
			return true
		}
	}
	return false
}

// writeFrame writes the next frame of every channel, silence where there
// is none. A write error is kept by the WAV writer and reported by Stop.
func (rec *Recording) writeFrame() {
	n := len(rec.chans)
	for i, c := range rec.chans {
		if !c.queue.Pop(rec.pcm[i][:]) {
			clear(rec.pcm[i][:])
		}
	}
	for k := range samples {
		for i := range n {
			rec.out[k*n+i] = rec.pcm[i][k]
		}
	}
	_ = rec.wav.WriteSamples(rec.out[:n*samples])
	rec.written.Add(1)
}
