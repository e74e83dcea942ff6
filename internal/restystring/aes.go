package restystring

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"fmt"
	"hash"

	glua "github.com/Shopify/go-lua"

	"github.com/goresty/goresty/internal/lua"
)

// resty.aes is lua-resty-string 0.16's: new(key, salt, cipher, hash, hash_rounds, iv_len,
// enable_padding) derives the key and IV with OpenSSL's EVP_BytesToKey (or takes them raw from a
// {iv = ..., method = ...} table), encrypt(s, aad) and decrypt(s, tag, aad) run AES in the mode
// aes.cipher(size, mode) names: ecb, cbc, cfb1, cfb8, cfb128, ofb, ctr (128 and 192 bits only, as
// the original declares) or gcm, whose encrypt returns {ciphertext, tag}. Block modes pad with
// PKCS #7 unless enable_padding is false.

// aesMode is what aes.cipher's method field holds (a const EVP_CIPHER * in the original).
type aesMode struct {
	bits int
	mode string
}

// ivLen is EVP_CIPHER_iv_length: how much IV EVP_BytesToKey derives.
func (m aesMode) ivLen() int {
	switch m.mode {
	case "ecb":
		return 0
	case "gcm":
		return 12
	}
	return aes.BlockSize
}

// aesModes are the ciphers the original declares to the FFI; another name raises LuaJIT's
// "missing declaration for symbol".
var aesModes = func() map[string]aesMode {
	m := map[string]aesMode{}
	for _, bits := range []int{128, 192, 256} {
		for _, mode := range []string{"ecb", "cbc", "cfb1", "cfb8", "cfb128", "ofb", "ctr", "gcm"} {
			if mode == "ctr" && bits == 256 {
				continue
			}
			m[fmt.Sprintf("EVP_aes_%d_%s", bits, mode)] = aesMode{bits, mode}
		}
	}
	return m
}()

// aesHash is what aes.hash's fields hold (a const EVP_MD * in the original).
type aesHash struct{ new func() hash.Hash }

var aesHashes = []struct {
	name string
	h    aesHash
}{
	{"md5", aesHash{md5.New}}, {"sha1", aesHash{sha1.New}}, {"sha224", aesHash{sha256.New224}},
	{"sha256", aesHash{sha256.New}}, {"sha384", aesHash{sha512.New384}}, {"sha512", aesHash{sha512.New}},
}

// aesState is an aes object's key, IV and mode; it never changes, so VMs may share it.
type aesState struct {
	mode    aesMode
	block   cipher.Block
	iv      []byte // IV bytes: the mode's IV length, or the nonce for gcm
	padding bool
}

// The fields of an aes object: the original's names; both contexts hold the same *aesState.
const (
	encField    = "_encrypt_ctx"
	decField    = "_decrypt_ctx"
	cipherField = "_cipher"
)

func openAES(l *glua.State) int {
	lua.PushClass(l, []glua.RegistryFunction{
		{Name: "new", Function: aesNew},
		{Name: "encrypt", Function: aesEncrypt},
		{Name: "decrypt", Function: aesDecrypt},
		{Name: "cipher", Function: aesCipher},
	})
	l.PushString(version)
	l.SetField(-2, "_VERSION")
	l.CreateTable(0, len(aesHashes))
	for _, h := range aesHashes {
		l.PushUserData(&h.h)
		l.SetField(-2, h.name)
	}
	l.SetField(-2, "hash")
	return 1
}

// aesCipher is aes.cipher(size, mode): {size = size, cipher = mode, method = <the cipher>},
// size 128 and mode "cbc" by default.
func aesCipher(l *glua.State) int {
	if l.IsNoneOrNil(1) {
		l.SetTop(2)
		l.PushInteger(128)
		l.Replace(1)
	}
	if l.IsNoneOrNil(2) {
		l.SetTop(2)
		l.PushString("cbc")
		l.Replace(2)
	}
	name := "EVP_aes_" + concatPart(l, 1, "_size") + "_" + concatPart(l, 2, "_cipher")
	m, ok := aesModes[name]
	if !ok {
		lua.RaisePlain(l, "missing declaration for symbol '"+name+"'")
	}
	l.CreateTable(0, 3)
	l.PushValue(1)
	l.SetField(-2, "size")
	l.PushValue(2)
	l.SetField(-2, "cipher")
	l.PushUserData(&m)
	l.SetField(-2, "method")
	return 1
}

// concatPart is the value at index as the .. operator converts it.
func concatPart(l *glua.State, index int, local string) string {
	switch l.TypeOf(index) {
	case glua.TypeString, glua.TypeNumber:
		return toString(l, index)
	}
	lua.RaisePlain(l, "attempt to concatenate local '"+local+"' ("+article(l, index)+" value)")
	return ""
}

// toString converts a string or number as Lua's tostring does.
func toString(l *glua.State, index int) string {
	s, _ := glua.ToStringMeta(l, index)
	l.Pop(1)
	return s
}

// aesNew is aes:new(key, salt, cipher, hash, hash_rounds, iv_len, enable_padding).
func aesNew(l *glua.State) int {
	l.SetTop(8)
	m, ok := cipherArg(l)
	if !ok {
		return lua.PushFailure(l, "failed to generate key and iv")
	}
	keyLen := m.bits / 8
	padding := l.IsNil(8) || l.ToBoolean(8)
	var key, iv []byte
	if l.TypeOf(5) == glua.TypeTable {
		var msg string
		key, iv, msg = rawKey(l, keyLen)
		if msg != "" {
			return lua.PushFailure(l, msg)
		}
	} else {
		if l.ToBoolean(3) && len(checkString(l, 3, "local 'salt'")) != 8 {
			return lua.PushFailure(l, "salt must be 8 characters or nil")
		}
		h := &aesHashes[0].h // md5
		if !l.IsNil(5) {
			var ok bool
			if h, ok = l.ToUserData(5).(*aesHash); !ok {
				lua.RaisePlain(l, "bad argument #2 to 'EVP_BytesToKey' (cannot convert '"+glua.TypeNameOf(l, 5)+"' to 'const EVP_MD *')")
			}
		}
		rounds := 1
		if !l.IsNil(6) {
			if r, ok := l.ToNumber(6); ok && r > 1 {
				rounds = int(min(r, 1<<24))
			}
		}
		var salt []byte
		if l.ToBoolean(3) {
			salt = []byte(checkString(l, 3, "local 'salt'"))
		}
		key, iv = bytesToKey(h.new, salt, []byte(checkString(l, 2, "local 'key'")), rounds, keyLen, m.ivLen())
	}
	st := &aesState{mode: m, padding: padding}
	var err error
	if st.block, err = aes.NewCipher(key); err != nil {
		return lua.PushFailure(l, "failed to init ctx")
	}
	ivBuf := make([]byte, max(keyLen, aes.BlockSize)) // the original's IV buffer, zero-filled
	copy(ivBuf, iv)
	if m.mode == "gcm" {
		n := keyLen
		if l.TypeOf(5) == glua.TypeTable {
			n = len(iv)
		} else if !l.IsNil(7) {
			f, _ := l.ToNumber(7)
			n = int(f)
		}
		if n < 1 || n > len(ivBuf) {
			return lua.PushFailure(l, "failed to set IV length")
		}
		st.iv = ivBuf[:n]
	} else {
		st.iv = ivBuf[:m.ivLen()]
	}
	lua.NewObject(l, encField, st)
	l.Field(-1, encField)
	l.SetField(-2, decField)
	l.PushString(m.mode)
	l.SetField(-2, cipherField)
	return 1
}

// cipherArg reads the cipher table at index 4 (nil for aes.cipher()'s 128-bit cbc) as the
// original does: its method is the cipher, whose key length its size must give (ok is false
// otherwise, where the original fails to derive the key).
func cipherArg(l *glua.State) (m aesMode, ok bool) {
	if l.IsNil(4) {
		return aesMode{128, "cbc"}, true
	}
	if l.TypeOf(4) != glua.TypeTable {
		lua.RaisePlain(l, "attempt to index local '_cipher' ("+article(l, 4)+" value)")
	}
	l.Field(4, "size")
	size, ok := l.ToNumber(-1)
	if !ok {
		lua.RaisePlain(l, "attempt to perform arithmetic on field 'size' ("+article(l, -1)+" value)")
	}
	l.Pop(1)
	l.Field(4, "method")
	p, ok := l.ToUserData(-1).(*aesMode)
	if !ok {
		lua.RaisePlain(l, "bad argument #1 to 'EVP_BytesToKey' (cannot convert '"+glua.TypeNameOf(l, -1)+"' to 'const EVP_CIPHER *')")
	}
	l.Pop(1)
	return *p, size == float64(p.bits)
}

// rawKey reads the key and IV for a hash table at index 5 ({iv = ..., method = ...}): the key
// is method(key), or key itself, and must be keyLen bytes; the IV at most keyLen. A non-empty
// msg is the failure new returns.
func rawKey(l *glua.State, keyLen int) (key, iv []byte, msg string) {
	l.Field(5, "iv")
	if !l.ToBoolean(-1) {
		return nil, nil, "iv is needed"
	}
	ivs := checkString(l, l.Top(), "field 'iv'")
	l.Pop(1)
	if len(ivs) > keyLen {
		return nil, nil, "bad iv length"
	}
	l.Field(5, "method")
	if l.ToBoolean(-1) {
		l.PushValue(2)
		l.Call(1, 1)
		k := checkString(l, l.Top(), "local 'tmp_key'")
		l.Pop(1)
		if len(k) != keyLen {
			return nil, nil, "bad key length"
		}
		return []byte(k), []byte(ivs), ""
	}
	l.Pop(1)
	k := checkString(l, 2, "local 'key'")
	if len(k) != keyLen {
		return nil, nil, "bad key length"
	}
	return []byte(k), []byte(ivs), ""
}

// bytesToKey is OpenSSL's EVP_BytesToKey: D_i = hash^rounds(D_(i-1) || data || salt), whose
// concatenation gives the key and then the IV.
func bytesToKey(newHash func() hash.Hash, salt, data []byte, rounds, keyLen, ivLen int) (key, iv []byte) {
	var out, d []byte
	for len(out) < keyLen+ivLen {
		h := newHash()
		h.Write(d)
		h.Write(data)
		h.Write(salt)
		d = h.Sum(nil)
		for range rounds - 1 {
			h.Reset()
			h.Write(d)
			d = h.Sum(d[:0])
		}
		out = append(out, d...)
	}
	return out[:keyLen], out[keyLen : keyLen+ivLen]
}

// aesSelf returns the state of the object at index 1 for encrypt or decrypt (field), raising the
// original's error for a self that is not a table; nil means the original's init fails.
func aesSelf(l *glua.State, field string) *aesState {
	if l.TypeOf(1) != glua.TypeTable {
		lua.RaiseAtCaller(l, "bad argument #1 self: table expected, got "+lua.TypeName(l, 1))
	}
	l.Field(1, field)
	st, _ := l.ToUserData(-1).(*aesState)
	l.Pop(1)
	return st
}

// aesEncrypt is aes:encrypt(s, aad): the ciphertext, or for gcm {ciphertext, tag}.
func aesEncrypt(l *glua.State) int {
	st := aesSelf(l, encField)
	s := []byte(checkString(l, 2, "local 's'"))
	if st == nil {
		return lua.PushFailure(l, "EVP_EncryptInit_ex failed")
	}
	switch st.mode.mode {
	case "gcm":
		g, err := cipher.NewGCMWithNonceSize(st.block, len(st.iv))
		if err != nil {
			return lua.PushFailure(l, "EVP_EncryptInit_ex failed")
		}
		var aad []byte
		if !l.IsNoneOrNil(3) {
			aad = []byte(checkString(l, 3, "local 'aad'"))
		}
		sealed := g.Seal(nil, st.iv, s, aad)
		n := len(sealed) - g.Overhead()
		l.CreateTable(2, 0)
		l.PushString(string(sealed[:n]))
		l.RawSetInt(-2, 1)
		l.PushString(string(sealed[n:]))
		l.RawSetInt(-2, 2)
		return 1
	case "ecb", "cbc":
		if st.padding {
			p := aes.BlockSize - len(s)%aes.BlockSize
			s = append(s, bytes.Repeat([]byte{byte(p)}, p)...)
		} else if len(s)%aes.BlockSize != 0 {
			return lua.PushFailure(l, "EVP_EncryptFinal_ex failed")
		}
	}
	l.PushString(string(st.crypt(s, true)))
	return 1
}

// aesDecrypt is aes:decrypt(s, tag, aad): the plaintext, or nil and an error when the padding,
// the length or (gcm) the tag is wrong.
func aesDecrypt(l *glua.State) int {
	st := aesSelf(l, decField)
	s := []byte(checkString(l, 2, "local 's'"))
	if st == nil {
		return lua.PushFailure(l, "EVP_DecryptInit_ex failed")
	}
	switch st.mode.mode {
	case "gcm":
		g, err := cipher.NewGCMWithNonceSize(st.block, len(st.iv))
		if err != nil {
			return lua.PushFailure(l, "EVP_DecryptInit_ex failed")
		}
		if l.IsNoneOrNil(3) {
			return lua.PushFailure(l, "EVP_DecryptFinal_ex failed")
		}
		tag := []byte(checkString(l, 3, "local 'tag'"))
		var aad []byte
		if !l.IsNoneOrNil(4) {
			aad = []byte(checkString(l, 4, "local 'aad'"))
		}
		if len(tag) < g.Overhead() {
			return lua.PushFailure(l, "EVP_DecryptFinal_ex failed")
		}
		plain, err := g.Open(nil, st.iv, append(s, tag[:g.Overhead()]...), aad)
		if err != nil {
			return lua.PushFailure(l, "EVP_DecryptFinal_ex failed")
		}
		l.PushString(string(plain))
		return 1
	case "ecb", "cbc":
		if len(s)%aes.BlockSize != 0 || (st.padding && len(s) == 0) {
			return lua.PushFailure(l, "EVP_DecryptFinal_ex failed")
		}
		out := st.crypt(s, false)
		if st.padding {
			p := int(out[len(out)-1])
			if p == 0 || p > aes.BlockSize ||
				subtle.ConstantTimeCompare(out[len(out)-p:], bytes.Repeat([]byte{byte(p)}, p)) != 1 {
				return lua.PushFailure(l, "EVP_DecryptFinal_ex failed")
			}
			out = out[:len(out)-p]
		}
		l.PushString(string(out))
		return 1
	}
	l.PushString(string(st.crypt(s, false)))
	return 1
}

// crypt runs the state's mode (not gcm) over s, whose length is a whole number of blocks for ecb
// and cbc.
func (st *aesState) crypt(s []byte, encrypt bool) []byte {
	out := make([]byte, len(s))
	b := st.block
	switch st.mode.mode {
	case "ecb":
		for i := 0; i < len(s); i += aes.BlockSize {
			if encrypt {
				b.Encrypt(out[i:], s[i:])
			} else {
				b.Decrypt(out[i:], s[i:])
			}
		}
	case "cbc":
		if encrypt {
			cipher.NewCBCEncrypter(b, st.iv).CryptBlocks(out, s)
		} else {
			cipher.NewCBCDecrypter(b, st.iv).CryptBlocks(out, s)
		}
	case "ofb":
		cipher.NewOFB(b, st.iv).XORKeyStream(out, s)
	case "ctr":
		cipher.NewCTR(b, st.iv).XORKeyStream(out, s)
	case "cfb1":
		cfb(b, st.iv, out, s, 1, encrypt)
	case "cfb8":
		cfb(b, st.iv, out, s, 8, encrypt)
	case "cfb128":
		cfb(b, st.iv, out, s, 128, encrypt)
	}
	return out
}

// cfb is CFB mode with segments of bits bits (1, 8 or 128), as OpenSSL's cfb1, cfb8 and cfb128:
// each segment of input is XORed with the leading bits of the encrypted shift register, which
// then shifts in the segment of ciphertext.
func cfb(b cipher.Block, iv, out, in []byte, bits int, encrypt bool) {
	reg := bytes.Clone(iv)
	ks := make([]byte, aes.BlockSize)
	switch bits {
	case 128:
		for i := 0; i < len(in); i += aes.BlockSize {
			b.Encrypt(ks, reg)
			n := min(aes.BlockSize, len(in)-i)
			subtle.XORBytes(out[i:i+n], in[i:i+n], ks[:n])
			if encrypt {
				copy(reg, out[i:i+n])
			} else {
				copy(reg, in[i:i+n])
			}
		}
	case 8:
		for i := range in {
			b.Encrypt(ks, reg)
			out[i] = in[i] ^ ks[0]
			c := out[i]
			if !encrypt {
				c = in[i]
			}
			copy(reg, reg[1:])
			reg[aes.BlockSize-1] = c
		}
	case 1:
		for i := range in {
			var o byte
			for bit := 7; bit >= 0; bit-- {
				b.Encrypt(ks, reg)
				x := in[i] >> bit & 1
				y := x ^ ks[0]>>7
				o |= y << bit
				c := y
				if !encrypt {
					c = x
				}
				shiftLeft1(reg, c)
			}
			out[i] = o
		}
	}
}

// shiftLeft1 shifts reg left by one bit and sets its last bit to bit.
func shiftLeft1(reg []byte, bit byte) {
	for i := range len(reg) - 1 {
		reg[i] = reg[i]<<1 | reg[i+1]>>7
	}
	reg[len(reg)-1] = reg[len(reg)-1]<<1 | bit
}

// checkString is #v on a value that must be a string, raising Lua's length error otherwise;
// what names the value as the original's error does ("local 'key'", "field 'iv'").
func checkString(l *glua.State, index int, what string) string {
	s, ok := l.ToValue(index).(string)
	if !ok {
		lua.RaisePlain(l, "attempt to get length of "+what+" ("+article(l, index)+" value)")
	}
	return s
}
