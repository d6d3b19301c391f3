package main

import (
	"fmt"
	"net/url"
	"strings"
)

// withSecureDelete returns FerretDB's SQLite URL with `_pragma=secure_delete(1)` added, and the
// directory it names.
//
// SQLite normally leaves a deleted row's bytes in the page's free space (and in the -wal file)
// until the space is reused; secure_delete overwrites them with zeros. The SQLite driver runs
// every `_pragma` of the URL on each new connection, and FerretDB passes the query on to the
// driver (internal/backends/sqlite/metadata/pool/uri.go), so every FerretDB connection has it.
func withSecureDelete(raw string) (sqliteURL string, dir string, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", err
	}
	if u.Scheme != "file" {
		return "", "", fmt.Errorf(`expected a "file:" URL, got %q`, raw)
	}
	dir = u.Path
	if dir == "" {
		dir = u.Opaque
	}
	if !strings.HasSuffix(dir, "/") {
		return "", "", fmt.Errorf(`expected a directory ending with "/", got %q`, dir)
	}
	query := u.Query()
	for _, pragma := range query["_pragma"] {
		if strings.HasPrefix(pragma, "secure_delete") {
			return "", "", fmt.Errorf("the SQLite URL sets secure_delete itself (%q); leave it to the launcher", pragma)
		}
	}
	query.Add("_pragma", "secure_delete(1)")
	u.RawQuery = query.Encode()
	u.OmitHost = true
	return u.String(), dir, nil
}
