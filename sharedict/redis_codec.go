package sharedict

import (
	"encoding/binary"
	"fmt"
	"math"
)

// How a RedisDict stores values. A key/value is a Redis string: a type tag ('s' string, 'n'
// number, 'b' boolean), the flags as 4 big-endian bytes, then the payload (the string's bytes, a
// number as 8 little-endian IEEE 754 bytes, which Redis' Lua reads with struct.unpack('<d'), or
// one byte 0 or 1). A list is a Redis list whose elements are a tag ('s' or 'n') and a payload.
// Numbers thus round-trip exactly and incr adds in float64, as nginx does.
const (
	tagString = 's'
	tagNumber = 'n'
	tagBool   = 'b'
)

func encodeValue(v Value, flags uint32) string {
	b := make([]byte, 5, 5+v.size())
	binary.BigEndian.PutUint32(b[1:], flags)
	switch v.kind {
	case KindString:
		b[0] = tagString
		b = append(b, v.s...)
	case KindNumber:
		b[0] = tagNumber
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v.n))
	case KindBool:
		b[0] = tagBool
		b = append(b, byte(v.n))
	}
	return string(b)
}

func decodeValue(s string) (Value, uint32, error) {
	if len(s) < 5 {
		return Nil, 0, fmt.Errorf("sharedict: bad value in redis: %q", s)
	}
	flags := binary.BigEndian.Uint32([]byte(s[1:5]))
	v, err := decodePayload(s[0], s[5:])
	return v, flags, err
}

func encodeElement(v Value) string {
	if v.kind == KindNumber {
		return string(binary.LittleEndian.AppendUint64([]byte{tagNumber}, math.Float64bits(v.n)))
	}
	return string(tagString) + v.s
}

func decodeElement(s string) (Value, error) {
	if s == "" {
		return Nil, fmt.Errorf("sharedict: bad list element in redis")
	}
	return decodePayload(s[0], s[1:])
}

func decodePayload(tag byte, p string) (Value, error) {
	switch {
	case tag == tagString:
		return String(p), nil
	case tag == tagNumber && len(p) == 8:
		return Number(decodeNumber(p)), nil
	case tag == tagBool && len(p) == 1:
		return Bool(p[0] != 0), nil
	}
	return Nil, fmt.Errorf("sharedict: bad value in redis: tag %q, %d bytes", tag, len(p))
}

func encodeNumber(n float64) string {
	return string(binary.LittleEndian.AppendUint64(nil, math.Float64bits(n)))
}

func decodeNumber(p string) float64 {
	return math.Float64frombits(binary.LittleEndian.Uint64([]byte(p)))
}
