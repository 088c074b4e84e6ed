package main

import (
	"io"

	"k8s.io/klog/v2"
)

// client-go logs through klog, which writes plain lines to the process's standard error: the
// Java side's, where `--log-format json` promises JSON only. What deployer needs of client-go
// (warnings, waits, errors) reaches it as events and results, so klog's own output is dropped.
func init() {
	klog.LogToStderr(false)
	klog.SetOutput(io.Discard)
}
