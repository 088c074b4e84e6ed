package main

import (
	"log/slog"

	"k8s.io/klog/v2"
)

// client-go logs through klog, which writes plain lines to the process's standard error: the
// Java side's, where `--log-format json` promises JSON only. What deployer needs of client-go
// (warnings, waits, errors) reaches it as events and results, so klog's output is dropped. klog
// gives every line to a logger once one is set; redirecting only its output is not enough, as it
// still copies errors (`E1207 ... context canceled` after a cancel) to standard error.
func init() {
	klog.SetSlogLogger(slog.New(slog.DiscardHandler))
}
