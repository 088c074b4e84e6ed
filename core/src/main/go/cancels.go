package main

import "sync"

// maxEarlyCancels bounds the cancels remembered for calls that have not started. A cancel whose
// call never comes (it arrived just after its call ended) is forgotten after this many others.
const maxEarlyCancels = 256

// callRegistry knows the running calls by id, and the cancels that came before their call: the
// Java side hands out an id and may cancel it (a signal) in the moment before the call starts
// here. Such a cancel is kept, so the call starts cancelled instead of running to its end.
type callRegistry struct {
	mu      sync.Mutex
	running map[int64]*call
	early   map[int64]struct{}
	order   []int64 // early's ids, oldest first
}

func newCallRegistry() *callRegistry {
	return &callRegistry{running: map[int64]*call{}, early: map[int64]struct{}{}}
}

// start registers a call; one cancelled already is cancelled at once.
func (r *callRegistry) start(id int64, c *call) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.running[id] = c
	if _, ok := r.early[id]; ok {
		r.forget(id)
		c.cancel()
	}
}

// end forgets a call and any cancel kept for its id.
func (r *callRegistry) end(id int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.running, id)
	r.forget(id)
}

// cancel cancels the running call with this id, or keeps the cancel for when it starts.
func (r *callRegistry) cancel(id int64) {
	r.mu.Lock()
	c := r.running[id]
	if c == nil {
		if _, ok := r.early[id]; !ok {
			if len(r.order) >= maxEarlyCancels {
				r.forget(r.order[0])
			}
			r.early[id] = struct{}{}
			r.order = append(r.order, id)
		}
	}
	r.mu.Unlock()
	if c != nil {
		c.cancel()
	}
}

func (r *callRegistry) forget(id int64) {
	if _, ok := r.early[id]; !ok {
		return
	}
	delete(r.early, id)
	for i, v := range r.order {
		if v == id {
			r.order = append(r.order[:i], r.order[i+1:]...)
			break
		}
	}
}
