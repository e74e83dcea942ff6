// Package restystring is lua-resty-string for github.com/Shopify/go-lua states: the modules
// resty.string (to_hex, atoi), resty.md5, resty.sha1, resty.sha224, resty.sha256, resty.sha384,
// resty.sha512, resty.random and resty.aes, whose originals call OpenSSL and nginx through
// LuaJIT's FFI. Modules returns their loaders for require.
//
// The API is lua-resty-string 0.16's, which OpenResty ships. Results and error messages are the
// originals': the oracle cases of internal/oracletest check them against Debian's 0.11 on nginx
// (the same but for 0.16's additions to resty.aes: iv_len, enable_padding, gcm, and the error
// strings its failures return), TestAESGCMAsOpenSSL checks gcm against OpenSSL. They differ
// where the original crashes nginx or reads freed state:
//
//   - a digest method called on a table that is not a digest object raises an error (the
//     original passes a NULL context to OpenSSL, which crashes the worker);
//   - final leaves the object as it was, so a second final returns the same digest (the
//     original's second final hashes the state OpenSSL wiped); call reset to start again, as
//     with the original.
//
// random.bytes draws from crypto/rand whether or not strong is set (the original's weak
// variant is OpenSSL's RAND_pseudo_bytes, no weaker in OpenSSL 3), and refuses a length over the
// engine's MaxBytes with "string length overflow".
package restystring
