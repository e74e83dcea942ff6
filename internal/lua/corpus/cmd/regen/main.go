// Command regen rewrites the expected outputs (.out files) of the Lua corpus by running every
// program under its reference interpreter (lua5.2, or luajit from the luajit2 package).
//
//	go run ./internal/lua/corpus/cmd/regen -root internal/lua/corpus/testdata [-run REGEXP]
//
// It stops with a non-zero status when an interpreter is missing or a program fails.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"
	"time"

	"github.com/goresty/goresty/internal/lua/corpus"
)

func main() {
	root := flag.String("root", "testdata", "corpus directory")
	run := flag.String("run", "", "only programs whose name matches this regular expression")
	flag.Parse()
	if err := regen(*root, *run); err != nil {
		fmt.Fprintln(os.Stderr, "regen:", err)
		os.Exit(1)
	}
}

func regen(root, run string) error {
	filter, err := regexp.Compile(run)
	if err != nil {
		return fmt.Errorf("-run %q: %w", run, err)
	}
	progs, err := corpus.Programs(root)
	if err != nil {
		return err
	}
	ctx := context.Background()
	interpreters := map[corpus.Dialect]string{}
	var failed []error
	written := 0
	for _, p := range progs {
		if !filter.MatchString(p.Name) {
			continue
		}
		interp, ok := interpreters[p.Dialect]
		if !ok {
			if interp, err = corpus.Interpreter(ctx, p.Dialect); err != nil {
				return err
			}
			interpreters[p.Dialect] = interp
		}
		if err := regenOne(ctx, interp, p); err != nil {
			failed = append(failed, err)
			continue
		}
		written++
	}
	fmt.Printf("regen: wrote %d expected outputs\n", written)
	return errors.Join(failed...)
}

func regenOne(ctx context.Context, interp string, p corpus.Program) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out, err := corpus.Reference(ctx, interp, p)
	if err != nil {
		return err
	}
	if err := os.WriteFile(p.OutPath(), []byte(out), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", p.OutPath(), err)
	}
	return nil
}
