// Package internal holds private helpers shared by several goresty packages.
package internal
