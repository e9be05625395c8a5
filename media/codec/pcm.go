package codec

import "encoding/binary"

// PCMBytes returns pcm as 16-bit little-endian samples: the layout of WAV
// data and of raw audio in the API (SwitchService PlayLeg's samples).
func PCMBytes(pcm []int16) []byte {
	b := make([]byte, 2*len(pcm))
	for i, v := range pcm {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(v))
	}
	return b
}

// PCMFromBytes reads 16-bit little-endian samples (the layout PCMBytes
// writes); an odd last byte is ignored.
func PCMFromBytes(b []byte) []int16 {
	pcm := make([]int16, len(b)/2)
	for i := range pcm {
		pcm[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
	}
	return pcm
}
