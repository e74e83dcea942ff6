package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Dialect says which reference interpreter a program is checked against.
type Dialect string

const (
	// Lua52 programs run under Debian's lua5.2.
	Lua52 Dialect = "lua5.2"
	// LuaJIT programs use LuaJIT/Lua 5.1 names (bit, unpack, loadstring, table.new...) and run
	// under luajit from Debian's luajit2 package (OpenResty's branch).
	LuaJIT Dialect = "luajit"
)

// Package names the Debian package that provides the dialect's reference interpreter.
func (d Dialect) Package() string {
	if d == LuaJIT {
		return "luajit2"
	}
	return "lua5.2"
}

// ErrNoReference reports that a dialect's reference interpreter is not installed.
var ErrNoReference = errors.New("reference interpreter not installed")

// Program is one corpus program.
type Program struct {
	// Name is the path below the corpus root without ".lua", e.g. "pat_find_init" or
	// "luajit/bit_logic"; tests use it as the subtest name.
	Name string
	// Dir is the directory holding the program and its .out file.
	Dir string
	// File is the base name of the program, e.g. "pat_find_init.lua". It is also the chunk
	// name: the reference runs "interpreter File" inside Dir, so messages read "File:line:".
	File string
	// Dialect selects the reference interpreter.
	Dialect Dialect
}

// Path is the program's file path.
func (p Program) Path() string { return filepath.Join(p.Dir, p.File) }

// OutPath is the path of the committed expected output.
func (p Program) OutPath() string {
	return filepath.Join(p.Dir, strings.TrimSuffix(p.File, ".lua")+".out")
}

// Source reads the program text.
func (p Program) Source() (string, error) {
	b, err := os.ReadFile(p.Path())
	if err != nil {
		return "", fmt.Errorf("corpus program %s: %w", p.Name, err)
	}
	return string(b), nil
}

// Expected reads the committed expected output.
func (p Program) Expected() (string, error) {
	b, err := os.ReadFile(p.OutPath())
	if err != nil {
		return "", fmt.Errorf("expected output of %s: %w", p.Name, err)
	}
	return string(b), nil
}

// Programs lists the programs under root: root/*.lua are Lua 5.2 programs and
// root/luajit/*.lua are LuaJIT programs. The result is sorted by Name.
func Programs(root string) ([]Program, error) {
	var progs []Program
	for _, d := range []struct {
		sub     string
		dialect Dialect
	}{{"", Lua52}, {"luajit", LuaJIT}} {
		dir := filepath.Join(root, d.sub)
		files, err := filepath.Glob(filepath.Join(dir, "*.lua"))
		if err != nil {
			return nil, fmt.Errorf("listing %s: %w", dir, err)
		}
		for _, f := range files {
			base := filepath.Base(f)
			name := strings.TrimSuffix(base, ".lua")
			if d.sub != "" {
				name = d.sub + "/" + name
			}
			progs = append(progs, Program{Name: name, Dir: dir, File: base, Dialect: d.dialect})
		}
	}
	if len(progs) == 0 {
		return nil, fmt.Errorf("no Lua programs under %s", root)
	}
	sort.Slice(progs, func(i, j int) bool { return progs[i].Name < progs[j].Name })
	return progs, nil
}

// Interpreter finds the reference interpreter of d on PATH. For LuaJIT it also checks that the
// binary is OpenResty's luajit2 branch (Debian's plain luajit package is not the reference).
// A missing interpreter gives an error wrapping ErrNoReference that names the package.
func Interpreter(ctx context.Context, d Dialect) (string, error) {
	path, err := exec.LookPath(string(d))
	if err != nil {
		return "", fmt.Errorf("%s not found (apt-get install %s): %w", d, d.Package(), ErrNoReference)
	}
	if d == LuaJIT {
		probe := exec.CommandContext(ctx, path, "-e", `require "table.isempty"`)
		if out, err := probe.CombinedOutput(); err != nil {
			return "", fmt.Errorf("%s is not OpenResty's luajit2 branch (apt-get install luajit2): %v: %s: %w",
				path, err, bytes.TrimSpace(out), ErrNoReference)
		}
	}
	return path, nil
}

// Reference runs p under interpreter (from Interpreter) in p.Dir with TZ=UTC and the C locale,
// and returns what it printed. A program that exits with an error is reported with its stderr:
// every corpus program must run to completion under its reference.
func Reference(ctx context.Context, interpreter string, p Program) (string, error) {
	cmd := exec.CommandContext(ctx, interpreter, p.File)
	cmd.Dir = p.Dir
	cmd.Env = []string{"TZ=UTC", "LC_ALL=C", "PATH=/usr/bin:/bin"}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("%s %s: %w: %s", interpreter, p.Path(), err, bytes.TrimSpace(stderr.Bytes()))
	}
	return stdout.String(), nil
}
