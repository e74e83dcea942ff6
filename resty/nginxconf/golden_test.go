package nginxconf

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the parser's output")

// goldenCases lists testdata/*.conf; each has a .golden file beside it.
func goldenCases(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/*.conf")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

// TestGolden parses each testdata/*.conf with ParseFile and compares the
// canonical form and the positioned tree, or the error, with its .golden file.
func TestGolden(t *testing.T) {
	for _, conf := range goldenCases(t) {
		t.Run(filepath.Base(conf), func(t *testing.T) {
			got := renderGolden(conf)
			golden := strings.TrimSuffix(conf, ".conf") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update to create it")
			assert.Equal(t, string(want), got)
		})
	}
}

// TestGoldenRoundTrip checks that the canonical form of each golden case
// parses back to the same tree.
func TestGoldenRoundTrip(t *testing.T) {
	for _, conf := range goldenCases(t) {
		ds, err := ParseFile(conf)
		if err != nil {
			continue
		}
		t.Run(filepath.Base(conf), func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, Format(&b, ds))
			again, err := Parse(strings.NewReader(b.String()), "formatted")
			require.NoError(t, err, b.String())
			assert.Equal(t, shape(ds), shape(again))
		})
	}
}

func renderGolden(conf string) string {
	ds, err := ParseFile(conf)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	var b strings.Builder
	b.WriteString("== canonical ==\n")
	if err := Format(&b, ds); err != nil {
		return "format error: " + err.Error() + "\n"
	}
	b.WriteString("== tree ==\n")
	dump(&b, ds, 0)
	return b.String()
}

// dump writes one directive per line with its position, its arguments Go-quoted
// (those with variables marked "[var]"), and Lua sources line by line with
// the configuration line each Lua line maps to.
func dump(b *strings.Builder, ds []*Directive, depth int) {
	indent := strings.Repeat("  ", depth)
	for _, d := range ds {
		fmt.Fprintf(b, "%s%s %q", indent, d.Pos(), d.Name)
		for i, a := range d.Args {
			fmt.Fprintf(b, " %q", a)
			if d.ArgHasVars(i) {
				b.WriteString("[var]")
			}
		}
		switch {
		case d.Lua != nil:
			fmt.Fprintf(b, " lua@%d\n", d.Lua.Line)
			for i, l := range strings.Split(d.Lua.Source, "\n") {
				fmt.Fprintf(b, "%s  %d| %q\n", indent, d.Lua.ConfigLine(i+1), l)
			}
		case d.HasBlock:
			fmt.Fprintf(b, " {\n")
			dump(b, d.Block, depth+1)
			fmt.Fprintf(b, "%s}\n", indent)
		default:
			b.WriteString(";\n")
		}
	}
}

// node is a directive without its position, for comparing trees.
type node struct {
	Name     string
	Args     []string
	HasBlock bool
	Lua      *string
	Block    []node
}

func shape(ds []*Directive) []node {
	var out []node
	for _, d := range ds {
		n := node{Name: d.Name, Args: d.Args, HasBlock: d.HasBlock, Block: shape(d.Block)}
		if d.Lua != nil {
			src := d.Lua.Source
			n.Lua = &src
		}
		out = append(out, n)
	}
	return out
}
