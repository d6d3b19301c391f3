package main

import (
	"fmt"
	"net/url"
	"strings"
)

// sqliteDir returns the directory FerretDB's SQLite URL names, where it keeps its databases.
func sqliteDir(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	if u.Scheme != "file" {
		return "", fmt.Errorf(`expected a "file:" URL, got %q`, raw)
	}
	dir := u.Path
	if dir == "" {
		dir = u.Opaque
	}
	if !strings.HasSuffix(dir, "/") {
		return "", fmt.Errorf(`expected a directory ending with "/", got %q`, dir)
	}
	return dir, nil
}
