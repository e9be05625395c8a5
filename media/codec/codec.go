// Package codec holds the audio codecs and payload formats the switch
// speaks on the wire, one file per concept: G.711 µ-law and A-law
// (g711.go), RFC 4733 telephone events (dtmf.go), tone generation and
// detection used by media applications and by tests that prove audio
// really flowed (tone.go), WAV files for prompts and recordings (wav.go)
// and a source that plays a prompt once (clip.go).
//
// The codecs work on caller-provided buffers and allocate nothing, so they
// can sit on the per-packet path of the relay, mixer and player.
package codec
