package pattern

// Character classes of the C locale, which is the locale lua5.2 runs in: bytes
// from 0x80 up belong to no class.
const (
	bitAlpha uint16 = 1 << iota
	bitCntrl
	bitDigit
	bitGraph
	bitLower
	bitPunct
	bitSpace
	bitUpper
	bitXdigit
	bitZero
	bitAlnum = bitAlpha | bitDigit
)

// ctype holds the class bits of every byte.
var ctype = func() (t [256]uint16) {
	for c := range 256 {
		var b uint16
		switch {
		case c >= 'a' && c <= 'z':
			b |= bitAlpha | bitLower | bitGraph
		case c >= 'A' && c <= 'Z':
			b |= bitAlpha | bitUpper | bitGraph
		case c >= '0' && c <= '9':
			b |= bitDigit | bitGraph | bitXdigit
		case c > ' ' && c < 0x7f:
			b |= bitPunct | bitGraph
		}
		if (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') {
			b |= bitXdigit
		}
		if c < ' ' || c == 0x7f {
			b |= bitCntrl
		}
		if c == ' ' || (c >= '\t' && c <= '\r') {
			b |= bitSpace
		}
		if c == 0 {
			b |= bitZero
		}
		t[c] = b
	}
	return t
}()

// classMask maps the letter after '%' to the class it names (0: no class, so
// the letter stands for itself); an upper-case letter names the complement.
var classMask = func() (t [256]uint16) {
	for cl, m := range map[byte]uint16{
		'a': bitAlpha, 'c': bitCntrl, 'd': bitDigit, 'g': bitGraph, 'l': bitLower,
		'p': bitPunct, 's': bitSpace, 'u': bitUpper, 'w': bitAlnum, 'x': bitXdigit,
		'z': bitZero, // deprecated in 5.2 but still accepted by lua5.2
	} {
		t[cl] = m
		t[cl-'a'+'A'] = m
	}
	return t
}()

// matchClass reports whether byte c matches the escape %cl.
func matchClass(c, cl byte) bool {
	m := classMask[cl]
	if m == 0 {
		return cl == c
	}
	in := ctype[c]&m != 0
	if cl >= 'a' {
		return in
	}
	return !in
}
