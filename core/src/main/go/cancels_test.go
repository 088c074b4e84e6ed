package main

import (
	"context"
	"testing"
)

func newTestCall() *call {
	ctx, cancel := context.WithCancel(context.Background())
	return &call{ctx: ctx, cancel: cancel}
}

func TestACancelBeforeTheCallStartsCancelsItWhenItStarts(t *testing.T) {
	r := newCallRegistry()
	r.cancel(7)
	c := newTestCall()
	r.start(7, c)
	if c.ctx.Err() == nil {
		t.Fatal("a call cancelled before it started runs uncancelled")
	}
	r.end(7)
	if len(r.early) != 0 || len(r.order) != 0 || len(r.running) != 0 {
		t.Fatalf("the ended call is still known: running %v, early %v", r.running, r.early)
	}
}

func TestACancelOfARunningCallCancelsItAndNoOther(t *testing.T) {
	r := newCallRegistry()
	one, two := newTestCall(), newTestCall()
	r.start(1, one)
	r.start(2, two)
	r.cancel(1)
	if one.ctx.Err() == nil || two.ctx.Err() != nil {
		t.Fatalf("cancel(1): call 1 %v, call 2 %v", one.ctx.Err(), two.ctx.Err())
	}
	r.end(1)
	r.end(2)
	if len(r.early) != 0 {
		t.Fatalf("a cancel of a running call was kept: %v", r.early)
	}
}

func TestCancelsForCallsThatNeverStartAreBounded(t *testing.T) {
	r := newCallRegistry()
	for id := int64(1); id <= 3*maxEarlyCancels; id++ {
		r.cancel(id)
		r.cancel(id) // twice is kept once
	}
	if len(r.early) != maxEarlyCancels || len(r.order) != maxEarlyCancels {
		t.Fatalf("kept %d cancels (%d in order), want at most %d", len(r.early), len(r.order), maxEarlyCancels)
	}
	// The newest are the ones kept: a call about to start was cancelled last.
	c := newTestCall()
	r.start(3*maxEarlyCancels, c)
	if c.ctx.Err() == nil {
		t.Fatal("the newest early cancel was forgotten")
	}
	old := newTestCall()
	r.start(1, old)
	if old.ctx.Err() != nil {
		t.Fatal("the oldest early cancel was kept beyond the bound")
	}
}
