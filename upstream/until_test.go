package upstream

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The transcripts in untilCases were recorded on nginx 1.22.1 with lua-nginx-module 0.10.23
// (Debian's packages) with /work/shared/oracle/nginx-lua -h HTTP_CONF SERVER_CONF '/t?m=MODE'.
// HTTP_CONF is `lua_shared_dict ut 1m;` and init_by_lua (a block; a file for untilLongCases)
// defining the global CASES, one entry per row: {events = {...}, phases = {{pat = ..., incl =
// ..., sizes = {...}, calls = ...}}}, where events holds the row's input with false for stall,
// and calls is -1 for a row's last phase (call until the iterator answers nil, "closed" with
// two values). SERVER_CONF is:
//
//	location = /src {
//	    content_by_lua_block {
//	        local case = CASES[tonumber(ngx.var.arg_c)]
//	        local mode, key = ngx.var.arg_m, ngx.var.arg_k
//	        local sock = assert(ngx.req.socket(true))
//	        local dict = ngx.shared.ut
//	        local pending, stalls = {}, 0
//	        local function flush()
//	            if mode == "one" then
//	                local s = table.concat(pending)
//	                if s ~= "" then sock:send(s) end
//	            elseif mode == "chunks" then
//	                for _, s in ipairs(pending) do
//	                    if s ~= "" then sock:send(s) ngx.sleep(0.02) end
//	                end
//	            else
//	                local s = table.concat(pending)
//	                for i = 1, #s do sock:send(s:sub(i, i)) ngx.sleep(0.003) end
//	            end
//	            pending = {}
//	        end
//	        for _, ev in ipairs(case.events) do
//	            if ev == false then
//	                flush()
//	                stalls = stalls + 1
//	                for _ = 1, 1000 do
//	                    if dict:get(key .. ":" .. stalls) then break end
//	                    ngx.sleep(0.005)
//	                end
//	            else
//	                pending[#pending + 1] = ev
//	            end
//	        end
//	        flush()
//	    }
//	}
//	location = /t {
//	    lua_socket_log_errors off;
//	    content_by_lua_block {
//	        local cjson = require "cjson"
//	        local mode = ngx.var.arg_m
//	        local function pack(...)
//	            local n = select("#", ...)
//	            local t = {}
//	            for i = 1, n do
//	                local v = select(i, ...)
//	                if v == nil then t[i] = cjson.null else t[i] = v end
//	            end
//	            return t, n
//	        end
//	        for ci, case in ipairs(CASES) do
//	            local key = "k" .. ci .. mode
//	            local sock = ngx.socket.tcp()
//	            sock:settimeout(150)
//	            assert(sock:connect("127.0.0.1", ngx.var.server_port))
//	            sock:send("GET /src?c=" .. ci .. "&m=" .. mode .. "&k=" .. key .. " HTTP/1.1\r\nHost: x\r\n\r\n")
//	            local out, stalls = {}, 0
//	            for _, ph in ipairs(case.phases) do
//	                local it, err = sock:receiveuntil(ph.pat, {inclusive = ph.incl})
//	                local n, k = 0, 0
//	                while true do
//	                    if ph.calls >= 0 and n >= ph.calls then break end
//	                    if n >= 300 then break end
//	                    k = k % #ph.sizes + 1
//	                    local size = ph.sizes[k]
//	                    local res, cnt
//	                    if size == 0 then res, cnt = pack(it()) else res, cnt = pack(it(size)) end
//	                    n = n + 1
//	                    out[#out + 1] = res
//	                    if res[2] == "timeout" then
//	                        stalls = stalls + 1
//	                        ngx.shared.ut:set(key .. ":" .. stalls, true)
//	                        ngx.sleep(0.06)
//	                    end
//	                    if ph.calls < 0 and cnt == 2 then break end
//	                end
//	            end
//	            sock:close()
//	            ngx.say(cjson.encode({case = ci, results = out}))
//	        end
//	    }
//	}
//
// The peer (/src) is the server's own raw request socket, so the reader sees exactly the bytes
// of input. A stall makes the peer wait until the reader's call has timed out (100+ ms) before
// it sends the rest. MODE chose how the bytes went out: "one" (everything between two stalls in
// one send), "chunks" (each input string in its own send, 20 ms apart) and "bytes" (one byte per
// send, 3 ms apart). All three modes gave the same transcript for every row: nginx's results do
// not depend on how the bytes arrive, and the tests below feed Until in several chunkings too.

// stall in an input makes the scripted connection fail one read with a timeout (a net.Error
// whose Timeout is true) before it goes on with the next input string.
const stall = "\x00stall\x00"

// untilPhase is one iterator on the connection: sock:receiveuntil(pattern, {inclusive = ...}),
// called calls times with the sizes in turn (0: no size argument).
type untilPhase struct {
	pattern   string
	inclusive bool
	sizes     []int
	calls     int
}

// untilCase is a connection that sends input and then closes, read by its phases in order.
// want is the transcript: each call's Lua results (strings quoted, nil as nil), " | " between
// calls.
type untilCase struct {
	input  []string
	phases []untilPhase
	want   string
}

var untilCases = []untilCase{
	{
		input:  []string{"--abc--ab--abcd--aab--abc-a-b-c--abc--end"},
		phases: []untilPhase{{pattern: "--abc--", calls: 4}},
		want:   `"" | "ab--abcd--aab--abc-a-b-c" | nil "closed" "end" | nil "closed"`,
	},
	{
		input:  []string{"--abc--ab--abcd--aab--abc-a-b-c--abc--end"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, calls: 4}},
		want:   `"--abc--" | "ab--abcd--aab--abc-a-b-c--abc--" | nil "closed" "end" | nil "closed"`,
	},
	{
		input:  []string{"--abc--ab--abcd--aab--abc-a-b-c--abc--end"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{1}, calls: 22}},
		want:   `"" | nil nil nil | "a" | "b" | "--abc" | "d" | "--a" | "a" | "b" | "--abc-" | "a" | "-" | "b" | "-" | "c" | "" | nil nil nil | "e" | "n" | "d" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"--abc--ab--abcd--aab--abc-a-b-c--abc--end"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{2}, calls: 14}},
		want:   `"" | nil nil nil | "ab" | "--abc" | "d--a" | "ab" | "--abc-" | "a-" | "b-" | "c" | nil nil nil | "en" | nil "closed" "d" | nil "closed"`,
	},
	{
		input:  []string{"--abc--ab--abcd--aab--abc-a-b-c--abc--end"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{2}, calls: 14}},
		want:   `"--abc--" | nil nil nil | "ab" | "--abc" | "d--a" | "ab" | "--abc-" | "a-" | "b-" | "c--abc--" | nil nil nil | "en" | nil "closed" "d" | nil "closed"`,
	},
	{
		input:  []string{"--abc--ab--abcd--aab--abc-a-b-c--abc--end"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{3}, calls: 11}},
		want:   `"" | nil nil nil | "ab--abc" | "d--a" | "ab--abc-" | "a-b" | "-c" | nil nil nil | "end" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"--abc--ab--abcd--aab--abc-a-b-c--abc--end"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{100}, calls: 6}},
		want:   `"" | nil nil nil | "ab--abcd--aab--abc-a-b-c" | nil nil nil | nil "closed" "end" | nil "closed"`,
	},
	{
		input:  []string{"--abc--ab--abcd--aab--abc-a-b-c--abc--end"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{2, 0, 1, 0, 3}, calls: 7}},
		want:   `"" | nil nil nil | "a" | "b--abcd--aab--abc-a-b-c" | "end" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"--abc--ab--abcd--aab--abc-a-b-c--abc--end"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 7}},
		want:   `"--abc--" | nil nil nil | "a" | "b--abcd--aab--abc-a-b-c--abc--" | "end" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"--abc--ab--abcd--aab--abc-a-b-c--abc--end"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{0, 1}, calls: 6}},
		want:   `"" | "a" | "b--abcd--aab--abc-a-b-c" | "e" | nil "closed" "nd" | nil "closed"`,
	},
	{
		input:  []string{"---abc--x--abc---abc--y-"},
		phases: []untilPhase{{pattern: "--abc--", calls: 4}},
		want:   `"-" | "x" | nil "closed" "-abc--y" | nil "closed"`,
	},
	{
		input:  []string{"---abc--x--abc---abc--y-"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, calls: 4}},
		want:   `"---abc--" | "x--abc--" | nil "closed" "-abc--y" | nil "closed"`,
	},
	{
		input:  []string{"---abc--x--abc---abc--y-"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{1}, calls: 14}},
		want:   `"-" | "" | nil nil nil | "x" | "" | nil nil nil | "-" | "a" | "b" | "c" | "--" | "y" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"---abc--x--abc---abc--y-"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{2}, calls: 9}},
		want:   `"-" | nil nil nil | "x" | nil nil nil | "-a" | "bc" | "--" | nil "closed" "y" | nil "closed"`,
	},
	{
		input:  []string{"---abc--x--abc---abc--y-"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{2}, calls: 9}},
		want:   `"---abc--" | nil nil nil | "x--abc--" | nil nil nil | "-a" | "bc" | "--" | nil "closed" "y" | nil "closed"`,
	},
	{
		input:  []string{"---abc--x--abc---abc--y-"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{3}, calls: 8}},
		want:   `"-" | nil nil nil | "x" | nil nil nil | "-ab" | "c--" | nil "closed" "y" | nil "closed"`,
	},
	{
		input:  []string{"---abc--x--abc---abc--y-"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{100}, calls: 6}},
		want:   `"-" | nil nil nil | "x" | nil nil nil | nil "closed" "-abc--y" | nil "closed"`,
	},
	{
		input:  []string{"---abc--x--abc---abc--y-"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{2, 0, 1, 0, 3}, calls: 8}},
		want:   `"-" | nil nil nil | "x" | "" | "-ab" | "c--" | nil "closed" "y" | nil "closed"`,
	},
	{
		input:  []string{"---abc--x--abc---abc--y-"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 8}},
		want:   `"---abc--" | nil nil nil | "x" | "--abc--" | "-ab" | "c--" | nil "closed" "y" | nil "closed"`,
	},
	{
		input:  []string{"---abc--x--abc---abc--y-"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{0, 1}, calls: 6}},
		want:   `"-" | "x" | "" | "-" | nil "closed" "abc--y" | nil "closed"`,
	},
	{
		input:  []string{"xx--ab"},
		phases: []untilPhase{{pattern: "--abc--", calls: 2}},
		want:   `nil "closed" "xx" | nil "closed"`,
	},
	{
		input:  []string{"xx--ab"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, calls: 2}},
		want:   `nil "closed" "xx" | nil "closed"`,
	},
	{
		input:  []string{"xx--ab"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{1}, calls: 4}},
		want:   `"x" | "x" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xx--ab"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{2}, calls: 3}},
		want:   `"xx" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xx--ab"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{2}, calls: 3}},
		want:   `"xx" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xx--ab"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{3}, calls: 2}},
		want:   `nil "closed" "xx" | nil "closed"`,
	},
	{
		input:  []string{"xx--ab"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{100}, calls: 2}},
		want:   `nil "closed" "xx" | nil "closed"`,
	},
	{
		input:  []string{"xx--ab"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{2, 0, 1, 0, 3}, calls: 3}},
		want:   `"xx" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xx--ab"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 3}},
		want:   `"xx" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xx--ab"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{0, 1}, calls: 2}},
		want:   `nil "closed" "xx" | nil "closed"`,
	},
	{
		input:  []string{"aaab"},
		phases: []untilPhase{{pattern: "aab", calls: 3}},
		want:   `"a" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, calls: 3}},
		want:   `"aaab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{1}, calls: 5}},
		want:   `"a" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{2}, calls: 4}},
		want:   `"a" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{2}, calls: 4}},
		want:   `"aaab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{3}, calls: 4}},
		want:   `"a" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{100}, calls: 4}},
		want:   `"a" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{2, 0, 1, 0, 3}, calls: 4}},
		want:   `"a" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 4}},
		want:   `"aaab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{0, 1}, calls: 3}},
		want:   `"a" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaaaabyaabaabaa"},
		phases: []untilPhase{{pattern: "aab", calls: 5}},
		want:   `"xaa" | "y" | "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaaaabyaabaabaa"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, calls: 5}},
		want:   `"xaaaab" | "yaab" | "aab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaaaabyaabaabaa"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{1}, calls: 12}},
		want:   `"x" | "a" | "a" | "" | nil nil nil | "y" | "" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaaaabyaabaabaa"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{2}, calls: 9}},
		want:   `"xa" | "a" | nil nil nil | "y" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaaaabyaabaabaa"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{2}, calls: 9}},
		want:   `"xa" | "aaab" | nil nil nil | "yaab" | nil nil nil | "aab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaaaabyaabaabaa"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{3}, calls: 9}},
		want:   `"xaa" | "" | nil nil nil | "y" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaaaabyaabaabaa"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{100}, calls: 8}},
		want:   `"xaa" | nil nil nil | "y" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaaaabyaabaabaa"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{2, 0, 1, 0, 3}, calls: 8}},
		want:   `"xa" | "a" | "y" | "" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaaaabyaabaabaa"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 8}},
		want:   `"xa" | "aaab" | "y" | "aab" | "aab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaaaabyaabaabaa"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{0, 1}, calls: 7}},
		want:   `"xaa" | "y" | "" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaab"},
		phases: []untilPhase{{pattern: "aab", calls: 5}},
		want:   `"" | "" | "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, calls: 5}},
		want:   `"aab" | "aab" | "aab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{1}, calls: 8}},
		want:   `"" | nil nil nil | "" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{2}, calls: 8}},
		want:   `"" | nil nil nil | "" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{2}, calls: 8}},
		want:   `"aab" | nil nil nil | "aab" | nil nil nil | "aab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{3}, calls: 8}},
		want:   `"" | nil nil nil | "" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{100}, calls: 8}},
		want:   `"" | nil nil nil | "" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{2, 0, 1, 0, 3}, calls: 8}},
		want:   `"" | nil nil nil | "" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 8}},
		want:   `"aab" | nil nil nil | "aab" | nil nil nil | "aab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{0, 1}, calls: 7}},
		want:   `"" | "" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"baaaaa"},
		phases: []untilPhase{{pattern: "aab", calls: 2}},
		want:   `nil "closed" "baaa" | nil "closed"`,
	},
	{
		input:  []string{"baaaaa"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, calls: 2}},
		want:   `nil "closed" "baaa" | nil "closed"`,
	},
	{
		input:  []string{"baaaaa"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{1}, calls: 6}},
		want:   `"b" | "a" | "a" | "a" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"baaaaa"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{2}, calls: 4}},
		want:   `"ba" | "aa" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"baaaaa"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{2}, calls: 4}},
		want:   `"ba" | "aa" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"baaaaa"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{3}, calls: 3}},
		want:   `"baa" | nil "closed" "a" | nil "closed"`,
	},
	{
		input:  []string{"baaaaa"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{100}, calls: 2}},
		want:   `nil "closed" "baaa" | nil "closed"`,
	},
	{
		input:  []string{"baaaaa"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{2, 0, 1, 0, 3}, calls: 3}},
		want:   `"ba" | nil "closed" "aa" | nil "closed"`,
	},
	{
		input:  []string{"baaaaa"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 3}},
		want:   `"ba" | nil "closed" "aa" | nil "closed"`,
	},
	{
		input:  []string{"baaaaa"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{0, 1}, calls: 2}},
		want:   `nil "closed" "baaa" | nil "closed"`,
	},
	{
		input:  []string{"abababab"},
		phases: []untilPhase{{pattern: "abab", calls: 4}},
		want:   `"" | "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abababab"},
		phases: []untilPhase{{pattern: "abab", inclusive: true, calls: 4}},
		want:   `"abab" | "abab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abababab"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{1}, calls: 6}},
		want:   `"" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abababab"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{2}, calls: 6}},
		want:   `"" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abababab"},
		phases: []untilPhase{{pattern: "abab", inclusive: true, sizes: []int{2}, calls: 6}},
		want:   `"abab" | nil nil nil | "abab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abababab"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{3}, calls: 6}},
		want:   `"" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abababab"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{100}, calls: 6}},
		want:   `"" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abababab"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abababab"},
		phases: []untilPhase{{pattern: "abab", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"abab" | nil nil nil | "abab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abababab"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{0, 1}, calls: 5}},
		want:   `"" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaababxababa"},
		phases: []untilPhase{{pattern: "abab", calls: 4}},
		want:   `"aba" | "x" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaababxababa"},
		phases: []untilPhase{{pattern: "abab", inclusive: true, calls: 4}},
		want:   `"abaabab" | "xabab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaababxababa"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{1}, calls: 8}},
		want:   `"aba" | "" | nil nil nil | "x" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaababxababa"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{2}, calls: 7}},
		want:   `"aba" | "" | nil nil nil | "x" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaababxababa"},
		phases: []untilPhase{{pattern: "abab", inclusive: true, sizes: []int{2}, calls: 7}},
		want:   `"aba" | "abab" | nil nil nil | "xabab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaababxababa"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{3}, calls: 7}},
		want:   `"aba" | "" | nil nil nil | "x" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaababxababa"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{100}, calls: 6}},
		want:   `"aba" | nil nil nil | "x" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaababxababa"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"aba" | "" | "x" | "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaababxababa"},
		phases: []untilPhase{{pattern: "abab", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"aba" | "abab" | "x" | "abab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaababxababa"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{0, 1}, calls: 5}},
		want:   `"aba" | "x" | "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xabababx"},
		phases: []untilPhase{{pattern: "abab", calls: 3}},
		want:   `"x" | nil "closed" "abx" | nil "closed"`,
	},
	{
		input:  []string{"xabababx"},
		phases: []untilPhase{{pattern: "abab", inclusive: true, calls: 3}},
		want:   `"xabab" | nil "closed" "abx" | nil "closed"`,
	},
	{
		input:  []string{"xabababx"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{1}, calls: 7}},
		want:   `"x" | "" | nil nil nil | "ab" | "x" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xabababx"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{2}, calls: 5}},
		want:   `"x" | nil nil nil | "ab" | nil "closed" "x" | nil "closed"`,
	},
	{
		input:  []string{"xabababx"},
		phases: []untilPhase{{pattern: "abab", inclusive: true, sizes: []int{2}, calls: 5}},
		want:   `"xabab" | nil nil nil | "ab" | nil "closed" "x" | nil "closed"`,
	},
	{
		input:  []string{"xabababx"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{3}, calls: 5}},
		want:   `"x" | nil nil nil | "abx" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xabababx"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{100}, calls: 4}},
		want:   `"x" | nil nil nil | nil "closed" "abx" | nil "closed"`,
	},
	{
		input:  []string{"xabababx"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{2, 0, 1, 0, 3}, calls: 5}},
		want:   `"x" | nil nil nil | "ab" | nil "closed" "x" | nil "closed"`,
	},
	{
		input:  []string{"xabababx"},
		phases: []untilPhase{{pattern: "abab", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 5}},
		want:   `"xabab" | nil nil nil | "ab" | nil "closed" "x" | nil "closed"`,
	},
	{
		input:  []string{"xabababx"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{0, 1}, calls: 4}},
		want:   `"x" | "ab" | nil "closed" "x" | nil "closed"`,
	},
	{
		input:  []string{"aaaa"},
		phases: []untilPhase{{pattern: "aaa", calls: 3}},
		want:   `"" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaaa"},
		phases: []untilPhase{{pattern: "aaa", inclusive: true, calls: 3}},
		want:   `"aaa" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaaa"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{1}, calls: 4}},
		want:   `"" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaaa"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{2}, calls: 4}},
		want:   `"" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaaa"},
		phases: []untilPhase{{pattern: "aaa", inclusive: true, sizes: []int{2}, calls: 4}},
		want:   `"aaa" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaaa"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{3}, calls: 4}},
		want:   `"" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaaa"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{100}, calls: 4}},
		want:   `"" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaaa"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{2, 0, 1, 0, 3}, calls: 4}},
		want:   `"" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaaa"},
		phases: []untilPhase{{pattern: "aaa", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 4}},
		want:   `"aaa" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaaa"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{0, 1}, calls: 3}},
		want:   `"" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaXaaaaaaaYaa"},
		phases: []untilPhase{{pattern: "aaa", calls: 4}},
		want:   `"aaX" | "" | nil "closed" "aY" | nil "closed"`,
	},
	{
		input:  []string{"aaXaaaaaaaYaa"},
		phases: []untilPhase{{pattern: "aaa", inclusive: true, calls: 4}},
		want:   `"aaXaaa" | "aaa" | nil "closed" "aY" | nil "closed"`,
	},
	{
		input:  []string{"aaXaaaaaaaYaa"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{1}, calls: 10}},
		want:   `"aa" | "X" | "" | nil nil nil | "" | nil nil nil | "a" | "Y" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaXaaaaaaaYaa"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{2}, calls: 8}},
		want:   `"aa" | "X" | nil nil nil | "" | nil nil nil | "aY" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaXaaaaaaaYaa"},
		phases: []untilPhase{{pattern: "aaa", inclusive: true, sizes: []int{2}, calls: 8}},
		want:   `"aa" | "Xaaa" | nil nil nil | "aaa" | nil nil nil | "aY" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaXaaaaaaaYaa"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{3}, calls: 7}},
		want:   `"aaX" | "" | nil nil nil | "" | nil nil nil | nil "closed" "aY" | nil "closed"`,
	},
	{
		input:  []string{"aaXaaaaaaaYaa"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{100}, calls: 6}},
		want:   `"aaX" | nil nil nil | "" | nil nil nil | nil "closed" "aY" | nil "closed"`,
	},
	{
		input:  []string{"aaXaaaaaaaYaa"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"aa" | "X" | "" | nil nil nil | nil "closed" "aY" | nil "closed"`,
	},
	{
		input:  []string{"aaXaaaaaaaYaa"},
		phases: []untilPhase{{pattern: "aaa", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"aa" | "Xaaa" | "aaa" | nil nil nil | nil "closed" "aY" | nil "closed"`,
	},
	{
		input:  []string{"aaXaaaaaaaYaa"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{0, 1}, calls: 6}},
		want:   `"aaX" | "" | nil nil nil | "a" | nil "closed" "Y" | nil "closed"`,
	},
	{
		input:  []string{"aabaaaaa"},
		phases: []untilPhase{{pattern: "aaa", calls: 3}},
		want:   `"aab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaaaaa"},
		phases: []untilPhase{{pattern: "aaa", inclusive: true, calls: 3}},
		want:   `"aabaaa" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaaaaa"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{1}, calls: 6}},
		want:   `"aa" | "b" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaaaaa"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{2}, calls: 5}},
		want:   `"aa" | "b" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaaaaa"},
		phases: []untilPhase{{pattern: "aaa", inclusive: true, sizes: []int{2}, calls: 5}},
		want:   `"aa" | "baaa" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaaaaa"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{3}, calls: 5}},
		want:   `"aab" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaaaaa"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{100}, calls: 4}},
		want:   `"aab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaaaaa"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{2, 0, 1, 0, 3}, calls: 4}},
		want:   `"aa" | "b" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaaaaa"},
		phases: []untilPhase{{pattern: "aaa", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 4}},
		want:   `"aa" | "baaa" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaaaaa"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{0, 1}, calls: 3}},
		want:   `"aab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"preamble\r\n--boundary\r\nbody\r\n--boun\r\n\r\n--boundary--\r\n"},
		phases: []untilPhase{{pattern: "\r\n--boundary", calls: 4}},
		want:   `"preamble" | "\r\nbody\r\n--boun\r\n" | nil "closed" "--" | nil "closed"`,
	},
	{
		input:  []string{"preamble\r\n--boundary\r\nbody\r\n--boun\r\n\r\n--boundary--\r\n"},
		phases: []untilPhase{{pattern: "\r\n--boundary", inclusive: true, calls: 4}},
		want:   `"preamble\r\n--boundary" | "\r\nbody\r\n--boun\r\n\r\n--boundary" | nil "closed" "--" | nil "closed"`,
	},
	{
		input:  []string{"preamble\r\n--boundary\r\nbody\r\n--boun\r\n\r\n--boundary--\r\n"},
		phases: []untilPhase{{pattern: "\r\n--boundary", sizes: []int{1}, calls: 23}},
		want:   `"p" | "r" | "e" | "a" | "m" | "b" | "l" | "e" | "" | nil nil nil | "\r\n" | "b" | "o" | "d" | "y" | "\r\n--boun" | "\r\n" | "" | nil nil nil | "-" | "-" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"preamble\r\n--boundary\r\nbody\r\n--boun\r\n\r\n--boundary--\r\n"},
		phases: []untilPhase{{pattern: "\r\n--boundary", sizes: []int{2}, calls: 16}},
		want:   `"pr" | "ea" | "mb" | "le" | "" | nil nil nil | "\r\n" | "bo" | "dy" | "\r\n--boun" | "\r\n" | "" | nil nil nil | "--" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"preamble\r\n--boundary\r\nbody\r\n--boun\r\n\r\n--boundary--\r\n"},
		phases: []untilPhase{{pattern: "\r\n--boundary", inclusive: true, sizes: []int{2}, calls: 16}},
		want:   `"pr" | "ea" | "mb" | "le" | "\r\n--boundary" | nil nil nil | "\r\n" | "bo" | "dy" | "\r\n--boun" | "\r\n" | "\r\n--boundary" | nil nil nil | "--" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"preamble\r\n--boundary\r\nbody\r\n--boun\r\n\r\n--boundary--\r\n"},
		phases: []untilPhase{{pattern: "\r\n--boundary", sizes: []int{3}, calls: 11}},
		want:   `"pre" | "amb" | "le" | nil nil nil | "\r\nb" | "ody" | "\r\n--boun" | "\r\n" | nil nil nil | nil "closed" "--" | nil "closed"`,
	},
	{
		input:  []string{"preamble\r\n--boundary\r\nbody\r\n--boun\r\n\r\n--boundary--\r\n"},
		phases: []untilPhase{{pattern: "\r\n--boundary", sizes: []int{100}, calls: 6}},
		want:   `"preamble" | nil nil nil | "\r\nbody\r\n--boun\r\n" | nil nil nil | nil "closed" "--" | nil "closed"`,
	},
	{
		input:  []string{"preamble\r\n--boundary\r\nbody\r\n--boun\r\n\r\n--boundary--\r\n"},
		phases: []untilPhase{{pattern: "\r\n--boundary", sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"pr" | "eamble" | "\r\n" | "body\r\n--boun\r\n" | nil "closed" "--" | nil "closed"`,
	},
	{
		input:  []string{"preamble\r\n--boundary\r\nbody\r\n--boun\r\n\r\n--boundary--\r\n"},
		phases: []untilPhase{{pattern: "\r\n--boundary", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"pr" | "eamble\r\n--boundary" | "\r\n" | "body\r\n--boun\r\n\r\n--boundary" | nil "closed" "--" | nil "closed"`,
	},
	{
		input:  []string{"preamble\r\n--boundary\r\nbody\r\n--boun\r\n\r\n--boundary--\r\n"},
		phases: []untilPhase{{pattern: "\r\n--boundary", sizes: []int{0, 1}, calls: 6}},
		want:   `"preamble" | "\r\n" | "body\r\n--boun\r\n" | "-" | nil "closed" "-" | nil "closed"`,
	},
	{
		input:  []string{"axbxxc"},
		phases: []untilPhase{{pattern: "x", calls: 5}},
		want:   `"a" | "b" | "" | nil "closed" "c" | nil "closed"`,
	},
	{
		input:  []string{"axbxxc"},
		phases: []untilPhase{{pattern: "x", inclusive: true, calls: 5}},
		want:   `"ax" | "bx" | "x" | nil "closed" "c" | nil "closed"`,
	},
	{
		input:  []string{"axbxxc"},
		phases: []untilPhase{{pattern: "x", sizes: []int{1}, calls: 11}},
		want:   `"a" | "" | nil nil nil | "b" | "" | nil nil nil | "" | nil nil nil | "c" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"axbxxc"},
		phases: []untilPhase{{pattern: "x", sizes: []int{2}, calls: 8}},
		want:   `"a" | nil nil nil | "b" | nil nil nil | "" | nil nil nil | nil "closed" "c" | nil "closed"`,
	},
	{
		input:  []string{"axbxxc"},
		phases: []untilPhase{{pattern: "x", inclusive: true, sizes: []int{2}, calls: 8}},
		want:   `"ax" | nil nil nil | "bx" | nil nil nil | "x" | nil nil nil | nil "closed" "c" | nil "closed"`,
	},
	{
		input:  []string{"axbxxc"},
		phases: []untilPhase{{pattern: "x", sizes: []int{3}, calls: 8}},
		want:   `"a" | nil nil nil | "b" | nil nil nil | "" | nil nil nil | nil "closed" "c" | nil "closed"`,
	},
	{
		input:  []string{"axbxxc"},
		phases: []untilPhase{{pattern: "x", sizes: []int{100}, calls: 8}},
		want:   `"a" | nil nil nil | "b" | nil nil nil | "" | nil nil nil | nil "closed" "c" | nil "closed"`,
	},
	{
		input:  []string{"axbxxc"},
		phases: []untilPhase{{pattern: "x", sizes: []int{2, 0, 1, 0, 3}, calls: 8}},
		want:   `"a" | nil nil nil | "b" | "" | "" | nil nil nil | nil "closed" "c" | nil "closed"`,
	},
	{
		input:  []string{"axbxxc"},
		phases: []untilPhase{{pattern: "x", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 8}},
		want:   `"ax" | nil nil nil | "b" | "x" | "x" | nil nil nil | nil "closed" "c" | nil "closed"`,
	},
	{
		input:  []string{"axbxxc"},
		phases: []untilPhase{{pattern: "x", sizes: []int{0, 1}, calls: 8}},
		want:   `"a" | "b" | "" | "" | nil nil nil | "c" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xxx"},
		phases: []untilPhase{{pattern: "x", calls: 5}},
		want:   `"" | "" | "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xxx"},
		phases: []untilPhase{{pattern: "x", inclusive: true, calls: 5}},
		want:   `"x" | "x" | "x" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xxx"},
		phases: []untilPhase{{pattern: "x", sizes: []int{1}, calls: 8}},
		want:   `"" | nil nil nil | "" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xxx"},
		phases: []untilPhase{{pattern: "x", sizes: []int{2}, calls: 8}},
		want:   `"" | nil nil nil | "" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xxx"},
		phases: []untilPhase{{pattern: "x", inclusive: true, sizes: []int{2}, calls: 8}},
		want:   `"x" | nil nil nil | "x" | nil nil nil | "x" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xxx"},
		phases: []untilPhase{{pattern: "x", sizes: []int{3}, calls: 8}},
		want:   `"" | nil nil nil | "" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xxx"},
		phases: []untilPhase{{pattern: "x", sizes: []int{100}, calls: 8}},
		want:   `"" | nil nil nil | "" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xxx"},
		phases: []untilPhase{{pattern: "x", sizes: []int{2, 0, 1, 0, 3}, calls: 8}},
		want:   `"" | nil nil nil | "" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xxx"},
		phases: []untilPhase{{pattern: "x", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 8}},
		want:   `"x" | nil nil nil | "x" | nil nil nil | "x" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xxx"},
		phases: []untilPhase{{pattern: "x", sizes: []int{0, 1}, calls: 7}},
		want:   `"" | "" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaaba"},
		phases: []untilPhase{{pattern: "ab", calls: 4}},
		want:   `"a" | "a" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaaba"},
		phases: []untilPhase{{pattern: "ab", inclusive: true, calls: 4}},
		want:   `"aab" | "aab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaaba"},
		phases: []untilPhase{{pattern: "ab", sizes: []int{1}, calls: 8}},
		want:   `"a" | "" | nil nil nil | "a" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaaba"},
		phases: []untilPhase{{pattern: "ab", sizes: []int{2}, calls: 6}},
		want:   `"a" | nil nil nil | "a" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaaba"},
		phases: []untilPhase{{pattern: "ab", inclusive: true, sizes: []int{2}, calls: 6}},
		want:   `"aab" | nil nil nil | "aab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaaba"},
		phases: []untilPhase{{pattern: "ab", sizes: []int{3}, calls: 6}},
		want:   `"a" | nil nil nil | "a" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaaba"},
		phases: []untilPhase{{pattern: "ab", sizes: []int{100}, calls: 6}},
		want:   `"a" | nil nil nil | "a" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaaba"},
		phases: []untilPhase{{pattern: "ab", sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"a" | nil nil nil | "a" | "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaaba"},
		phases: []untilPhase{{pattern: "ab", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"aab" | nil nil nil | "a" | "ab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaaba"},
		phases: []untilPhase{{pattern: "ab", sizes: []int{0, 1}, calls: 5}},
		want:   `"a" | "a" | "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaaXaa"},
		phases: []untilPhase{{pattern: "aa", calls: 4}},
		want:   `"" | "aX" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaaXaa"},
		phases: []untilPhase{{pattern: "aa", inclusive: true, calls: 4}},
		want:   `"aa" | "aXaa" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaaXaa"},
		phases: []untilPhase{{pattern: "aa", sizes: []int{1}, calls: 8}},
		want:   `"" | nil nil nil | "a" | "X" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaaXaa"},
		phases: []untilPhase{{pattern: "aa", sizes: []int{2}, calls: 7}},
		want:   `"" | nil nil nil | "aX" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaaXaa"},
		phases: []untilPhase{{pattern: "aa", inclusive: true, sizes: []int{2}, calls: 7}},
		want:   `"aa" | nil nil nil | "aX" | "aa" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaaXaa"},
		phases: []untilPhase{{pattern: "aa", sizes: []int{3}, calls: 6}},
		want:   `"" | nil nil nil | "aX" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaaXaa"},
		phases: []untilPhase{{pattern: "aa", sizes: []int{100}, calls: 6}},
		want:   `"" | nil nil nil | "aX" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaaXaa"},
		phases: []untilPhase{{pattern: "aa", sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"" | nil nil nil | "a" | "X" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaaXaa"},
		phases: []untilPhase{{pattern: "aa", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"aa" | nil nil nil | "a" | "Xaa" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aaaXaa"},
		phases: []untilPhase{{pattern: "aa", sizes: []int{0, 1}, calls: 5}},
		want:   `"" | "a" | "X" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abcabcabdabcababcabdx"},
		phases: []untilPhase{{pattern: "abcabd", calls: 4}},
		want:   `"abc" | "abcab" | nil "closed" "x" | nil "closed"`,
	},
	{
		input:  []string{"abcabcabdabcababcabdx"},
		phases: []untilPhase{{pattern: "abcabd", inclusive: true, calls: 4}},
		want:   `"abcabcabd" | "abcababcabd" | nil "closed" "x" | nil "closed"`,
	},
	{
		input:  []string{"abcabcabdabcababcabdx"},
		phases: []untilPhase{{pattern: "abcabd", sizes: []int{1}, calls: 9}},
		want:   `"abc" | "" | nil nil nil | "abcab" | "" | nil nil nil | "x" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abcabcabdabcababcabdx"},
		phases: []untilPhase{{pattern: "abcabd", sizes: []int{2}, calls: 8}},
		want:   `"abc" | "" | nil nil nil | "abcab" | "" | nil nil nil | nil "closed" "x" | nil "closed"`,
	},
	{
		input:  []string{"abcabcabdabcababcabdx"},
		phases: []untilPhase{{pattern: "abcabd", inclusive: true, sizes: []int{2}, calls: 8}},
		want:   `"abc" | "abcabd" | nil nil nil | "abcab" | "abcabd" | nil nil nil | nil "closed" "x" | nil "closed"`,
	},
	{
		input:  []string{"abcabcabdabcababcabdx"},
		phases: []untilPhase{{pattern: "abcabd", sizes: []int{3}, calls: 8}},
		want:   `"abc" | "" | nil nil nil | "abcab" | "" | nil nil nil | nil "closed" "x" | nil "closed"`,
	},
	{
		input:  []string{"abcabcabdabcababcabdx"},
		phases: []untilPhase{{pattern: "abcabd", sizes: []int{100}, calls: 6}},
		want:   `"abc" | nil nil nil | "abcab" | nil nil nil | nil "closed" "x" | nil "closed"`,
	},
	{
		input:  []string{"abcabcabdabcababcabdx"},
		phases: []untilPhase{{pattern: "abcabd", sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"abc" | "" | "abcab" | "" | nil "closed" "x" | nil "closed"`,
	},
	{
		input:  []string{"abcabcabdabcababcabdx"},
		phases: []untilPhase{{pattern: "abcabd", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"abc" | "abcabd" | "abcab" | "abcabd" | nil "closed" "x" | nil "closed"`,
	},
	{
		input:  []string{"abcabcabdabcababcabdx"},
		phases: []untilPhase{{pattern: "abcabd", sizes: []int{0, 1}, calls: 6}},
		want:   `"abc" | "abcab" | "" | "x" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abababcababababcab"},
		phases: []untilPhase{{pattern: "ababc", calls: 4}},
		want:   `"ab" | "abab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abababcababababcab"},
		phases: []untilPhase{{pattern: "ababc", inclusive: true, calls: 4}},
		want:   `"abababc" | "ababababc" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abababcababababcab"},
		phases: []untilPhase{{pattern: "ababc", sizes: []int{1}, calls: 9}},
		want:   `"ab" | "" | nil nil nil | "ab" | "ab" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abababcababababcab"},
		phases: []untilPhase{{pattern: "ababc", sizes: []int{2}, calls: 9}},
		want:   `"ab" | "" | nil nil nil | "ab" | "ab" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abababcababababcab"},
		phases: []untilPhase{{pattern: "ababc", inclusive: true, sizes: []int{2}, calls: 9}},
		want:   `"ab" | "ababc" | nil nil nil | "ab" | "ab" | "ababc" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abababcababababcab"},
		phases: []untilPhase{{pattern: "ababc", sizes: []int{3}, calls: 7}},
		want:   `"ab" | nil nil nil | "abab" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abababcababababcab"},
		phases: []untilPhase{{pattern: "ababc", sizes: []int{100}, calls: 6}},
		want:   `"ab" | nil nil nil | "abab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abababcababababcab"},
		phases: []untilPhase{{pattern: "ababc", sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"ab" | "" | "ab" | "ab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abababcababababcab"},
		phases: []untilPhase{{pattern: "ababc", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"ab" | "ababc" | "ab" | "abababc" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abababcababababcab"},
		phases: []untilPhase{{pattern: "ababc", sizes: []int{0, 1}, calls: 5}},
		want:   `"ab" | "ab" | "ab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaaaabaa"},
		phases: []untilPhase{{pattern: "aabaa", calls: 4}},
		want:   `"" | "baa" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaaaabaa"},
		phases: []untilPhase{{pattern: "aabaa", inclusive: true, calls: 4}},
		want:   `"aabaa" | "baaaabaa" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaaaabaa"},
		phases: []untilPhase{{pattern: "aabaa", sizes: []int{1}, calls: 9}},
		want:   `"" | nil nil nil | "b" | "a" | "a" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaaaabaa"},
		phases: []untilPhase{{pattern: "aabaa", sizes: []int{2}, calls: 7}},
		want:   `"" | nil nil nil | "ba" | "a" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaaaabaa"},
		phases: []untilPhase{{pattern: "aabaa", inclusive: true, sizes: []int{2}, calls: 7}},
		want:   `"aabaa" | nil nil nil | "ba" | "aaabaa" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaaaabaa"},
		phases: []untilPhase{{pattern: "aabaa", sizes: []int{3}, calls: 7}},
		want:   `"" | nil nil nil | "baa" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaaaabaa"},
		phases: []untilPhase{{pattern: "aabaa", sizes: []int{100}, calls: 6}},
		want:   `"" | nil nil nil | "baa" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaaaabaa"},
		phases: []untilPhase{{pattern: "aabaa", sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"" | nil nil nil | "b" | "aa" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaaaabaa"},
		phases: []untilPhase{{pattern: "aabaa", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"aabaa" | nil nil nil | "b" | "aaaabaa" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaabaaaabaa"},
		phases: []untilPhase{{pattern: "aabaa", sizes: []int{0, 1}, calls: 5}},
		want:   `"" | "b" | "aa" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaabaabaababaab"},
		phases: []untilPhase{{pattern: "abaab", calls: 5}},
		want:   `"" | "a" | "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaabaabaababaab"},
		phases: []untilPhase{{pattern: "abaab", inclusive: true, calls: 5}},
		want:   `"abaab" | "aabaab" | "abaab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaabaabaababaab"},
		phases: []untilPhase{{pattern: "abaab", sizes: []int{1}, calls: 9}},
		want:   `"" | nil nil nil | "a" | "" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaabaabaababaab"},
		phases: []untilPhase{{pattern: "abaab", sizes: []int{2}, calls: 8}},
		want:   `"" | nil nil nil | "a" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaabaabaababaab"},
		phases: []untilPhase{{pattern: "abaab", inclusive: true, sizes: []int{2}, calls: 8}},
		want:   `"abaab" | nil nil nil | "aabaab" | nil nil nil | "abaab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaabaabaababaab"},
		phases: []untilPhase{{pattern: "abaab", sizes: []int{3}, calls: 8}},
		want:   `"" | nil nil nil | "a" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaabaabaababaab"},
		phases: []untilPhase{{pattern: "abaab", sizes: []int{100}, calls: 8}},
		want:   `"" | nil nil nil | "a" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaabaabaababaab"},
		phases: []untilPhase{{pattern: "abaab", sizes: []int{2, 0, 1, 0, 3}, calls: 8}},
		want:   `"" | nil nil nil | "a" | "" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaabaabaababaab"},
		phases: []untilPhase{{pattern: "abaab", inclusive: true, sizes: []int{2, 0, 1, 0, 3}, calls: 8}},
		want:   `"abaab" | nil nil nil | "a" | "abaab" | "abaab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abaabaabaababaab"},
		phases: []untilPhase{{pattern: "abaab", sizes: []int{0, 1}, calls: 7}},
		want:   `"" | "a" | "" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"--abc--"},
		phases: []untilPhase{{pattern: "--abc--", calls: 3}},
		want:   `"" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"--abc----abc--"},
		phases: []untilPhase{{pattern: "--abc--", calls: 4}},
		want:   `"" | "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"--abc--"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, calls: 3}},
		want:   `"--abc--" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"--abc----abc--"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, calls: 4}},
		want:   `"--abc--" | "--abc--" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"--abc--"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{1}, calls: 4}},
		want:   `"" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"--abc----abc--"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{1}, calls: 6}},
		want:   `"" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"--abc--"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{1}, calls: 4}},
		want:   `"--abc--" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"--abc----abc--"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{1}, calls: 6}},
		want:   `"--abc--" | nil nil nil | "--abc--" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"--abc--"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{2}, calls: 4}},
		want:   `"" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"--abc----abc--"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{2}, calls: 6}},
		want:   `"" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"--abc--"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{2}, calls: 4}},
		want:   `"--abc--" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"--abc----abc--"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{2}, calls: 6}},
		want:   `"--abc--" | nil nil nil | "--abc--" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aab"},
		phases: []untilPhase{{pattern: "aab", calls: 3}},
		want:   `"" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaab"},
		phases: []untilPhase{{pattern: "aab", calls: 4}},
		want:   `"" | "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, calls: 3}},
		want:   `"aab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, calls: 4}},
		want:   `"aab" | "aab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{1}, calls: 4}},
		want:   `"" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{1}, calls: 6}},
		want:   `"" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{1}, calls: 4}},
		want:   `"aab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{1}, calls: 6}},
		want:   `"aab" | nil nil nil | "aab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{2}, calls: 4}},
		want:   `"" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{2}, calls: 6}},
		want:   `"" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{2}, calls: 4}},
		want:   `"aab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aabaab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{2}, calls: 6}},
		want:   `"aab" | nil nil nil | "aab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"x"},
		phases: []untilPhase{{pattern: "x", calls: 3}},
		want:   `"" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xx"},
		phases: []untilPhase{{pattern: "x", calls: 4}},
		want:   `"" | "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"x"},
		phases: []untilPhase{{pattern: "x", inclusive: true, calls: 3}},
		want:   `"x" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xx"},
		phases: []untilPhase{{pattern: "x", inclusive: true, calls: 4}},
		want:   `"x" | "x" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"x"},
		phases: []untilPhase{{pattern: "x", sizes: []int{1}, calls: 4}},
		want:   `"" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xx"},
		phases: []untilPhase{{pattern: "x", sizes: []int{1}, calls: 6}},
		want:   `"" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"x"},
		phases: []untilPhase{{pattern: "x", inclusive: true, sizes: []int{1}, calls: 4}},
		want:   `"x" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xx"},
		phases: []untilPhase{{pattern: "x", inclusive: true, sizes: []int{1}, calls: 6}},
		want:   `"x" | nil nil nil | "x" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"x"},
		phases: []untilPhase{{pattern: "x", sizes: []int{2}, calls: 4}},
		want:   `"" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xx"},
		phases: []untilPhase{{pattern: "x", sizes: []int{2}, calls: 6}},
		want:   `"" | nil nil nil | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"x"},
		phases: []untilPhase{{pattern: "x", inclusive: true, sizes: []int{2}, calls: 4}},
		want:   `"x" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xx"},
		phases: []untilPhase{{pattern: "x", inclusive: true, sizes: []int{2}, calls: 6}},
		want:   `"x" | nil nil nil | "x" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{""},
		phases: []untilPhase{{pattern: "abc", calls: 2}},
		want:   `nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{""},
		phases: []untilPhase{{pattern: "abc", sizes: []int{2}, calls: 2}},
		want:   `nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abc--ab", stall, "c--rest"},
		phases: []untilPhase{{pattern: "--abc--", calls: 4}},
		want:   `nil "timeout" "abc" | "" | nil "closed" "rest" | nil "closed"`,
	},
	{
		input:  []string{"abc--ab", stall, "c--rest"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, calls: 4}},
		want:   `nil "timeout" "abc" | "--abc--" | nil "closed" "rest" | nil "closed"`,
	},
	{
		input:  []string{"abc--ab", stall, "c--rest"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{1}, calls: 12}},
		want:   `"a" | "b" | "c" | nil "timeout" "" | "" | nil nil nil | "r" | "e" | "s" | "t" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abc--ab", stall, "c--rest"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{2}, calls: 8}},
		want:   `"ab" | nil "timeout" "c" | "" | nil nil nil | "re" | "st" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abc--ab", stall, "c--rest"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{2}, calls: 8}},
		want:   `"ab" | nil "timeout" "c" | "--abc--" | nil nil nil | "re" | "st" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abc--ab", stall, "c--rest"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{3}, calls: 7}},
		want:   `"abc" | nil "timeout" "" | "" | nil nil nil | "res" | nil "closed" "t" | nil "closed"`,
	},
	{
		input:  []string{"abc--ab", stall, "c--rest"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{100}, calls: 5}},
		want:   `nil "timeout" "abc" | "" | nil nil nil | nil "closed" "rest" | nil "closed"`,
	},
	{
		input:  []string{"abc--ab", stall, "c--rest"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{2, 0, 1, 0, 3}, calls: 7}},
		want:   `"ab" | nil "timeout" "c" | "" | nil nil nil | "res" | nil "closed" "t" | nil "closed"`,
	},
	{
		input:  []string{"abc--ab", stall, "x--abc--y"},
		phases: []untilPhase{{pattern: "--abc--", calls: 4}},
		want:   `nil "timeout" "abc" | "--abx" | nil "closed" "y" | nil "closed"`,
	},
	{
		input:  []string{"abc--ab", stall, "x--abc--y"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, calls: 4}},
		want:   `nil "timeout" "abc" | "--abx--abc--" | nil "closed" "y" | nil "closed"`,
	},
	{
		input:  []string{"abc--ab", stall, "x--abc--y"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{1}, calls: 11}},
		want:   `"a" | "b" | "c" | nil "timeout" "" | "--ab" | "x" | "" | nil nil nil | "y" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abc--ab", stall, "x--abc--y"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{2}, calls: 7}},
		want:   `"ab" | nil "timeout" "c" | "--ab" | "x" | nil nil nil | nil "closed" "y" | nil "closed"`,
	},
	{
		input:  []string{"abc--ab", stall, "x--abc--y"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{2}, calls: 7}},
		want:   `"ab" | nil "timeout" "c" | "--ab" | "x--abc--" | nil nil nil | nil "closed" "y" | nil "closed"`,
	},
	{
		input:  []string{"abc--ab", stall, "x--abc--y"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{3}, calls: 7}},
		want:   `"abc" | nil "timeout" "" | "--ab" | "x" | nil nil nil | nil "closed" "y" | nil "closed"`,
	},
	{
		input:  []string{"abc--ab", stall, "x--abc--y"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{100}, calls: 5}},
		want:   `nil "timeout" "abc" | "--abx" | nil nil nil | nil "closed" "y" | nil "closed"`,
	},
	{
		input:  []string{"abc--ab", stall, "x--abc--y"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"ab" | nil "timeout" "c" | "--ab" | "x" | nil "closed" "y" | nil "closed"`,
	},
	{
		input:  []string{"--", stall, "-abc--", stall, "z"},
		phases: []untilPhase{{pattern: "--abc--", calls: 5}},
		want:   `nil "timeout" "" | "-" | nil "timeout" "" | nil "closed" "z" | nil "closed"`,
	},
	{
		input:  []string{"--", stall, "-abc--", stall, "z"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, calls: 5}},
		want:   `nil "timeout" "" | "---abc--" | nil "timeout" "" | nil "closed" "z" | nil "closed"`,
	},
	{
		input:  []string{"--", stall, "-abc--", stall, "z"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{1}, calls: 8}},
		want:   `nil "timeout" "" | "-" | "" | nil nil nil | nil "timeout" "" | "z" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"--", stall, "-abc--", stall, "z"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{2}, calls: 6}},
		want:   `nil "timeout" "" | "-" | nil nil nil | nil "timeout" "" | nil "closed" "z" | nil "closed"`,
	},
	{
		input:  []string{"--", stall, "-abc--", stall, "z"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{2}, calls: 6}},
		want:   `nil "timeout" "" | "---abc--" | nil nil nil | nil "timeout" "" | nil "closed" "z" | nil "closed"`,
	},
	{
		input:  []string{"--", stall, "-abc--", stall, "z"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{3}, calls: 6}},
		want:   `nil "timeout" "" | "-" | nil nil nil | nil "timeout" "" | nil "closed" "z" | nil "closed"`,
	},
	{
		input:  []string{"--", stall, "-abc--", stall, "z"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{100}, calls: 6}},
		want:   `nil "timeout" "" | "-" | nil nil nil | nil "timeout" "" | nil "closed" "z" | nil "closed"`,
	},
	{
		input:  []string{"--", stall, "-abc--", stall, "z"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{2, 0, 1, 0, 3}, calls: 5}},
		want:   `nil "timeout" "" | "-" | nil "timeout" "" | nil "closed" "z" | nil "closed"`,
	},
	{
		input:  []string{"ab", stall, stall, "c--abc--de"},
		phases: []untilPhase{{pattern: "--abc--", calls: 5}},
		want:   `nil "timeout" "ab" | nil "timeout" "" | "c" | nil "closed" "de" | nil "closed"`,
	},
	{
		input:  []string{"ab", stall, stall, "c--abc--de"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, calls: 5}},
		want:   `nil "timeout" "ab" | nil "timeout" "" | "c--abc--" | nil "closed" "de" | nil "closed"`,
	},
	{
		input:  []string{"ab", stall, stall, "c--abc--de"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{1}, calls: 11}},
		want:   `"a" | "b" | nil "timeout" "" | nil "timeout" "" | "c" | "" | nil nil nil | "d" | "e" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"ab", stall, stall, "c--abc--de"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{2}, calls: 8}},
		want:   `"ab" | nil "timeout" "" | nil "timeout" "" | "c" | nil nil nil | "de" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"ab", stall, stall, "c--abc--de"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{2}, calls: 8}},
		want:   `"ab" | nil "timeout" "" | nil "timeout" "" | "c--abc--" | nil nil nil | "de" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"ab", stall, stall, "c--abc--de"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{3}, calls: 6}},
		want:   `nil "timeout" "ab" | nil "timeout" "" | "c" | nil nil nil | nil "closed" "de" | nil "closed"`,
	},
	{
		input:  []string{"ab", stall, stall, "c--abc--de"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{100}, calls: 6}},
		want:   `nil "timeout" "ab" | nil "timeout" "" | "c" | nil nil nil | nil "closed" "de" | nil "closed"`,
	},
	{
		input:  []string{"ab", stall, stall, "c--abc--de"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{2, 0, 1, 0, 3}, calls: 6}},
		want:   `"ab" | nil "timeout" "" | nil "timeout" "" | "c" | nil "closed" "de" | nil "closed"`,
	},
	{
		input:  []string{"xaa", stall, "aab"},
		phases: []untilPhase{{pattern: "aab", calls: 4}},
		want:   `nil "timeout" "x" | "aa" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaa", stall, "aab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, calls: 4}},
		want:   `nil "timeout" "x" | "aaaab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaa", stall, "aab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{1}, calls: 8}},
		want:   `"x" | nil "timeout" "" | "a" | "a" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaa", stall, "aab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{2}, calls: 6}},
		want:   `nil "timeout" "x" | "aa" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaa", stall, "aab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{2}, calls: 6}},
		want:   `nil "timeout" "x" | "aa" | "aab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaa", stall, "aab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{3}, calls: 5}},
		want:   `nil "timeout" "x" | "aa" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaa", stall, "aab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{100}, calls: 5}},
		want:   `nil "timeout" "x" | "aa" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaa", stall, "aab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{2, 0, 1, 0, 3}, calls: 4}},
		want:   `nil "timeout" "x" | "aa" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaa", stall, "b", stall, "aa", stall, "ab"},
		phases: []untilPhase{{pattern: "aab", calls: 7}},
		want:   `nil "timeout" "x" | "" | nil "timeout" "" | nil "timeout" "" | "a" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaa", stall, "b", stall, "aa", stall, "ab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, calls: 7}},
		want:   `nil "timeout" "x" | "aab" | nil "timeout" "" | nil "timeout" "" | "aaab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaa", stall, "b", stall, "aa", stall, "ab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{1}, calls: 11}},
		want:   `"x" | nil "timeout" "" | "" | nil nil nil | nil "timeout" "" | nil "timeout" "" | "a" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaa", stall, "b", stall, "aa", stall, "ab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{2}, calls: 9}},
		want:   `nil "timeout" "x" | "" | nil nil nil | nil "timeout" "" | nil "timeout" "" | "a" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaa", stall, "b", stall, "aa", stall, "ab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{2}, calls: 9}},
		want:   `nil "timeout" "x" | "aab" | nil nil nil | nil "timeout" "" | nil "timeout" "" | "aaab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaa", stall, "b", stall, "aa", stall, "ab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{3}, calls: 9}},
		want:   `nil "timeout" "x" | "" | nil nil nil | nil "timeout" "" | nil "timeout" "" | "a" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaa", stall, "b", stall, "aa", stall, "ab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{100}, calls: 9}},
		want:   `nil "timeout" "x" | "" | nil nil nil | nil "timeout" "" | nil "timeout" "" | "a" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"xaa", stall, "b", stall, "aa", stall, "ab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{2, 0, 1, 0, 3}, calls: 8}},
		want:   `nil "timeout" "x" | "" | nil "timeout" "" | nil "timeout" "" | "a" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aba", stall, "bab"},
		phases: []untilPhase{{pattern: "abab", calls: 4}},
		want:   `nil "timeout" "" | "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aba", stall, "bab"},
		phases: []untilPhase{{pattern: "abab", inclusive: true, calls: 4}},
		want:   `nil "timeout" "" | "abab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aba", stall, "bab"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{1}, calls: 5}},
		want:   `nil "timeout" "" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aba", stall, "bab"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{2}, calls: 5}},
		want:   `nil "timeout" "" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aba", stall, "bab"},
		phases: []untilPhase{{pattern: "abab", inclusive: true, sizes: []int{2}, calls: 5}},
		want:   `nil "timeout" "" | "abab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aba", stall, "bab"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{3}, calls: 5}},
		want:   `nil "timeout" "" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aba", stall, "bab"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{100}, calls: 5}},
		want:   `nil "timeout" "" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aba", stall, "bab"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{2, 0, 1, 0, 3}, calls: 4}},
		want:   `nil "timeout" "" | "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abab", stall, "ab"},
		phases: []untilPhase{{pattern: "abab", calls: 4}},
		want:   `"" | nil "timeout" "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abab", stall, "ab"},
		phases: []untilPhase{{pattern: "abab", inclusive: true, calls: 4}},
		want:   `"abab" | nil "timeout" "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abab", stall, "ab"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{1}, calls: 5}},
		want:   `"" | nil nil nil | nil "timeout" "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abab", stall, "ab"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{2}, calls: 5}},
		want:   `"" | nil nil nil | nil "timeout" "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abab", stall, "ab"},
		phases: []untilPhase{{pattern: "abab", inclusive: true, sizes: []int{2}, calls: 5}},
		want:   `"abab" | nil nil nil | nil "timeout" "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abab", stall, "ab"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{3}, calls: 5}},
		want:   `"" | nil nil nil | nil "timeout" "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abab", stall, "ab"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{100}, calls: 5}},
		want:   `"" | nil nil nil | nil "timeout" "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"abab", stall, "ab"},
		phases: []untilPhase{{pattern: "abab", sizes: []int{2, 0, 1, 0, 3}, calls: 5}},
		want:   `"" | nil nil nil | nil "timeout" "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"data\r\n--bou", stall, "ndary\r\nmore\r\n--", stall, "x\r\n--boundary"},
		phases: []untilPhase{{pattern: "\r\n--boundary", calls: 6}},
		want:   `nil "timeout" "data" | "" | nil "timeout" "\r\nmore" | "\r\n--x" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"data\r\n--bou", stall, "ndary\r\nmore\r\n--", stall, "x\r\n--boundary"},
		phases: []untilPhase{{pattern: "\r\n--boundary", inclusive: true, calls: 6}},
		want:   `nil "timeout" "data" | "\r\n--boundary" | nil "timeout" "\r\nmore" | "\r\n--x\r\n--boundary" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"data\r\n--bou", stall, "ndary\r\nmore\r\n--", stall, "x\r\n--boundary"},
		phases: []untilPhase{{pattern: "\r\n--boundary", sizes: []int{1}, calls: 19}},
		want:   `"d" | "a" | "t" | "a" | nil "timeout" "" | "" | nil nil nil | "\r\n" | "m" | "o" | "r" | "e" | nil "timeout" "" | "\r\n--" | "x" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"data\r\n--bou", stall, "ndary\r\nmore\r\n--", stall, "x\r\n--boundary"},
		phases: []untilPhase{{pattern: "\r\n--boundary", sizes: []int{2}, calls: 14}},
		want:   `"da" | "ta" | nil "timeout" "" | "" | nil nil nil | "\r\n" | "mo" | "re" | nil "timeout" "" | "\r\n--" | "x" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"data\r\n--bou", stall, "ndary\r\nmore\r\n--", stall, "x\r\n--boundary"},
		phases: []untilPhase{{pattern: "\r\n--boundary", inclusive: true, sizes: []int{2}, calls: 14}},
		want:   `"da" | "ta" | nil "timeout" "" | "\r\n--boundary" | nil nil nil | "\r\n" | "mo" | "re" | nil "timeout" "" | "\r\n--" | "x\r\n--boundary" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"data\r\n--bou", stall, "ndary\r\nmore\r\n--", stall, "x\r\n--boundary"},
		phases: []untilPhase{{pattern: "\r\n--boundary", sizes: []int{3}, calls: 12}},
		want:   `"dat" | nil "timeout" "a" | "" | nil nil nil | "\r\nm" | "ore" | nil "timeout" "" | "\r\n--" | "x" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"data\r\n--bou", stall, "ndary\r\nmore\r\n--", stall, "x\r\n--boundary"},
		phases: []untilPhase{{pattern: "\r\n--boundary", sizes: []int{100}, calls: 8}},
		want:   `nil "timeout" "data" | "" | nil nil nil | nil "timeout" "\r\nmore" | "\r\n--x" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"data\r\n--bou", stall, "ndary\r\nmore\r\n--", stall, "x\r\n--boundary"},
		phases: []untilPhase{{pattern: "\r\n--boundary", sizes: []int{2, 0, 1, 0, 3}, calls: 11}},
		want:   `"da" | nil "timeout" "ta" | "" | nil nil nil | "\r\nm" | "or" | nil "timeout" "e" | "\r\n--" | "x" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aa", stall, "aXaa", stall, "a"},
		phases: []untilPhase{{pattern: "aaa", calls: 6}},
		want:   `nil "timeout" "" | "" | nil "timeout" "X" | "" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aa", stall, "aXaa", stall, "a"},
		phases: []untilPhase{{pattern: "aaa", inclusive: true, calls: 6}},
		want:   `nil "timeout" "" | "aaa" | nil "timeout" "X" | "aaa" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aa", stall, "aXaa", stall, "a"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{1}, calls: 9}},
		want:   `nil "timeout" "" | "" | nil nil nil | "X" | nil "timeout" "" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aa", stall, "aXaa", stall, "a"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{2}, calls: 8}},
		want:   `nil "timeout" "" | "" | nil nil nil | nil "timeout" "X" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aa", stall, "aXaa", stall, "a"},
		phases: []untilPhase{{pattern: "aaa", inclusive: true, sizes: []int{2}, calls: 8}},
		want:   `nil "timeout" "" | "aaa" | nil nil nil | nil "timeout" "X" | "aaa" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aa", stall, "aXaa", stall, "a"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{3}, calls: 8}},
		want:   `nil "timeout" "" | "" | nil nil nil | nil "timeout" "X" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aa", stall, "aXaa", stall, "a"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{100}, calls: 8}},
		want:   `nil "timeout" "" | "" | nil nil nil | nil "timeout" "X" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"aa", stall, "aXaa", stall, "a"},
		phases: []untilPhase{{pattern: "aaa", sizes: []int{2, 0, 1, 0, 3}, calls: 8}},
		want:   `nil "timeout" "" | "" | "X" | nil "timeout" "" | "" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"--abc--ab--abcd--aab--abc-a-b-c--abc--end"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{0, 2, 2, 2, 2, 2, 100}, calls: 7}, {pattern: "--", inclusive: true, calls: 2}},
		want:   `"" | "ab" | "--abc" | "d--a" | "ab" | "--abc-" | "a-b-c" | nil "closed" "end" | nil "closed"`,
	},
	{
		input:  []string{"aaab|aab|rest"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{2}, calls: 2}, {pattern: "|", calls: 1}, {pattern: "aab", calls: 3}},
		want:   `"a" | nil nil nil | "" | "" | nil "closed" "|rest" | nil "closed"`,
	},
	{
		input:  []string{"abcXYZdefXYZghi"},
		phases: []untilPhase{{pattern: "XYZ", sizes: []int{2}, calls: 3}, {pattern: "XYZ", inclusive: true, calls: 3}},
		want:   `"ab" | "c" | nil nil nil | "defXYZ" | nil "closed" "ghi" | nil "closed"`,
	},
	{
		input:  []string{"abcXYZdefXYZghi"},
		phases: []untilPhase{{pattern: "XYZ", sizes: []int{100}, calls: 2}, {pattern: "XYZ", calls: 3}},
		want:   `"abc" | nil nil nil | "def" | nil "closed" "ghi" | nil "closed"`,
	},
	{
		input:  []string{"abcXYZdefXYZghi"},
		phases: []untilPhase{{pattern: "XYZ", sizes: []int{100}, calls: 1}, {pattern: "d", calls: 1}, {pattern: "XYZ", calls: 1}, {pattern: "XYZ", calls: 2}},
		want:   `"abc" | "" | "ef" | nil "closed" "ghi" | nil "closed"`,
	},
	{
		input:  []string{"ab", stall, "cXYZd"},
		phases: []untilPhase{{pattern: "XYZ", calls: 1}, {pattern: "XYZ", calls: 3}},
		want:   `nil "timeout" "ab" | "c" | nil "closed" "d" | nil "closed"`,
	},
	{
		input:  []string{"aab", stall, "aab"},
		phases: []untilPhase{{pattern: "aab", calls: 1}, {pattern: "aa", calls: 4}},
		want:   `"" | nil "timeout" "" | "" | nil "closed" "b" | nil "closed"`,
	},
	{
		input:  []string{"aaabcaab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{-1, -5}, calls: 4}},
		want:   `"a" | "c" | nil "closed" "" | nil "closed"`,
	},
}

// untilLongCases are streams longer than lua-nginx-module's receive buffer (4 KiB), so that
// partial matches span its buffers; recorded as above in the modes "one" and "chunks". Their
// transcripts are squeezed.
var untilLongCases = []untilCase{
	{
		input:  []string{strings.Repeat("x", 4093) + "--abc-" + strings.Repeat("y", 5000) + "--abc--tail"},
		phases: []untilPhase{{pattern: "--abc--", calls: 3}},
		want:   `"<x*4093>--abc-<y*5000>" | nil "closed" "tail" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4093) + "--abc-" + strings.Repeat("y", 5000) + "--abc--tail"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, calls: 3}},
		want:   `"<x*4093>--abc-<y*5000>--abc--" | nil "closed" "tail" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4093) + "--abc-" + strings.Repeat("y", 5000) + "--abc--tail"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{4096}, calls: 6}},
		want:   `"<x*4093>--abc-" | "<y*4096>" | "<y*904>" | nil nil nil | nil "closed" "tail" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4093) + "--abc-" + strings.Repeat("y", 5000) + "--abc--tail"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{4096}, calls: 6}},
		want:   `"<x*4093>--abc-" | "<y*4096>" | "<y*904>--abc--" | nil nil nil | nil "closed" "tail" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4093) + "--abc-" + strings.Repeat("y", 5000) + "--abc--tail"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{1000, 0, 7}, calls: 4}},
		want:   `"<x*1000>" | "<x*3093>--abc-<y*5000>" | nil "closed" "tail" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4093) + "--abc-" + strings.Repeat("y", 5000) + "--abc--tail"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{1000, 0, 7}, calls: 4}},
		want:   `"<x*1000>" | "<x*3093>--abc-<y*5000>--abc--" | nil "closed" "tail" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4093) + "--abc-" + strings.Repeat("y", 5000) + "--abc--tail"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{4097}, calls: 6}},
		want:   `"<x*4093>--abc-" | "<y*4097>" | "<y*903>" | nil nil nil | nil "closed" "tail" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4093) + "--abc-" + strings.Repeat("y", 5000) + "--abc--tail"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{4097}, calls: 6}},
		want:   `"<x*4093>--abc-" | "<y*4097>" | "<y*903>--abc--" | nil nil nil | nil "closed" "tail" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4094) + "--abc--zzzzzzzzzz--abc--"},
		phases: []untilPhase{{pattern: "--abc--", calls: 4}},
		want:   `"<x*4094>" | "zzzzzzzzzz" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4094) + "--abc--zzzzzzzzzz--abc--"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, calls: 4}},
		want:   `"<x*4094>--abc--" | "zzzzzzzzzz--abc--" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4094) + "--abc--zzzzzzzzzz--abc--"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{4096}, calls: 6}},
		want:   `"<x*4094>" | nil nil nil | "zzzzzzzzzz" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4094) + "--abc--zzzzzzzzzz--abc--"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{4096}, calls: 6}},
		want:   `"<x*4094>--abc--" | nil nil nil | "zzzzzzzzzz--abc--" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4094) + "--abc--zzzzzzzzzz--abc--"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{1000, 0, 7}, calls: 7}},
		want:   `"<x*1000>" | "<x*3094>" | "zzzzzzz" | "zzz" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4094) + "--abc--zzzzzzzzzz--abc--"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{1000, 0, 7}, calls: 7}},
		want:   `"<x*1000>" | "<x*3094>--abc--" | "zzzzzzz" | "zzz--abc--" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4094) + "--abc--zzzzzzzzzz--abc--"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{4097}, calls: 6}},
		want:   `"<x*4094>" | nil nil nil | "zzzzzzzzzz" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4094) + "--abc--zzzzzzzzzz--abc--"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{4097}, calls: 6}},
		want:   `"<x*4094>--abc--" | nil nil nil | "zzzzzzzzzz--abc--" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4090) + "--a", stall, "b" + strings.Repeat("-", 9000) + "abc--q"},
		phases: []untilPhase{{pattern: "--abc--", calls: 4}},
		want:   `nil "timeout" "<x*4090>" | "--ab<-*8998>" | nil "closed" "q" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4090) + "--a", stall, "b" + strings.Repeat("-", 9000) + "abc--q"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, calls: 4}},
		want:   `nil "timeout" "<x*4090>" | "--ab<-*9000>abc--" | nil "closed" "q" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4090) + "--a", stall, "b" + strings.Repeat("-", 9000) + "abc--q"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{4096}, calls: 7}},
		want:   `nil "timeout" "<x*4090>" | "--ab<-*4092>" | "<-*4096>" | "<-*810>" | nil nil nil | nil "closed" "q" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4090) + "--a", stall, "b" + strings.Repeat("-", 9000) + "abc--q"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{4096}, calls: 7}},
		want:   `nil "timeout" "<x*4090>" | "--ab<-*4092>" | "<-*4096>" | "<-*812>abc--" | nil nil nil | nil "closed" "q" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4090) + "--a", stall, "b" + strings.Repeat("-", 9000) + "abc--q"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{1000, 0, 7}, calls: 7}},
		want:   `"<x*1000>" | nil "timeout" "<x*3090>" | "--ab---" | "<-*1000>" | "<-*7995>" | nil "closed" "q" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4090) + "--a", stall, "b" + strings.Repeat("-", 9000) + "abc--q"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{1000, 0, 7}, calls: 7}},
		want:   `"<x*1000>" | nil "timeout" "<x*3090>" | "--ab---" | "<-*1000>" | "<-*7997>abc--" | nil "closed" "q" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4090) + "--a", stall, "b" + strings.Repeat("-", 9000) + "abc--q"},
		phases: []untilPhase{{pattern: "--abc--", sizes: []int{4097}, calls: 7}},
		want:   `nil "timeout" "<x*4090>" | "--ab<-*4093>" | "<-*4097>" | "<-*808>" | nil nil nil | nil "closed" "q" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4090) + "--a", stall, "b" + strings.Repeat("-", 9000) + "abc--q"},
		phases: []untilPhase{{pattern: "--abc--", inclusive: true, sizes: []int{4097}, calls: 7}},
		want:   `nil "timeout" "<x*4090>" | "--ab<-*4093>" | "<-*4097>" | "<-*810>abc--" | nil nil nil | nil "closed" "q" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("a", 9000) + "bccc"},
		phases: []untilPhase{{pattern: "aab", calls: 3}},
		want:   `"<a*8998>" | nil "closed" "ccc" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("a", 9000) + "bccc"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, calls: 3}},
		want:   `"<a*9000>b" | nil "closed" "ccc" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("a", 9000) + "bccc"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{4096}, calls: 6}},
		want:   `"<a*4096>" | "<a*4096>" | "<a*806>" | nil nil nil | nil "closed" "ccc" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("a", 9000) + "bccc"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{4096}, calls: 6}},
		want:   `"<a*4096>" | "<a*4096>" | "<a*808>b" | nil nil nil | nil "closed" "ccc" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("a", 9000) + "bccc"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{1000, 0, 7}, calls: 4}},
		want:   `"<a*1000>" | "<a*7998>" | nil "closed" "ccc" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("a", 9000) + "bccc"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{1000, 0, 7}, calls: 4}},
		want:   `"<a*1000>" | "<a*8000>b" | nil "closed" "ccc" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("a", 9000) + "bccc"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{4097}, calls: 6}},
		want:   `"<a*4097>" | "<a*4097>" | "<a*804>" | nil nil nil | nil "closed" "ccc" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("a", 9000) + "bccc"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{4097}, calls: 6}},
		want:   `"<a*4097>" | "<a*4097>" | "<a*806>b" | nil nil nil | nil "closed" "ccc" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4095) + "aaab" + strings.Repeat("y", 5000) + "aab"},
		phases: []untilPhase{{pattern: "aab", calls: 4}},
		want:   `"<x*4095>a" | "<y*5000>" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4095) + "aaab" + strings.Repeat("y", 5000) + "aab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, calls: 4}},
		want:   `"<x*4095>aaab" | "<y*5000>aab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4095) + "aaab" + strings.Repeat("y", 5000) + "aab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{4096}, calls: 8}},
		want:   `"<x*4095>a" | "" | nil nil nil | "<y*4096>" | "<y*904>" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4095) + "aaab" + strings.Repeat("y", 5000) + "aab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{4096}, calls: 8}},
		want:   `"<x*4095>a" | "aab" | nil nil nil | "<y*4096>" | "<y*904>aab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4095) + "aaab" + strings.Repeat("y", 5000) + "aab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{1000, 0, 7}, calls: 7}},
		want:   `"<x*1000>" | "<x*3095>a" | "yyyyyyy" | "<y*1000>" | "<y*3993>" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4095) + "aaab" + strings.Repeat("y", 5000) + "aab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{1000, 0, 7}, calls: 7}},
		want:   `"<x*1000>" | "<x*3095>aaab" | "yyyyyyy" | "<y*1000>" | "<y*3993>aab" | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4095) + "aaab" + strings.Repeat("y", 5000) + "aab"},
		phases: []untilPhase{{pattern: "aab", sizes: []int{4097}, calls: 7}},
		want:   `"<x*4095>a" | nil nil nil | "<y*4097>" | "<y*903>" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{strings.Repeat("x", 4095) + "aaab" + strings.Repeat("y", 5000) + "aab"},
		phases: []untilPhase{{pattern: "aab", inclusive: true, sizes: []int{4097}, calls: 7}},
		want:   `"<x*4095>aaab" | nil nil nil | "<y*4097>" | "<y*903>aab" | nil nil nil | nil "closed" "" | nil "closed"`,
	},
	{
		input:  []string{"\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--boundaryend"},
		phases: []untilPhase{{pattern: "\r\n--boundary", calls: 3}},
		want:   `"\r\n--bound<q*4085>\r\n--bound<q*4085>\r\n--bound<q*4085>" | nil "closed" "end" | nil "closed"`,
	},
	{
		input:  []string{"\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--boundaryend"},
		phases: []untilPhase{{pattern: "\r\n--boundary", inclusive: true, calls: 3}},
		want:   `"\r\n--bound<q*4085>\r\n--bound<q*4085>\r\n--bound<q*4085>\r\n--boundary" | nil "closed" "end" | nil "closed"`,
	},
	{
		input:  []string{"\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--boundaryend"},
		phases: []untilPhase{{pattern: "\r\n--boundary", sizes: []int{4096}, calls: 6}},
		want:   `"\r\n--bound<q*4085>\r\n--bound" | "<q*4085>\r\n--boundqq" | "<q*4083>" | nil nil nil | nil "closed" "end" | nil "closed"`,
	},
	{
		input:  []string{"\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--boundaryend"},
		phases: []untilPhase{{pattern: "\r\n--boundary", inclusive: true, sizes: []int{4096}, calls: 6}},
		want:   `"\r\n--bound<q*4085>\r\n--bound" | "<q*4085>\r\n--boundqq" | "<q*4083>\r\n--boundary" | nil nil nil | nil "closed" "end" | nil "closed"`,
	},
	{
		input:  []string{"\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--boundaryend"},
		phases: []untilPhase{{pattern: "\r\n--boundary", sizes: []int{1000, 0, 7}, calls: 4}},
		want:   `"\r\n--bound<q*991>" | "<q*3094>\r\n--bound<q*4085>\r\n--bound<q*4085>" | nil "closed" "end" | nil "closed"`,
	},
	{
		input:  []string{"\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--boundaryend"},
		phases: []untilPhase{{pattern: "\r\n--boundary", inclusive: true, sizes: []int{1000, 0, 7}, calls: 4}},
		want:   `"\r\n--bound<q*991>" | "<q*3094>\r\n--bound<q*4085>\r\n--bound<q*4085>\r\n--boundary" | nil "closed" "end" | nil "closed"`,
	},
	{
		input:  []string{"\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--boundaryend"},
		phases: []untilPhase{{pattern: "\r\n--boundary", sizes: []int{4097}, calls: 6}},
		want:   `"\r\n--bound<q*4085>\r\n--bound" | "<q*4085>\r\n--boundqqq" | "<q*4082>" | nil nil nil | nil "closed" "end" | nil "closed"`,
	},
	{
		input:  []string{"\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--bound" + strings.Repeat("q", 4085) + "\r\n--boundaryend"},
		phases: []untilPhase{{pattern: "\r\n--boundary", inclusive: true, sizes: []int{4097}, calls: 6}},
		want:   `"\r\n--bound<q*4085>\r\n--bound" | "<q*4085>\r\n--boundqqq" | "<q*4082>\r\n--boundary" | nil nil nil | nil "closed" "end" | nil "closed"`,
	},
}

// squeeze replaces each run of 16 or more copies of a byte in a transcript with <c*n>.
func squeeze(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] == s[i] {
			j++
		}
		if j-i >= 16 {
			fmt.Fprintf(&b, "<%c*%d>", s[i], j-i)
		} else {
			b.WriteString(s[i:j])
		}
		i = j
	}
	return b.String()
}

// scriptConn is the scripted connection: it returns its input strings in reads of at most chunk
// bytes (0: one string per read), a timeout for each stall and io.EOF at the end.
type scriptConn struct {
	input []string
	chunk int
}

func (s *scriptConn) Read(p []byte) (int, error) {
	for len(s.input) > 0 && s.input[0] == "" {
		s.input = s.input[1:]
	}
	if len(s.input) == 0 {
		return 0, io.EOF
	}
	if s.input[0] == stall {
		s.input = s.input[1:]
		return 0, timeoutError{}
	}
	next := s.input[0]
	if s.chunk > 0 && len(next) > s.chunk {
		next = next[:s.chunk]
	}
	n := copy(p, next)
	s.input[0] = s.input[0][n:]
	return n, nil
}

// timeoutError is the error of a read that hit the connection's deadline.
type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

var _ net.Error = timeoutError{}

// untilTranscript runs c's phases over r the way the iterators behave in Lua and returns the
// transcript. After a read error other than a timeout, lua-nginx-module closes the socket's
// reading side and every later call returns nil, "closed" without reading; that part belongs
// to the socket, so it is played here.
func untilTranscript(t *testing.T, c untilCase, r *bufio.Reader) string {
	t.Helper()
	var calls []string
	closed := false
	for _, ph := range c.phases {
		u, err := NewUntil(ph.pattern, ph.inclusive)
		require.NoError(t, err)
		sizes := ph.sizes
		if sizes == nil {
			sizes = []int{0}
		}
		for i := 0; i < ph.calls; i++ {
			if closed {
				calls = append(calls, `nil "closed"`)
				continue
			}
			data, done, partial, err := u.Read(r, sizes[i%len(sizes)])
			switch {
			case err != nil:
				require.NotNil(t, partial, "partial with an error")
				var ne net.Error
				msg := err.Error()
				if errors.As(err, &ne) && ne.Timeout() {
					msg = "timeout"
				} else {
					closed = true
					if errors.Is(err, io.EOF) {
						msg = "closed"
					}
				}
				calls = append(calls, "nil "+strconv.Quote(msg)+" "+strconv.Quote(string(partial)))
			case done:
				require.Nil(t, data)
				calls = append(calls, "nil nil nil")
			default:
				require.NotNil(t, data)
				calls = append(calls, strconv.Quote(string(data)))
			}
		}
	}
	return strings.Join(calls, " | ")
}

func TestUntilTranscripts(t *testing.T) {
	testUntilCases(t, untilCases, []int{0, 1, 2, 5})
}

func TestUntilLongStreams(t *testing.T) {
	testUntilCases(t, untilLongCases, []int{0, 1, 7, 1000})
}

// testUntilCases plays each case with the connection's reads cut to each of chunks (0: one
// input string per read) under bufio readers of two sizes.
func testUntilCases(t *testing.T, cases []untilCase, chunks []int) {
	for i, c := range cases {
		t.Run(strconv.Itoa(i+1)+"_"+strconv.Quote(c.phases[0].pattern), func(t *testing.T) {
			for _, chunk := range chunks {
				for _, bufSize := range []int{16, 4096} {
					conn := &scriptConn{input: append([]string(nil), c.input...), chunk: chunk}
					got := squeeze(untilTranscript(t, c, bufio.NewReaderSize(conn, bufSize)))
					assert.Equal(t, c.want, got, "input %.200q phases %+v, reads of %d bytes, buffer %d",
						c.input, c.phases, chunk, bufSize)
				}
			}
		})
	}
}

func TestUntilEmptyPattern(t *testing.T) {
	u, err := NewUntil("", false)
	assert.Nil(t, u)
	require.ErrorIs(t, err, ErrEmptyPattern)
	assert.Equal(t, "pattern is empty", err.Error())
}

// TestUntilLeavesTheRest checks that Read consumes the pattern and nothing after it, and that the
// byte that ends a size-limited piece by breaking a partial match stays in the reader.
func TestUntilLeavesTheRest(t *testing.T) {
	r := bufio.NewReader(strings.NewReader("head\r\n\r\nbody"))
	u, err := NewUntil("\r\n\r\n", false)
	require.NoError(t, err)
	data, done, _, err := u.Read(r, 0)
	require.NoError(t, err)
	assert.False(t, done)
	assert.Equal(t, "head", string(data))
	rest, err := io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, "body", string(rest))

	r = bufio.NewReader(strings.NewReader("x--ay"))
	u, err = NewUntil("--abc--", false)
	require.NoError(t, err)
	data, _, _, err = u.Read(r, 2)
	require.NoError(t, err)
	assert.Equal(t, "x--a", string(data))
	rest, err = io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, "y", string(rest))
}

// TestUntilOtherError checks that a read error other than io.EOF and timeouts comes back as it
// is, with the partial data.
func TestUntilOtherError(t *testing.T) {
	boom := errors.New("connection reset by peer")
	r := bufio.NewReader(io.MultiReader(strings.NewReader("abc--a"), errReader{boom}))
	u, err := NewUntil("--abc--", false)
	require.NoError(t, err)
	data, done, partial, err := u.Read(r, 0)
	assert.Nil(t, data)
	assert.False(t, done)
	assert.Equal(t, "abc", string(partial))
	assert.Same(t, boom, err)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// TestUntilFindsEveryOccurrence checks the matcher on random streams against strings.Split:
// without a size the results are the pieces between occurrences, and with any size the pieces
// of one iteration join up to the same.
func TestUntilFindsEveryOccurrence(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	patterns := []string{"aab", "abab", "aaa", "abaab", "aabaa", "ababc", "abcabd", "aabaab", "abaabaa", "a", "ab", "aa"}
	for _, pat := range patterns {
		for range 200 {
			var sb strings.Builder
			for range rng.IntN(60) {
				sb.WriteByte("abc"[rng.IntN(3)])
			}
			stream := sb.String() + pat
			want := strings.Split(stream, pat)
			want = want[:len(want)-1]

			u, err := NewUntil(pat, false)
			require.NoError(t, err)
			r := bufio.NewReaderSize(&scriptConn{input: []string{stream}, chunk: 1 + rng.IntN(4)}, 16)
			for _, w := range want {
				data, done, _, err := u.Read(r, 0)
				require.NoError(t, err)
				require.False(t, done)
				require.Equal(t, w, string(data), "pattern %q stream %q", pat, stream)
			}

			size := 1 + rng.IntN(5)
			u, err = NewUntil(pat, rng.IntN(2) == 0)
			require.NoError(t, err)
			r = bufio.NewReaderSize(&scriptConn{input: []string{stream}, chunk: 1 + rng.IntN(4)}, 16)
			for _, w := range want {
				if u.inclusive {
					w += pat
				}
				var got strings.Builder
				for {
					data, done, _, err := u.Read(r, size)
					require.NoError(t, err)
					if done {
						break
					}
					got.Write(data)
				}
				require.Equal(t, w, got.String(), "pattern %q stream %q size %d", pat, stream, size)
			}
		}
	}
}
