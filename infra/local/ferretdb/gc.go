package main

import (
	"os"
	"runtime/debug"
)

// tuneGarbageCollector lets FerretDB's heap grow to four times what is live between
// collections (Go's default is twice). FerretDB decodes every document it reads into many
// small objects; with the default the collector took 12% of its CPU while growing a tenant
// (perf). Its live heap is tens of megabytes, so the cost is memory it can spare; a soft limit
// of 1 GiB makes the collector run sooner if the heap ever nears it. GOGC or GOMEMLIMIT in the
// environment win.
func tuneGarbageCollector() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(300)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1 << 30)
	}
}
