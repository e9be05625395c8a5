package sipua

import (
	"log/slog"
	"strings"
	"time"

	"github.com/switchboard-pbx/switchboard/media/rtpsession"
)

// config is what Options set.
type config struct {
	log           *slog.Logger
	observer      Observer
	userAgent     string
	advertise     string
	socketBuffer  int
	nonceLifetime time.Duration
	banFailures   int
	banWindow     time.Duration
	banFor        time.Duration
	minExpires    int
	maxExpires    int
	ringTimeout   time.Duration
	mediaTimeout  time.Duration
	ports         *rtpsession.PortPool
	digestAlgs    []string
	parkTimeout   time.Duration
	recordingDir  string
}

func defaultConfig() config {
	return config{log: slog.Default(), observer: nopObserver{}, userAgent: "Switchboard",
		socketBuffer: 4 << 20, nonceLifetime: 5 * time.Minute,
		banFailures: 20, banWindow: time.Minute, banFor: 5 * time.Minute,
		minExpires: 60, maxExpires: 3600,
		ringTimeout: 30 * time.Second, mediaTimeout: 60 * time.Second, parkTimeout: 2 * time.Minute}
}

// Option configures a UA.
type Option func(*config)

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.log = l } }

// WithRecordingDir sets where call recordings are written (default: none,
// and recording is refused).
func WithRecordingDir(dir string) Option { return func(c *config) { c.recordingDir = dir } }

// WithObserver sets who hears registrations, leg changes and digits.
func WithObserver(o Observer) Option { return func(c *config) { c.observer = o } }

// WithAdvertiseHost sets the host put in Contact and Via headers (default:
// the listening IP, or 127.0.0.1 when listening on all addresses).
func WithAdvertiseHost(h string) Option { return func(c *config) { c.advertise = h } }

// WithPortPool sets the RTP port pool calls take their ports from.
func WithPortPool(p *rtpsession.PortPool) Option { return func(c *config) { c.ports = p } }

// WithRingTimeout sets how long a call rings before it fails with no
// answer (default 30 s).
func WithRingTimeout(d time.Duration) Option { return func(c *config) { c.ringTimeout = d } }

// WithMediaTimeout sets how long a call may go without RTP in either
// direction before it is torn down (default 60 s).
func WithMediaTimeout(d time.Duration) Option { return func(c *config) { c.mediaTimeout = d } }

// WithBan sets the failed-authentication limit: more than failures within
// window bans the source for banFor.
func WithBan(failures int, window, banFor time.Duration) Option {
	return func(c *config) { c.banFailures, c.banWindow, c.banFor = failures, window, banFor }
}

// WithExpires sets the registration expiry bounds in seconds.
func WithExpires(minimum, maximum int) Option {
	return func(c *config) { c.minExpires, c.maxExpires = minimum, maximum }
}

// WithDigestAlgorithms sets the digest algorithms challenged in 401/407,
// in order, from "SHA-256" and "MD5" (default: MD5 only, which every SIP
// phone supports). Credentials with either are accepted whatever the
// challenge offered. Offer SHA-256 (RFC 8760) only where every device
// supports it: some clients give up when any challenge is not MD5
// (baresip 1.0) or answer only the first one with MD5 (SIPp 3.6).
func WithDigestAlgorithms(algs ...string) Option {
	return func(c *config) {
		c.digestAlgs = nil
		for _, a := range algs {
			switch strings.ToUpper(strings.TrimSpace(a)) {
			case "MD5":
				c.digestAlgs = append(c.digestAlgs, "MD5")
			case "SHA-256", "SHA256":
				c.digestAlgs = append(c.digestAlgs, "SHA-256")
			}
		}
	}
}

// WithParkTimeout sets how long a call stays parked before the parker's
// phones ring to take it back (default 2 minutes).
func WithParkTimeout(d time.Duration) Option { return func(c *config) { c.parkTimeout = d } }

// WithNonceLifetime sets how long a digest nonce stays fresh.
func WithNonceLifetime(d time.Duration) Option { return func(c *config) { c.nonceLifetime = d } }

type nopObserver struct{}

func (nopObserver) RegistrationChanged(Binding, bool) {}
func (nopObserver) LegChanged(LegInfo)                {}
func (nopObserver) DTMF(string, rune)                 {}

func (nopObserver) RecordingFinished(string, string, time.Duration, string) {}
