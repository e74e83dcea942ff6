// Package stdlib fixes and completes the standard library of github.com/Shopify/go-lua (Lua 5.2 in
// Go) for the scripts goresty runs: it replaces the functions go-lua gets wrong, adds the Lua 5.1
// and LuaJIT names OpenResty code uses, and takes away what could harm a server.
//
// Use it on a state that already has the standard libraries:
//
//	l := glua.NewState()
//	glua.OpenLibraries(l)
//	stdlib.Open(l, stdlib.Options{Print: func(line string) { log.Print(line) }, MaxBytes: 1 << 20})
//
// The reference for each function is Debian's lua5.2 (5.2.4 on 64-bit Linux, C locale, glibc),
// and LuaJIT 2.1 for the LuaJIT names and wherever OpenResty code would see LuaJIT's answer
// differ (named below):
//
//   - table.concat runs in linear time, with 5.2's errors ("invalid value (table) at index 2 in
//     table for 'concat'"), capped by Options.MaxBytes. table.insert and table.remove check no
//     bounds, as LuaJIT: insert at any position (t[pos] is set, the elements from there to #t
//     move up), and remove outside 1..#t (or from an empty list) removes and returns nothing.
//     They, table.unpack and the global unpack take C int arguments; table.maxn is 5.2's; table.getn is 5.1's raw length; table.new, table.clear and
//     table.nkeys are LuaJIT's, and table.isempty, table.isarray and table.clone OpenResty's
//     LuaJIT's, also through require ("table.new" and so on);
//     table.foreach and table.foreachi are Lua 5.0's, which LuaJIT keeps. table.sort is C
//     Lua's algorithm, so ties and bad comparators come out as in lua5.2 and LuaJIT (go-lua
//     used Go's sort).
//     table.new raises LuaJIT's "table overflow" past its limits and reserves at most 65536 slots
//     of each kind.
//   - string.upper, lower and reverse work on bytes, not runes. string.format follows 5.2.4
//     with LuaJIT's integer conversions: %d truncates (3.5 prints 3) and gives
//     -9223372036854775808 for NaN and numbers out of range; %x, %o, %u print a negative number
//     as its 64-bit two's complement (%x of -1 is ffffffffffffffff); %s honours __tostring and counts
//     bytes; %F is accepted, as LuaJIT does; %g, %e, %f and %a print as glibc does ("inf",
//     "-nan"), except that a value exactly
//     halfway between two printable ones rounds away from zero, as LuaJIT (which OpenResty
//     runs) rounds it, where glibc rounds to even: "%.2f" of 0.125 is "0.13", "%.0f" of 2.5 is
//     "3". tostring and concatenation (go-lua's) keep C's "%.14g" and its even ties, which
//     LuaJIT rounds away too: 123456789012345 is 1.2345678901234e+14 here and
//     1.2345678901235e+14 there, a difference only 15-digit ties show. string.rep and string.char
//     take C ints. string.byte, sub and len take 5.2's positions. Every function that takes a
//     string converts a number as tostring does (go-lua's own conversion gives "+Inf", "NaN").
//   - tonumber without a base also reads what LuaJIT's number scanner reads: "inf", "infinity"
//     and "nan" in any case, with a sign, and 0b binary ("0b101" is 5).
//   - tostring prints numbers as C's "%.14g" ("inf", "-inf", "nan", "-nan"), like 5.2.
//   - next and pairs step in constant time (go-lua's next is linear, so a traversal was
//     quadratic) and allow clearing fields during a traversal, as the Lua manual does; next
//     raises "invalid key to 'next'" for a key that is not in the table; pairs returns the global
//     next. pairs and ipairs ignore __pairs and __ipairs, and ipairs reads the list raw, as
//     LuaJIT (OpenResty's, without 5.2 compatibility) does. A state follows its last 8 traversals (they keep their tables
//     reachable until they end or give way to newer ones); any other next(t, k), and any after a
//     key was added to the table (which Lua leaves undefined), finds k by one scan of the table.
//   - math is 5.2's as built on glibc: math.huge is inf, math.pow and math.log10 exist (there is
//     no math.mod, as in 5.2 and LuaJIT), NaN results carry glibc's sign ("-nan" for
//     sqrt(-1) or fmod(1, 0), the argument's own NaN passed through), modf/frexp/ldexp follow C
//     on NaNs, signed zeros, infinities and int arguments, and max/min fold their arguments as
//     LuaJIT's maxsd/minsd do (math.max(0/0, 1) is 1, math.max(1, 0/0) is NaN). exp, log, log10 and pow are
//     computed in double-double and rounded once, so they give glibc's results except within
//     about 2^-90 of a rounding tie, where glibc's own rounding is not exact (math.pow(10, 23) is
//     1e23 here, 1.0000000000000001e+23 in lua5.2); the trigonometric and hyperbolic functions
//     are Go's, which differ from glibc's in the last bit for some arguments (not visible in
//     "%.14g").
//   - os.time normalises out-of-range fields as C's mktime does and honours isdst; os.date knows
//     every strftime conversion lua5.2 accepts on Linux (C99's, with the E and O modifiers), "*t",
//     "!*t" and the "!" prefix for UTC, and raises 5.2's "invalid conversion specifier" error.
//     Local time is time.Local. os.clock is the process's CPU time; os.difftime stays; os.getenv
//     returns nil for an unset variable (go-lua returns "").
//   - bit is LuaJIT's (results are signed 32-bit numbers; arguments wrap modulo 2^32 and fractions
//     round to even, as LuaJIT does), as the global bit and as require "bit". bit32 stays.
//   - print sends one line per call to Options.Print; collectgarbage never collects: "count"
//     estimates the memory reachable from the state's registry (globals, modules, upvalues) by
//     walking it, so its cost grows with the state up to 262,144 objects, where the estimate stops
//     growing; "step" returns true, the others return what 5.2 returns without acting.
//     math.random and math.randomseed use a generator owned by the state, LuaJIT's Tausworthe
//     generator, so a seeded state draws the same numbers as OpenResty's LuaJIT; like LuaJIT,
//     math.random checks no interval (math.random(0) is 1). A new state starts from a random
//     seed (LuaJIT starts every process from the same one).
//
// What could harm a server raises a clear error instead of being removed, so that a script learns
// why ("os.exit is disabled in goresty: ..."): os.exit, os.execute, os.remove, os.rename,
// os.tmpname, os.setlocale, and every io function but io.type (go-lua cannot read files anyway:
// its f:read is unimplemented); io.stdin, io.stdout and io.stderr are objects whose every method
// raises that error.
//
// Every function Open installs recovers a Go panic (a runtime error or a non-error value) and raises
// it as a Lua error; Lua errors and other error values (such as an engine's abort) pass through.
// Each is a Go closure with one unused upvalue, the only kind of Go function go-lua can find among
// the globals to name it in "bad argument" errors ("bad argument #1 to 'math.floor'").
//
// Not fixable here, because go-lua's VM does it without calling a library function: the ..
// operator converts numbers with Go's "%.14g" ("+Inf", "NaN"); % on two numbers is math.Mod (-7 % 3
// is -1, not 2) and ^ is math.Pow, unless the engine's bytecode patch replaces them.
package stdlib
