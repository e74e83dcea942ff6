package luacjson

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	glua "github.com/Shopify/go-lua"
)

// escapes maps each byte to its JSON escape, "" when the byte is copied as-is (lua-cjson's
// char2escape).
var escapes = func() [256]string {
	var t [256]string
	for b := 0; b < 0x20; b++ {
		t[b] = fmt.Sprintf("\\u%04x", b)
	}
	t['\b'], t['\t'], t['\n'], t['\f'], t['\r'] = `\b`, `\t`, `\n`, `\f`, `\r`
	t['"'], t['\\'], t['/'], t[0x7f] = `\"`, `\\`, `\/`, `\u007f`
	return t
}()

type encoder struct {
	c   *config
	l   *glua.State
	buf []byte
}

// encode serialises the value on top of l's stack; the stack is left as it was.
func (c *config) encode(l *glua.State) (string, error) {
	top := l.Top()
	e := encoder{c: c, l: l, buf: make([]byte, 0, 128)}
	_, err := e.value(0)
	l.SetTop(top)
	if err != nil {
		return "", err
	}
	return string(e.buf), nil
}

func serialiseError(l *glua.State, index int, reason string) error {
	return errors.New("Cannot serialise " + typeName(l, index) + ": " + reason)
}

// value appends the value on top of the stack. skipped is true when the value was left out
// because encode_skip_unsupported_value_types is on.
func (e *encoder) value(depth int) (skipped bool, err error) {
	l := e.l
	switch l.TypeOf(-1) {
	case glua.TypeString:
		s, _ := l.ToString(-1)
		e.appendString(s)
	case glua.TypeNumber:
		return false, e.appendNumber(-1)
	case glua.TypeBoolean:
		e.buf = strconv.AppendBool(e.buf, l.ToBoolean(-1))
	case glua.TypeTable:
		return false, e.table(depth + 1)
	case glua.TypeNil:
		e.buf = append(e.buf, "null"...)
	case glua.TypeUserData:
		switch l.ToUserData(-1) {
		case Null:
			e.buf = append(e.buf, "null"...)
			return false, nil
		case EmptyArray:
			e.buf = append(e.buf, "[]"...)
			return false, nil
		}
		fallthrough
	default:
		if e.c.skipUnsupported != 0 {
			return true, nil
		}
		return false, serialiseError(l, -1, "type not supported")
	}
	return false, nil
}

func (e *encoder) table(depth int) error {
	l := e.l
	if depth > e.c.encodeMaxDepth || !l.CheckStack(4) {
		return fmt.Errorf("Cannot serialise, excessive nesting (%d)", depth)
	}
	asArray, emptyArrayMT := e.marks()
	if asArray {
		return e.array(depth, l.RawLength(-1))
	}
	n, err := e.arrayLength()
	if err != nil {
		return err
	}
	if n > 0 || (n == 0 && e.c.emptyTableObject == 0) || (n <= 0 && emptyArrayMT) {
		return e.array(depth, n)
	}
	return e.object(depth)
}

// marks tells whether the table on top is marked as an array (cjson.array_mt or any __len
// metamethod) and whether its metatable is cjson.empty_array_mt.
func (e *encoder) marks() (asArray, emptyArrayMT bool) {
	l := e.l
	if !l.MetaTable(-1) {
		return false, false
	}
	pushArrayMT(l)
	asArray = l.RawEqual(-1, -2)
	l.Pop(1)
	if !asArray {
		l.PushString("__len")
		l.RawGet(-2)
		asArray = !l.IsNil(-1)
		l.Pop(1)
	}
	pushEmptyArrayMT(l)
	emptyArrayMT = l.RawEqual(-1, -2)
	l.Pop(2)
	return asArray, emptyArrayMT
}

// arrayLength returns the array size of the table on top, or -1 when it must be an object
// (lua-cjson's lua_array_length, including the excessively sparse rule).
func (e *encoder) arrayLength() (int, error) {
	l := e.l
	maxKey, items := 0.0, 0
	l.PushNil()
	for l.Next(-2) {
		// ToNumber only on numbers: on a string key it would run go-lua's number parser.
		k := 0.0
		if l.TypeOf(-2) == glua.TypeNumber {
			k, _ = l.ToNumber(-2)
		}
		// Keys past the C int range (including inf) make lua-cjson's int max overflow; they end up
		// encoded as object keys, which is what happens here.
		if k < 1 || math.Floor(k) != k || k > math.MaxInt32 {
			l.Pop(2)
			return -1, nil
		}
		maxKey = max(maxKey, k)
		items++
		l.Pop(1)
	}
	c := e.c
	if c.sparseRatio > 0 && maxKey > float64(items)*float64(c.sparseRatio) && maxKey > float64(c.sparseSafe) {
		if c.sparseConvert == 0 {
			return 0, serialiseError(l, -1, "excessively sparse array")
		}
		return -1, nil
	}
	return int(maxKey), nil
}

func (e *encoder) array(depth, n int) error {
	l := e.l
	e.buf = append(e.buf, '[')
	comma := false
	for i := 1; i <= n; i++ {
		mark := len(e.buf)
		if comma {
			e.buf = append(e.buf, ',')
		}
		e.newline(depth)
		l.RawGetInt(-1, i)
		skipped, err := e.value(depth)
		if err != nil {
			return err
		}
		if skipped {
			e.buf = e.buf[:mark]
		} else {
			comma = true
		}
		l.Pop(1)
	}
	if comma {
		e.newline(depth - 1)
	}
	e.buf = append(e.buf, ']')
	return nil
}

// newline starts a new line indented depth times when encode_indent is set.
func (e *encoder) newline(depth int) {
	if e.c.indent == "" {
		return
	}
	e.buf = append(e.buf, '\n')
	for range depth {
		e.buf = append(e.buf, e.c.indent...)
	}
}

func (e *encoder) object(depth int) error {
	l := e.l
	e.buf = append(e.buf, '{')
	comma := false
	l.PushNil()
	for l.Next(-2) {
		mark := len(e.buf)
		if comma {
			e.buf = append(e.buf, ',')
		}
		e.newline(depth)
		switch l.TypeOf(-2) {
		case glua.TypeNumber:
			e.buf = append(e.buf, '"')
			if err := e.appendNumber(-2); err != nil {
				return err
			}
			e.buf = append(e.buf, '"')
		case glua.TypeString:
			k, _ := l.ToString(-2)
			e.appendString(k)
		default:
			return serialiseError(l, -2, "table key must be a number or string")
		}
		e.buf = append(e.buf, ':')
		if e.c.indent != "" {
			e.buf = append(e.buf, ' ')
		}
		skipped, err := e.value(depth)
		if err != nil {
			return err
		}
		if skipped {
			e.buf = e.buf[:mark]
		} else {
			comma = true
		}
		l.Pop(1)
	}
	if comma {
		e.newline(depth - 1)
	}
	e.buf = append(e.buf, '}')
	return nil
}

func (e *encoder) appendNumber(index int) error {
	f, _ := e.l.ToNumber(index)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		switch e.c.encodeInvalidNums {
		case 0:
			return serialiseError(e.l, index, "must not be NaN or Infinity")
		case 1:
			switch {
			case math.IsNaN(f):
				e.buf = append(e.buf, "NaN"...)
			case f < 0:
				e.buf = append(e.buf, "-Infinity"...)
			default:
				e.buf = append(e.buf, "Infinity"...)
			}
		default:
			e.buf = append(e.buf, "null"...)
		}
		return nil
	}
	e.buf = appendG(e.buf, f, e.c.precision)
	return nil
}

// appendG formats f as C's printf("%.<prec>g").
func appendG(buf []byte, f float64, prec int) []byte {
	return strconv.AppendFloat(buf, f, 'g', prec, 64)
}

func (e *encoder) appendString(s string) {
	e.buf = append(e.buf, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		esc := escapes[s[i]]
		if esc == "" || (s[i] == '/' && e.c.escapeSlash == 0) {
			continue
		}
		e.buf = append(e.buf, s[start:i]...)
		e.buf = append(e.buf, esc...)
		start = i + 1
	}
	e.buf = append(e.buf, s[start:]...)
	e.buf = append(e.buf, '"')
}
