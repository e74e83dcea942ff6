package luacjson

import (
	"fmt"
	"math"

	glua "github.com/Shopify/go-lua"
)

// config holds one module instance's settings, as lua-cjson's json_config_t.
type config struct {
	sparseConvert     int // enum off/on
	sparseRatio       int
	sparseSafe        int
	encodeMaxDepth    int
	decodeMaxDepth    int
	encodeInvalidNums int // 0 off, 1 on, 2 "null"
	decodeInvalidNums int
	precision         int
	keepBuffer        int
	emptyTableObject  int
	escapeSlash       int
	decodeArrayMT     int
	decodeJSONNull    int
	skipUnsupported   int
	indent            string // encode_indent: "" encodes compactly
}

func defaultConfig() *config {
	return &config{
		sparseRatio:       2,
		sparseSafe:        10,
		encodeMaxDepth:    1000,
		decodeMaxDepth:    1000,
		decodeInvalidNums: 1,
		precision:         14,
		keepBuffer:        1,
		emptyTableObject:  1,
		escapeSlash:       1,
		decodeJSONNull:    1,
	}
}

var onOff = []string{"off", "on"}

func (c *config) configFunctions() []glua.RegistryFunction {
	boolOpt := func(setting *int) glua.Function {
		return func(l *glua.State) int {
			argInit(l, 1)
			return enumOption(l, 1, setting, onOff)
		}
	}
	intOpt := func(setting *int, lo, hi int) glua.Function {
		return func(l *glua.State) int {
			argInit(l, 1)
			return intOption(l, 1, setting, lo, hi)
		}
	}
	return []glua.RegistryFunction{
		{Name: "encode_sparse_array", Function: func(l *glua.State) int {
			argInit(l, 3)
			enumOption(l, 1, &c.sparseConvert, onOff)
			intOption(l, 2, &c.sparseRatio, 0, math.MaxInt32)
			intOption(l, 3, &c.sparseSafe, 0, math.MaxInt32)
			return 3
		}},
		{Name: "encode_max_depth", Function: intOpt(&c.encodeMaxDepth, 1, math.MaxInt32)},
		{Name: "decode_max_depth", Function: intOpt(&c.decodeMaxDepth, 1, math.MaxInt32)},
		{Name: "encode_number_precision", Function: intOpt(&c.precision, 1, 16)},
		{Name: "encode_keep_buffer", Function: boolOpt(&c.keepBuffer)},
		{Name: "encode_invalid_numbers", Function: func(l *glua.State) int {
			argInit(l, 1)
			return enumOption(l, 1, &c.encodeInvalidNums, []string{"off", "on", "null"})
		}},
		{Name: "decode_invalid_numbers", Function: boolOpt(&c.decodeInvalidNums)},
		{Name: "encode_empty_table_as_object", Function: boolOpt(&c.emptyTableObject)},
		{Name: "decode_array_with_array_mt", Function: boolOpt(&c.decodeArrayMT)},
		{Name: "decode_json_null", Function: boolOpt(&c.decodeJSONNull)},
		{Name: "encode_escape_forward_slash", Function: boolOpt(&c.escapeSlash)},
		{Name: "encode_skip_unsupported_value_types", Function: boolOpt(&c.skipUnsupported)},
		{Name: "encode_indent", Function: func(l *glua.State) int {
			argInit(l, 1)
			if !l.IsNil(1) {
				if t := l.TypeOf(1); t != glua.TypeString && t != glua.TypeNumber {
					glua.ArgumentError(l, 1, "string expected, got "+typeName(l, 1))
				}
				c.indent, _ = l.ToString(1)
			}
			l.PushString(c.indent)
			return 1
		}},
	}
}

// argInit checks the argument count and pads the stack with nils, as json_arg_init.
func argInit(l *glua.State, n int) {
	if l.Top() > n {
		glua.ArgumentError(l, n+1, "found too many arguments")
	}
	for l.Top() < n {
		l.PushNil()
	}
}

// intOption sets *setting from argument i when it is not nil and pushes the setting.
// As in lua-cjson, a range error always names argument #1.
func intOption(l *glua.State, i int, setting *int, lo, hi int) int {
	if !l.IsNil(i) {
		f, ok := l.ToNumber(i)
		if !ok {
			glua.ArgumentError(l, i, "number expected, got "+typeName(l, i))
		}
		v := truncInt(f)
		if v < lo || v > hi {
			glua.ArgumentError(l, 1, fmt.Sprintf("expected integer between %d and %d", lo, hi))
		}
		*setting = v
	}
	l.PushInteger(*setting)
	return 1
}

func truncInt(f float64) int {
	switch {
	case f != f:
		return math.MinInt32
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return int(f)
}

// enumOption sets *setting from a boolean or one of options (luaL_checkoption) and pushes the
// setting: a boolean for off/on, otherwise the option's name.
func enumOption(l *glua.State, i int, setting *int, options []string) int {
	if !l.IsNil(i) {
		if l.IsBoolean(i) {
			*setting = 0
			if l.ToBoolean(i) {
				*setting = 1
			}
		} else {
			t := l.TypeOf(i)
			if t != glua.TypeString && t != glua.TypeNumber {
				glua.ArgumentError(l, i, "string expected, got "+typeName(l, i))
			}
			s, _ := l.ToString(i)
			found := -1
			for k, o := range options {
				if o == s {
					found = k
				}
			}
			if found < 0 {
				glua.ArgumentError(l, i, fmt.Sprintf("invalid option '%s'", s))
			}
			*setting = found
		}
	}
	if *setting <= 1 {
		l.PushBoolean(*setting == 1)
	} else {
		l.PushString(options[*setting])
	}
	return 1
}
