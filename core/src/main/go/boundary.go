// Package main is deployer's Helm engine: Helm v4's SDK behind a narrow C boundary that the Java
// side loads through JNA. Every call takes one JSON request and returns one JSON result; events
// (Helm's wait progress, warnings) go to a callback while the call runs. The engine installs no
// signal handler: deployer cancels a call through deployer_engine_cancel.
package main

/*
#include <stdlib.h>
typedef void (*deployer_event_fn)(long long call, const char *event);
static inline void deployer_emit(deployer_event_fn fn, long long call, const char *event) {
	if (fn != NULL) {
		fn(call, event);
	}
}
*/
import "C"

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"sync"
	"unsafe"

	"helm.sh/helm/v4/pkg/action"
)

// protocolVersion changes whenever a request or result changes shape incompatibly; the Java side
// refuses a library whose version it does not know.
const protocolVersion = 2

// call is one running request: its context, cancelled by deployer, and its event sink.
type call struct {
	ctx    context.Context
	cancel context.CancelFunc
	emit   func(event engineEvent)
}

var calls = newCallRegistry()

type operation func(c *call, raw []byte) (any, error)

var operations = map[string]operation{
	"version":          opVersion,
	"render":           typed(opRender),
	"upgrade":          typed(opUpgrade),
	"plan_upgrade":     typed(opPlanUpgrade),
	"rollback":         onRelease(opRollback),
	"uninstall":        onRelease(opUninstall),
	"history":          onRelease(opHistory),
	"mark_failed":      onRelease(opMarkFailed),
	"dependency_build": typed(opDependencyBuild),
	"package":          typed(opPackage),
	"lint":             typed(opLint),
}

//export deployer_engine_call
func deployer_engine_call(requestJSON *C.char, events C.deployer_event_fn, id C.longlong) *C.char {
	raw := []byte(C.GoString(requestJSON))
	ctx, cancel := context.WithCancel(context.Background())
	c := &call{ctx: ctx, cancel: cancel}
	var emitMu sync.Mutex
	c.emit = func(event engineEvent) {
		data, err := json.Marshal(event)
		if err != nil {
			return
		}
		text := C.CString(string(data))
		defer C.free(unsafe.Pointer(text))
		// One event at a time: the Java side need not be reentrant per call.
		emitMu.Lock()
		defer emitMu.Unlock()
		C.deployer_emit(events, id, text)
	}
	calls.start(int64(id), c)
	defer func() {
		calls.end(int64(id))
		cancel()
	}()
	out, _ := json.Marshal(dispatch(c, raw))
	return C.CString(string(out))
}

//export deployer_engine_cancel
func deployer_engine_cancel(id C.longlong) {
	calls.cancel(int64(id))
}

//export deployer_engine_free
func deployer_engine_free(p *C.char) {
	C.free(unsafe.Pointer(p))
}

// dispatch runs one request; a panic in Helm or here becomes an error, never a crash of the JVM.
func dispatch(c *call, raw []byte) (res result) {
	defer func() {
		if p := recover(); p != nil {
			res = result{Error: &callError{Kind: kindFailed, Message: fmt.Sprintf("engine panic: %v\n%s", p, debug.Stack())}}
		}
	}()
	var req request
	if err := json.Unmarshal(raw, &req); err != nil {
		return result{Error: &callError{Kind: kindInvalid, Message: "bad request: " + err.Error()}}
	}
	op, ok := operations[req.Op]
	if !ok {
		return result{Error: &callError{Kind: kindInvalid, Message: fmt.Sprintf("unknown operation %q", req.Op)}}
	}
	if err := c.ctx.Err(); err != nil {
		// Cancelled before it started: nothing is done, so nothing is left pending.
		return result{Error: &callError{Kind: "cancelled", Message: "cancelled before Helm started: " + err.Error()}}
	}
	value, err := op(c, raw)
	if err != nil {
		return result{Error: asCallError(c, err)}
	}
	return result{Result: value}
}

func decode(raw []byte, into any) error {
	if err := json.Unmarshal(raw, into); err != nil {
		return &callError{Kind: kindInvalid, Message: "bad request: " + err.Error()}
	}
	return nil
}

// typed is an operation that takes its request decoded.
func typed[T any](run func(c *call, req T) (any, error)) operation {
	return func(c *call, raw []byte) (any, error) {
		var req T
		if err := decode(raw, &req); err != nil {
			return nil, err
		}
		return run(c, req)
	}
}

// inCluster is a request that names a release's cluster (it embeds clusterRequest).
type inCluster interface {
	cluster() clusterRequest
}

func (r clusterRequest) cluster() clusterRequest { return r }

// onRelease is an operation on a release: its request decoded, its API server reached first.
func onRelease[T inCluster](run func(c *call, req T, cfg *action.Configuration) (any, error)) operation {
	return typed(func(c *call, req T) (any, error) {
		cfg, err := reachableConfig(c, req.cluster())
		if err != nil {
			return nil, err
		}
		return run(c, req, cfg)
	})
}

func main() {}
