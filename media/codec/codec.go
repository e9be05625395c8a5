// Package codec holds the audio codecs and payload formats the switch
// speaks on the wire, one file per concept: G.711 µ-law and A-law
// (g711.go), RFC 4733 telephone events (dtmf.go), and tone generation and
// detection used by media applications and by tests that prove audio
// really flowed (tone.go).
//
// Everything here works on caller-provided buffers and allocates nothing,
// so it can sit on the per-packet path of the relay, mixer and player.
package codec
