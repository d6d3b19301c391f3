package main

import (
	"net/url"
	"strings"
	"testing"
)

func TestWithLauncherPragmasAddsEachPragma(t *testing.T) {
	got, dir, err := withLauncherPragmas("file:/var/quorum/ferretdb/?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	if dir != "/var/quorum/ferretdb/" {
		t.Fatalf("dir = %q", dir)
	}
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	pragmas := u.Query()["_pragma"]
	want := append([]string{"busy_timeout(5000)"}, launcherPragmas...)
	if strings.Join(pragmas, " ") != strings.Join(want, " ") {
		t.Fatalf("pragmas = %v, want %v", pragmas, want)
	}
	for _, name := range []string{"secure_delete(", "synchronous(", "wal_autocheckpoint("} {
		if !strings.Contains(strings.Join(pragmas, " "), name) {
			t.Fatalf("no %s… among %v", name, pragmas)
		}
	}
}

func TestWithLauncherPragmasRefusesOnesItOwns(t *testing.T) {
	for _, raw := range []string{
		"file:data/?_pragma=secure_delete(0)",
		"file:data/?_pragma=wal_autocheckpoint(1000)",
	} {
		if _, _, err := withLauncherPragmas(raw); err == nil || !strings.Contains(err.Error(), "leave it to the launcher") {
			t.Fatalf("%s: err = %v", raw, err)
		}
	}
	if _, _, err := withLauncherPragmas("file:data"); err == nil {
		t.Fatal("a URL without a trailing slash was taken")
	}
}
