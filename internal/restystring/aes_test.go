package restystring

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goresty/goresty/internal/lua"
)

// The gcm wants were printed by nginx's LuaJIT calling OpenSSL's EVP functions through the FFI
// as lua-resty-string 0.16 calls them (Debian's lua-resty-string is 0.11, without gcm).
func TestAESGCMAsOpenSSL(t *testing.T) {
	out, err := run(t, lua.Config{}, `local aes, str = require "resty.aes", require "resty.string"
		local function show(r) print(str.to_hex(r[1]) .. " " .. str.to_hex(r[2])) end
		local raw = aes:new(string.rep("k", 32), nil, aes.cipher(256, "gcm"), {iv = "0123456789ab"})
		show(raw:encrypt("hello gcm world"))
		show(raw:encrypt("hello gcm world", "header"))
		local derived = aes:new("secret", nil, aes.cipher(128, "gcm"))
		local r = derived:encrypt("hello gcm world")
		show(r)
		print(derived:decrypt(r[1], r[2]), derived:decrypt(r[1], string.rep("x", 16)))
		local a = raw:encrypt("hello gcm world", "header")
		print(raw:decrypt(a[1], a[2], "header"), raw:decrypt(a[1], a[2]), raw:decrypt(a[1]))`)
	require.NoError(t, err)
	assert.Equal(t, "697a0bada90862fa4dc1ea59a65ed8 f6a95da8997a97687af984f0164cb9ae\n"+
		"697a0bada90862fa4dc1ea59a65ed8 88c122641571c4da180d836bd5764f2c\n"+
		"794b36fa10fc1980e537080bf11f1a b0d74ad755e9ed6b8caef55c19995a20\n"+
		"hello gcm world\tnil\tEVP_DecryptFinal_ex failed\n"+
		"hello gcm world\tnil\tnil\tEVP_DecryptFinal_ex failed", out)
}

func TestAES(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"round trips", `local aes = require "resty.aes"
			local msgs = {"", "x", string.rep("0123456789abcdef", 2), "a longer message of no particular length"}
			local bad = 0
			for _, size in ipairs({128, 192, 256}) do
				for _, mode in ipairs({"ecb", "cbc", "cfb1", "cfb8", "cfb128", "ofb", "ctr", "gcm"}) do
					if not (size == 256 and mode == "ctr") then
						local c = aes:new("pass", "saltsalt", aes.cipher(size, mode), aes.hash.sha256, 2)
						for _, m in ipairs(msgs) do
							local e = c:encrypt(m)
							local d = mode == "gcm" and c:decrypt(e[1], e[2]) or c:decrypt(e)
							if d ~= m then bad = bad + 1 end
						end
					end
				end
			end
			print(bad)`, "0"},
		{"no padding", `local aes = require "resty.aes"
			local c = aes:new("k", nil, aes.cipher(128, "cbc"), nil, nil, nil, false)
			print(#c:encrypt(string.rep("a", 32)), c:encrypt("short"))
			print(c:decrypt(c:encrypt(string.rep("a", 16))) == string.rep("a", 16))`,
			"32\tnil\tEVP_EncryptFinal_ex failed\ntrue"},
		{"failures", `local aes = require "resty.aes"
			print(aes:new("k", "salt"))
			print(aes:new("short", nil, aes.cipher(128, "cbc"), {iv = "fedcba9876543210"}))
			print(aes:new("0123456789abcdef", nil, aes.cipher(128, "cbc"), {}))
			print(aes:new("0123456789abcdef", nil, aes.cipher(128, "cbc"), {iv = string.rep("i", 17)}))
			print(aes:new("k", nil, {size = 256, method = aes.cipher(128).method}))
			print(aes:new("k"):decrypt("0123456789abcdef"))`,
			"nil\tsalt must be 8 characters or nil\nnil\tbad key length\nnil\tiv is needed\nnil\tbad iv length\n" +
				"nil\tfailed to generate key and iv\nnil\tEVP_DecryptFinal_ex failed"},
		{"cipher", `local aes = require "resty.aes"
			local c = aes.cipher()
			print(c.size, c.cipher, type(c.method), aes._VERSION, type(aes.hash.sha512))
			print(pcall(aes.cipher, 256, "ctr"))`,
			"128\tcbc\tuserdata\t0.16\tuserdata\nfalse\tmissing declaration for symbol 'EVP_aes_256_ctr'"},
		{"self", `local aes = require "resty.aes"
			local ok, err = pcall(function() local r = aes.encrypt("x", "y") return r end)
			print(err)
			print(aes.decrypt({}, "y"))`,
			"test:2: bad argument #1 self: table expected, got string\nnil\tEVP_DecryptInit_ex failed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := run(t, lua.Config{}, c.src)
			require.NoError(t, err)
			assert.Equal(t, c.want, out)
		})
	}
}
