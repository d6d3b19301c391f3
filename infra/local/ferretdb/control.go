package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"sync"
	"time"
)

// Quorum controls the launcher through its standard input, one JSON command per line, and
// reads one JSON reply per command on standard output (nothing else is written there):
//
//	{"id":1,"op":"scrub"}  ->  {"id":1,"ok":true}  or  {"id":1,"ok":false,"error":"…"}
//	{"id":2,"op":"scrub","database":"t_acme"}
//
// "scrub" checkpoints every database (checkpointAll), or only the one named (a tenant's
// meeting content lives in the tenant's database alone, and checkpointing the others, written
// all the time by jobs and sessions, would only make the scrub longer). The end of standard input means Quorum
// has gone, however it ended, and the launcher stops.
type command struct {
	ID       json.RawMessage `json:"id"`
	Op       string          `json:"op"`
	Database string          `json:"database,omitempty"`
}

type reply struct {
	ID    json.RawMessage `json:"id"`
	OK    bool            `json:"ok"`
	Error string          `json:"error,omitempty"`
}

type controller struct {
	dir          string
	scrubTimeout time.Duration
	out          *json.Encoder
	// Replies are written whole, one at a time; scrubs run one at a time.
	writeMu sync.Mutex
	scrubMu sync.Mutex
}

// serveCommands reads commands until in ends, then calls onEOF. Commands run on their own
// goroutines, so a long scrub never delays noticing that Quorum has gone.
func serveCommands(ctx context.Context, in io.Reader, out io.Writer, dir string, scrubTimeout time.Duration, onEOF func()) {
	c := &controller{dir: dir, scrubTimeout: scrubTimeout, out: json.NewEncoder(out)}
	scanner := bufio.NewScanner(in)
	for scanner.Scan() {
		var cmd command
		if err := json.Unmarshal(scanner.Bytes(), &cmd); err != nil {
			c.reply(reply{ID: json.RawMessage("null"), Error: "not a JSON command: " + err.Error()})
			continue
		}
		if len(cmd.ID) == 0 {
			cmd.ID = json.RawMessage("null")
		}
		go c.run(ctx, cmd)
	}
	onEOF()
}

func (c *controller) run(ctx context.Context, cmd command) {
	switch cmd.Op {
	case "scrub":
		c.scrubMu.Lock()
		var err error
		if cmd.Database == "" {
			err = checkpointAll(ctx, c.dir, c.scrubTimeout)
		} else {
			err = checkpointDatabase(ctx, c.dir, cmd.Database, c.scrubTimeout)
		}
		c.scrubMu.Unlock()
		if err != nil {
			c.reply(reply{ID: cmd.ID, Error: err.Error()})
			return
		}
		c.reply(reply{ID: cmd.ID, OK: true})
	default:
		c.reply(reply{ID: cmd.ID, Error: "unknown op " + cmd.Op})
	}
}

func (c *controller) reply(r reply) {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	_ = c.out.Encode(r)
}
