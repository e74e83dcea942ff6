package limit

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/goresty/goresty/sharedict"
	"github.com/redis/go-redis/v9"
)

// RedisStore keeps limiter state in Redis, for a fleet of processes that share their limits. It
// is a sharedict.RedisDict (the same keys and value encoding, so ngx.shared-style code sees the
// limiters' records and counters) on which Req, Conn and Count make each decision with one atomic
// server-side script (EVALSHA, falling back to EVAL when Redis has not cached it). A Req reads the
// time from the Redis server unless it was given a clock, so the fleet's machines need not agree
// on the time; Count windows expire by Redis' clock.
//
// When Redis cannot be reached a decision fails with an error that wraps the client's; the
// middleware then admits the request (fail-open) or rejects it (Config.FailClosed).
type RedisStore struct {
	*sharedict.RedisDict
	client redis.UniversalClient
	prefix string
	ctx    context.Context
}

// NewRedisStore returns the store of dict name kept through client, under Redis keys
// "sharedict:" + name + ":" + key, as sharedict.NewRedis(client, name, capacity) does.
func NewRedisStore(client redis.UniversalClient, name string, capacity int64) *RedisStore {
	return &RedisStore{
		RedisDict: sharedict.NewRedis(client, name, capacity),
		client:    client,
		prefix:    "sharedict:" + name + ":",
		ctx:       context.Background(),
	}
}

// WithContext returns a shallow copy of s whose calls (the dict's and the limiters') use ctx.
func (s *RedisStore) WithContext(ctx context.Context) *RedisStore {
	c := *s
	c.RedisDict = s.RedisDict.WithContext(ctx)
	c.ctx = ctx
	return &c
}

// The scripts read and write values as sharedict.RedisDict encodes them: a type tag ('s' string,
// 'n' number), 4 bytes of flags, then the payload (a number as a little-endian double). A
// leaky-bucket record is thus 's', four zero bytes and the 16 bytes of encodeRec. Numbers travel
// back to Go as %.17g strings, since Redis truncates Lua numbers in replies.
//
// Result codes: 0 admitted, 1 rejected, 2 not a number / abused, 3 not found.

// reqScript: KEYS[1] the key; ARGV rate, burst (milli), commit ("1"), now (ms; "" for the
// server's time).
var reqScript = redis.NewScript(`
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local now = tonumber(ARGV[4])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local excess = 0
local v = redis.pcall('GET', KEYS[1])
if type(v) == 'string' then
  if #v ~= 21 or string.sub(v, 1, 1) ~= 's' then return {2} end
  local e, last = struct.unpack('<I8I8', v, 6)
  excess = e - rate * math.abs(now - last) / 1000 + 1000
  if excess < 0 then excess = 0 end
  if excess > burst then return {1, string.format('%.17g', excess)} end
end
if ARGV[3] == '1' then
  redis.call('SET', KEYS[1], 's\0\0\0\0' .. struct.pack('<I8I8', math.floor(excess), math.floor(now)))
end
return {0, string.format('%.17g', excess)}
`)

// reqUncommitScript: KEYS[1] the key.
var reqUncommitScript = redis.NewScript(`
local v = redis.pcall('GET', KEYS[1])
if type(v) ~= 'string' then return {3} end
if #v ~= 21 or string.sub(v, 1, 1) ~= 's' then return {2} end
local e, last = struct.unpack('<I8I8', v, 6)
e = e - 1000
if e < 0 then e = 0 end
redis.call('SET', KEYS[1], 's\0\0\0\0' .. struct.pack('<I8I8', e, last))
return {0}
`)

// counterScript is dict:incr and dict:get on one number for conn and count. KEYS[1] the key;
// ARGV: op, n, limit, init, ttl (ms; 0 none), pttl ("1": return the key's ttl too).
//
//	op "incr": incr(key, n, init, ttl) when init is not "", else incr(key, n) ("not found" when
//	  missing); rejected when the sum is above limit (conn) or below 0 (count), and for conn
//	  (limit not "") undone, as conn decrements again.
//	op "get": (get(key) or init) + n, rejected as above; nothing written.
var counterScript = redis.NewScript(`
local k, op, n, limit, init = KEYS[1], ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local v = redis.pcall('GET', k)
local cur
if type(v) == 'string' then
  if #v == 13 and string.sub(v, 1, 1) == 'n' then
    cur = struct.unpack('<d', v, 6)
  elseif op == 'get' and string.sub(v, 1, 1) == 's' then
    cur = tonumber(string.sub(v, 6))
    if not cur then return {2} end
  else
    return {2}
  end
elseif type(v) == 'table' and op ~= 'get' then
  return {2}
end
local sum
if cur then
  sum = cur + n
elseif init then
  sum = init + n
else
  return {3}
end
local code = 0
if limit and sum > limit then code = 1 elseif not limit and init and sum < 0 then code = 1 end
if op == 'incr' then
  local keep = sum
  if code == 1 and limit then keep = sum - 1 end
  if cur then
    redis.call('SET', k, string.sub(v, 1, 5) .. struct.pack('<d', keep), 'KEEPTTL')
  elseif tonumber(ARGV[5]) > 0 then
    redis.call('SET', k, 'n\0\0\0\0' .. struct.pack('<d', keep), 'PX', ARGV[5])
  else
    redis.call('SET', k, 'n\0\0\0\0' .. struct.pack('<d', keep))
  end
end
local ttl = 0
if ARGV[6] == '1' then
  ttl = redis.call('PTTL', k)
  if ttl < 0 then ttl = 0 end
end
return {code, string.format('%.17g', sum), ttl}
`)

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// keyError is what the dict says of a key it cannot store; Redis would take any key, so the
// store checks first, to behave as a Dict does.
func keyError(key string) error {
	switch {
	case key == "":
		return sharedict.ErrEmptyKey
	case len(key) > 65535:
		return sharedict.ErrKeyTooLong
	}
	return nil
}

func (s *RedisStore) run(sc *redis.Script, op, key string, args ...any) (code int64, val float64, ttl int64, err error) {
	res, err := sc.Run(s.ctx, s.client, []string{s.prefix + key}, args...).Slice()
	if err != nil {
		if strings.HasPrefix(err.Error(), "OOM ") {
			err = fmt.Errorf("%w (%v)", sharedict.ErrNoMemory, err)
		}
		return 0, 0, 0, fmt.Errorf("limit: redis %s %q: %w", op, key, err)
	}
	code, _ = res[0].(int64)
	if len(res) > 1 {
		str, _ := res[1].(string)
		if val, err = strconv.ParseFloat(str, 64); err != nil {
			return 0, 0, 0, fmt.Errorf("limit: redis %s %q: bad script result %v", op, key, res)
		}
	}
	if len(res) > 2 {
		ttl, _ = res[2].(int64)
	}
	return code, val, ttl, nil
}

func (s *RedisStore) req(a reqArgs) (float64, error) {
	if keyError(a.key) != nil {
		return 0, nil // as in OpenResty: get and set fail, the request passes with excess 0
	}
	now := ""
	switch {
	case a.at.ok:
		now = fmtFloat(a.at.ms)
	case a.clock.isSet():
		now = fmtFloat(float64(a.clock.read().UnixMilli()))
	}
	commit := "0"
	if a.commit {
		commit = "1"
	}
	code, excess, _, err := s.run(reqScript, "req", a.key, fmtFloat(a.rate), fmtFloat(a.burst), commit, now)
	switch {
	case err != nil:
		return 0, err
	case code == 1:
		return excess, ErrRejected
	case code == 2:
		return 0, ErrAbused
	}
	return excess, nil
}

func (s *RedisStore) reqUncommit(key string, _ *clock) error {
	if keyError(key) != nil {
		return sharedict.ErrNotFound
	}
	code, _, _, err := s.run(reqUncommitScript, "req uncommit", key)
	switch {
	case err != nil:
		return err
	case code == 2:
		return ErrAbused
	case code == 3:
		return sharedict.ErrNotFound
	}
	return nil
}

// counter runs counterScript and maps its codes to the dict's errors.
func (s *RedisStore) counter(key, op string, n float64, limit, init string, ttl time.Duration, wantTTL bool) (float64, time.Duration, error) {
	if err := keyError(key); err != nil {
		return 0, 0, err
	}
	pttl := "0"
	if wantTTL {
		pttl = "1"
	}
	code, v, ms, err := s.run(counterScript, "limit "+op, key, op, fmtFloat(n), limit, init, ttl.Milliseconds(), pttl)
	d := time.Duration(ms) * time.Millisecond
	switch {
	case err != nil:
		return 0, 0, err
	case code == 1:
		return v, d, ErrRejected
	case code == 2:
		return 0, 0, fmt.Errorf("limit: key %q: %w", key, sharedict.ErrNotNumber)
	case code == 3:
		return 0, 0, sharedict.ErrNotFound
	}
	return v, d, nil
}

func (s *RedisStore) conn(key string, limit float64, commit bool, _ *clock) (float64, error) {
	op := "get"
	if commit {
		op = "incr"
	}
	v, _, err := s.counter(key, op, 1, fmtFloat(limit), "0", 0, false)
	return v, err
}

func (s *RedisStore) connDecr(key string, _ *clock) (float64, error) {
	v, _, err := s.counter(key, "incr", -1, "", "", 0, false)
	return v, err
}

func (s *RedisStore) count(a countArgs) (float64, time.Duration, error) {
	op := "get"
	if a.commit {
		op = "incr"
	}
	return s.counter(a.key, op, -1, "", fmtFloat(a.limit), windowTTL(a.window), a.ttl)
}

func (s *RedisStore) countUncommit(key string, limit float64, _ *clock) (float64, error) {
	v, _, err := s.counter(key, "incr", 1, "", "", 0, false)
	if errors.Is(err, sharedict.ErrNotFound) {
		return limit, nil
	}
	return v, err
}
