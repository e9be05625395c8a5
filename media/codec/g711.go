package codec

import "math/bits"

// Static RTP payload types and clock rate of G.711 (RFC 3551).
const (
	PayloadPCMU = 0    // G.711 µ-law
	PayloadPCMA = 8    // G.711 A-law
	SampleRate  = 8000 // samples per second, also the RTP clock rate
)

// G.711 works on 14-bit (µ-law) and 13-bit (A-law) linear samples, so the
// encoders index their tables with the top 14 or 13 bits of a 16-bit
// sample. The decoders map each of the 256 code words to a 16-bit sample.
var (
	ulawEncodeTable [1 << 14]byte
	alawEncodeTable [1 << 13]byte
	ulawDecodeTable [256]int16
	alawDecodeTable [256]int16
)

func init() {
	for i := range ulawEncodeTable {
		ulawEncodeTable[i] = ulawEncodeSample(int16(uint16(i << 2)))
	}
	for i := range alawEncodeTable {
		alawEncodeTable[i] = alawEncodeSample(int16(uint16(i << 3)))
	}
	for i := range 256 {
		ulawDecodeTable[i] = ulawDecodeSample(byte(i))
		alawDecodeTable[i] = alawDecodeSample(byte(i))
	}
}

// EncodeULaw encodes linear 16-bit samples as µ-law bytes. It converts
// min(len(dst), len(pcm)) samples and returns that count.
func EncodeULaw(dst []byte, pcm []int16) int {
	n := min(len(dst), len(pcm))
	for i, s := range pcm[:n] {
		dst[i] = ulawEncodeTable[uint16(s)>>2]
	}
	return n
}

// DecodeULaw decodes µ-law bytes to linear 16-bit samples. It converts
// min(len(dst), len(src)) samples and returns that count.
func DecodeULaw(dst []int16, src []byte) int {
	n := min(len(dst), len(src))
	for i, c := range src[:n] {
		dst[i] = ulawDecodeTable[c]
	}
	return n
}

// EncodeALaw encodes linear 16-bit samples as A-law bytes. It converts
// min(len(dst), len(pcm)) samples and returns that count.
func EncodeALaw(dst []byte, pcm []int16) int {
	n := min(len(dst), len(pcm))
	for i, s := range pcm[:n] {
		dst[i] = alawEncodeTable[uint16(s)>>3]
	}
	return n
}

// DecodeALaw decodes A-law bytes to linear 16-bit samples. It converts
// min(len(dst), len(src)) samples and returns that count.
func DecodeALaw(dst []int16, src []byte) int {
	n := min(len(dst), len(src))
	for i, c := range src[:n] {
		dst[i] = alawDecodeTable[c]
	}
	return n
}

// magnitude splits a sample into its sign and magnitude. Negative samples
// use the one's complement (-s-1), which commutes with the arithmetic
// right shift the tables rely on and cannot overflow for -32768.
func magnitude(s int16) (mag int, negative bool) {
	if s < 0 {
		return int(^s), true
	}
	return int(s), false
}

// ulawEncodeSample is the reference µ-law compressor (G.711 table 2a): the
// magnitude, clipped and biased by 132, falls into one of eight segments
// whose number is the position of its leading one bit; the four bits after
// the leading one are the step within the segment. The code word is sent
// inverted.
func ulawEncodeSample(s int16) byte {
	const (
		bias = 0x84
		clip = 32635
	)
	mag, negative := magnitude(s)
	mag = min(mag, clip) + bias
	seg := bits.Len(uint(mag>>7)) - 1 // 0..7
	step := (mag >> (seg + 3)) & 0x0F
	code := byte(seg<<4 | step)
	if negative {
		code |= 0x80
	}
	return ^code
}

// ulawDecodeSample is the µ-law expander: the inverse of ulawEncodeSample,
// reconstructing the middle of the quantisation interval.
func ulawDecodeSample(c byte) int16 {
	u := ^c
	seg := (u >> 4) & 0x07
	t := (int(u&0x0F)<<3 + 0x84) << seg
	if u&0x80 != 0 {
		return int16(0x84 - t)
	}
	return int16(t - 0x84)
}

// alawEncodeSample is the reference A-law compressor (G.711 table 1a):
// segment 0 is linear with a step of 16; segment n (1..7) covers
// [128<<n, 256<<n) with a step of 8<<n. Positive samples carry the sign bit
// set, and the even bits are inverted (XOR 0x55) on the wire.
func alawEncodeSample(s int16) byte {
	mag, negative := magnitude(s)
	var code byte
	if mag < 256 {
		code = byte(mag >> 4)
	} else {
		seg := bits.Len(uint(mag >> 8)) // 1..7
		code = byte(seg<<4 | (mag>>(seg+3))&0x0F)
	}
	if !negative {
		code |= 0x80
	}
	return code ^ 0x55
}

// alawDecodeSample is the A-law expander, the inverse of alawEncodeSample,
// reconstructing the middle of the quantisation interval.
func alawDecodeSample(c byte) int16 {
	a := c ^ 0x55
	seg := (a >> 4) & 0x07
	t := int(a&0x0F)<<4 + 8
	if seg > 0 {
		t = (t + 0x100) << (seg - 1)
	}
	if a&0x80 == 0 {
		return int16(-t)
	}
	return int16(t)
}
