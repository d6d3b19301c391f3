package main

import (
	"fmt"
	"net/url"
	"strings"
)

// launcherPragmas are the SQLite settings the launcher adds to FerretDB's URL. The SQLite driver
// runs every `_pragma` of the URL on each new connection, and FerretDB passes the query on to the
// driver (internal/backends/sqlite/metadata/pool/uri.go), so every FerretDB connection has them.
// FerretDB itself adds busy_timeout(10000), journal_mode(wal) and auto_vacuum(none), and leaves
// `synchronous` at SQLite's default, FULL.
var launcherPragmas = []string{
	// SQLite normally leaves a deleted row's bytes in the page's free space (and in the -wal
	// file) until the space is reused; secure_delete overwrites them with zeros.
	"secure_delete(1)",
	// FerretDB runs every statement (each insert, update or delete of a bulk) as its own
	// transaction; with synchronous=FULL each of those commits waits for an fsync of the -wal
	// file. In WAL mode NORMAL syncs only when the -wal file is checkpointed into the database.
	// What that risks, plainly: a process kill or crash (FerretDB's or Quorum's) loses nothing,
	// since every commit is in the -wal file the moment it returns; a power loss or an operating
	// system crash can lose the last transactions committed before it (never corrupting the
	// database). The deletion scrub (checkpoint.go) is unaffected: what it removes from the
	// files is removed from what every reader of the files sees.
	"synchronous(normal)",
	// SQLite copies the -wal file into the database file (a checkpoint, with an fsync of each
	// file) whenever a commit leaves it over wal_autocheckpoint pages: 1,000 (4 MB) by default,
	// which a purge writes in well under a second (secure_delete zeroes every freed page, so each
	// deleted transcript chunk adds several pages). 20,000 pages (80 MB) checkpoint a twentieth
	// as often; the deletion scrub checkpoints on its own anyway. Purges of copies of a
	// 10,060-meeting folder, taken in turn: 68.3 and 69.0 s at 1,000 pages, 58.5 and 63.0 s at
	// 20,000; hours later, on the same machine slowed by other work, 79.5 and 80.5 s against
	// 79.1 and 74.3 s. At 50,000 the scrub's checkpoints took twice as long (purge 70-74 s).
	"wal_autocheckpoint(20000)",
}

// withLauncherPragmas returns FerretDB's SQLite URL with launcherPragmas added, and the
// directory it names. A URL that sets one of them itself is refused: the launcher owns them.
func withLauncherPragmas(raw string) (sqliteURL string, dir string, err error) {
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
		for _, ours := range launcherPragmas {
			name := ours[:strings.Index(ours, "(")]
			if strings.HasPrefix(pragma, name) {
				return "", "", fmt.Errorf("the SQLite URL sets %s itself (%q); leave it to the launcher", name, pragma)
			}
		}
	}
	for _, pragma := range launcherPragmas {
		query.Add("_pragma", pragma)
	}
	u.RawQuery = query.Encode()
	u.OmitHost = true
	return u.String(), dir, nil
}
