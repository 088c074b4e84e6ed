package main

import (
	"context"
	"errors"
	"io"
	"os"
	"testing"

	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/klog/v2"
)

// TestKlogWritesNothingToStandardError logs as client-go does when a call is cancelled (errors
// through klog and through apimachinery's error handlers) and expects nothing on standard error.
func TestKlogWritesNothingToStandardError(t *testing.T) {
	read, write, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = write
	klog.Errorf("watch of %s ended: %v", "Deployment", context.Canceled)
	klog.ErrorS(context.Canceled, "an error from a reflector")
	klog.Warning("a warning")
	klog.Info("some information")
	utilruntime.HandleError(errors.New("context canceled"))
	klog.Flush()
	os.Stderr = stderr
	write.Close()
	out, err := io.ReadAll(read)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 0 {
		t.Fatalf("klog wrote to standard error:\n%s", out)
	}
}
