package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The fixtures the Java side's EngineProtocolTest reads too: a field renamed on one side only
// fails one of the two tests.
const fixtures = "../../test/resources/engine-protocol"

// protocolTypes is each fixture's Go type, by file name.
var protocolTypes = map[string]func() any{
	"version.result.json":           func() any { return &versionResult{} },
	"render.request.json":           func() any { return &renderRequest{} },
	"render.result.json":            func() any { return &renderResult{} },
	"upgrade.request.json":          func() any { return &upgradeRequest{} },
	"upgrade.result.json":           func() any { return &upgradeResult{} },
	"plan_upgrade.request.json":     func() any { return &upgradeRequest{} },
	"plan_upgrade.result.json":      func() any { return &planUpgradeResult{} },
	"rollback.request.json":         func() any { return &rollbackRequest{} },
	"rollback.result.json":          func() any { return &rollbackResult{} },
	"uninstall.request.json":        func() any { return &uninstallRequest{} },
	"uninstall.result.json":         func() any { return &uninstallResult{} },
	"history.request.json":          func() any { return &historyRequest{} },
	"history.result.json":           func() any { return &historyResult{} },
	"mark_failed.request.json":      func() any { return &markFailedRequest{} },
	"mark_failed.result.json":       func() any { return &markFailedResult{} },
	"dependency_build.request.json": func() any { return &dependencyRequest{} },
	"dependency_build.result.json":  func() any { return &dependencyResult{} },
	"package.request.json":          func() any { return &packageRequest{} },
	"package.result.json":           func() any { return &packageResult{} },
	"lint.request.json":             func() any { return &lintRequest{} },
	"lint.result.json":              func() any { return &lintResult{} },
	"error.json":                    func() any { return &callError{} },
	"event.json":                    func() any { return &engineEvent{} },
}

// TestProtocolFixtures decodes each fixture strictly into its Go type and encodes it again: every
// field of the fixture is a field of the type, under the same name, and nothing is added.
func TestProtocolFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(fixtures, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in %s: %v", fixtures, err)
	}
	seen := map[string]bool{}
	for _, file := range files {
		name := filepath.Base(file)
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			newValue, ok := protocolTypes[name]
			if !ok {
				t.Fatalf("fixture %s has no Go type", name)
			}
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var want map[string]any
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(name, ".request.json") {
				op := strings.TrimSuffix(name, ".request.json")
				if want["op"] != op {
					t.Fatalf("op = %v, want %q", want["op"], op)
				}
				if _, ok := operations[op]; !ok {
					t.Fatalf("no operation %q", op)
				}
				// "op" is the envelope's; the operation decodes the rest.
				delete(want, "op")
			}
			body, _ := json.Marshal(want)
			value := newValue()
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.DisallowUnknownFields()
			if err := dec.Decode(value); err != nil {
				t.Fatalf("decode: %v", err)
			}
			again, _ := json.Marshal(value)
			var got map[string]any
			if err := json.Unmarshal(again, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("encoded again:\n%s\nfixture:\n%s", again, body)
			}
		})
	}
	for name := range protocolTypes {
		if !seen[name] {
			t.Errorf("no fixture %s", name)
		}
	}
	for op := range operations {
		if op != "version" && !seen[op+".request.json"] {
			t.Errorf("operation %s has no request fixture", op)
		}
		if !seen[op+".result.json"] {
			t.Errorf("operation %s has no result fixture", op)
		}
	}
}
