package main

import (
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the same SQLite build FerretDB uses
)

// FerretDB's SQLite backend keeps each database in one file, <dir>/<database>.sqlite (with
// -wal and -shm files beside it while open), each collection in a table, and the list of its
// collections in this table (metadataTableName in internal/backends/sqlite/metadata/registry.go).
const metadataTable = "_ferretdb_collections"

// databaseFiles lists the database files in FerretDB's directory.
func databaseFiles(dir string) ([]string, error) {
	return filepath.Glob(filepath.Join(dir, "*.sqlite"))
}

// openDatabaseFile opens the launcher's own connection to one database file.
//
// mode=rw: a file that FerretDB dropped a moment ago must not be created again.
// The connection is meant to be short-lived: FerretDB's dropDatabase removes the file while
// only its own connections are closed, so a connection held open across a drop would keep the
// old -wal file alive beside a database of the same name created later.
//
// busyTimeout is how long one statement waits for a lock FerretDB holds (FerretDB's own
// connections wait up to 10 s).
func openDatabaseFile(path string, busyTimeout time.Duration) (*sql.DB, error) {
	query := url.Values{}
	query.Set("mode", "rw")
	query.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	u := url.URL{Scheme: "file", Opaque: path, RawQuery: query.Encode()}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}
