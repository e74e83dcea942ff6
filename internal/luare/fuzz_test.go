package luare

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

func FuzzRegex(f *testing.F) {
	for _, seed := range []struct{ pattern, subject, opts string }{
		{`(?<w>\w+), (\d+)`, "hello, 1234", ""},
		{`a*+b?+(?>c|d)\K\1?`, "aaacd", "i"},
		{`^(?:(?=a)|\b)$`, "a\nb\n", "m"},
		{`[[:alpha:]\d\Q]\E-]+`, "ab]-9", "x"},
		{`(?|(a)|(b))(?(1)c|d)`, "bd", "D"},
		{`\p{L}+\R?\h*`, "éa\r\n \t", "u"},
		{`(?i)σ|[à-é]`, "ΣÉ", "iu"},
		{`x{2,3}?\x{41}\101\cA`, "xxA", "s"},
		{`((((`, "", ""},
		{`(?<=a|bc)d`, "bcd", "J"},
	} {
		f.Add(seed.pattern, seed.subject, seed.opts)
	}
	f.Fuzz(func(t *testing.T, pattern, subject, opts string) {
		if len(opts) > 4 || len(pattern) > 200 || len(subject) > 1000 {
			return
		}
		re, err := Compile(pattern, opts)
		if err != nil {
			return
		}
		sub, err := re.Prepare(subject)
		if err != nil {
			require.True(t, re.flags.UTF8 && !utf8.ValidString(subject), "only invalid UTF-8 fails: %v", err)
			return
		}
		for pos := 0; pos <= len(subject); pos += 1 + len(subject)/4 {
			ovec, err := re.Exec(sub, pos)
			if err != nil || ovec == nil {
				continue
			}
			require.Len(t, ovec, 2*(re.NumCaptures()+1))
			for i := 0; i < len(ovec); i += 2 {
				if ovec[i] >= 0 {
					require.True(t, ovec[i] <= len(subject) && ovec[i+1] <= len(subject) && ovec[i+1] >= 0)
				}
			}
		}
		_, _, _ = re.Replace(sub, true, func(b *strings.Builder, ovec []int) error { return nil })
	})
}

// FuzzTemplate compiles any replacement template: it either expands without panicking or
// fails with nginx's log line.
func FuzzTemplate(f *testing.F) {
	for _, seed := range []string{"$0", "${1}x", "$$", "${12a}", "$name", "${", "a$", "$1$99999999999"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tpl, err := CompileTemplate(s)
		if err != nil {
			var te *TemplateError
			require.ErrorAs(t, err, &te)
			require.NotEmpty(t, te.Log)
			return
		}
		var b strings.Builder
		tpl.Expand(&b, "abcd", []int{0, 4, 1, 2})
		if !strings.Contains(s, "$") {
			require.Equal(t, s, b.String())
		}
	})
}
