package main

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/util/wait"
)

// asCallError gives an error its kind, so that the Java side decides by kind and never by message.
func asCallError(c *call, err error) *callError {
	var ce *callError
	if errors.As(err, &ce) {
		return ce
	}
	return &callError{Kind: kindOf(c.ctx, err), Message: err.Error()}
}

// failed is an error of Helm's or client-go's with its kind.
func failed(c *call, err error) error {
	return asCallError(c, err)
}

// kindOf classifies an error by its type; a cancelled call is cancelled whatever the error says.
func kindOf(ctx context.Context, err error) string {
	switch {
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return kindCancelled
	case errors.Is(err, context.DeadlineExceeded) || wait.Interrupted(err):
		return kindTimeout
	case isUnreachable(err):
		return kindUnreachable
	case isConflict(err):
		return kindConflict
	}
	return kindFailed
}

// isUnreachable tells a failure to reach a server (refused, reset, no route, unknown host, a
// connection lost mid-answer) from an answer the server gave.
func isUnreachable(err error) bool {
	var dns *net.DNSError
	var op *net.OpError
	if errors.As(err, &dns) || errors.As(err, &op) {
		return true
	}
	for _, errno := range []syscall.Errno{syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.ETIMEDOUT} {
		if errors.Is(err, errno) {
			return true
		}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	// x/net's http2 transport reports a lost connection only as text.
	return strings.Contains(err.Error(), "http2: client connection lost")
}

// isConflict tells whether another writer holds what the operation needed: the API server's
// conflict or already-exists answers, or Helm's refusal while another operation is pending.
func isConflict(err error) bool {
	if apierrors.IsConflict(err) || apierrors.IsAlreadyExists(err) {
		return true
	}
	// Helm's errPending is not exported, so its text is all there is to know it by.
	return strings.Contains(err.Error(), "another operation (install/upgrade/rollback) is in progress")
}
