package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// TestErrorKinds: the Java side decides by these kinds, so each is told by the error's type.
func TestErrorKinds(t *testing.T) {
	refused := &url.Error{Op: "Get", URL: "https://127.0.0.1:1/version", Err: &net.OpError{
		Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name string
		ctx  context.Context
		err  error
		want string
	}{
		{"refused", context.Background(), fmt.Errorf("kubernetes cluster unreachable: %w", refused), kindUnreachable},
		{"unknown host", context.Background(), &net.DNSError{Err: "no such host", Name: "api.example", IsNotFound: true}, kindUnreachable},
		{"reset", context.Background(), fmt.Errorf("read: %w", syscall.ECONNRESET), kindUnreachable},
		{"deadline", context.Background(), errors.Join(errors.New("resource x not ready"), context.DeadlineExceeded), kindTimeout},
		{"cancelled call", cancelled, errors.New("anything"), kindCancelled},
		{"conflict", context.Background(), apierrors.NewConflict(schema.GroupResource{Resource: "secrets"}, "sh.helm.release.v1.a.v1", errors.New("changed")), kindConflict},
		{"helm pending", context.Background(), errors.New("another operation (install/upgrade/rollback) is in progress"), kindConflict},
		{"other", context.Background(), errors.New("template: x: nil pointer"), kindFailed},
	}
	for _, tc := range cases {
		if got := kindOf(tc.ctx, tc.err); got != tc.want {
			t.Errorf("%s: kindOf = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestTimeoutIsAlwaysGiven: the default timeout is deployer's (Release.Deployment), so the
// engine refuses a request without one instead of assuming its own.
func TestTimeoutIsAlwaysGiven(t *testing.T) {
	if _, _, err := waiting("watcher", 0); err == nil || asCallError(&call{ctx: context.Background()}, err).Kind != kindInvalid {
		t.Errorf("timeout_ms 0: err = %v, want an invalid request", err)
	}
	if _, limit, err := waiting("watcher", 1500); err != nil || limit.Milliseconds() != 1500 {
		t.Errorf("timeout_ms 1500: %v, %v", limit, err)
	}
}
