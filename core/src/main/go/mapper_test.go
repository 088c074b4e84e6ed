package main

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// lateMapper knows a kind only after it was reset a number of times, as discovery lists a new
// CRD's kinds a while after the CRD is Established.
type lateMapper struct {
	meta.ResettableRESTMapper
	resetsNeeded int
	resets       int
}

func (l *lateMapper) Reset() { l.resets++ }

func (l *lateMapper) RESTMapping(gk schema.GroupKind, versions ...string) (*meta.RESTMapping, error) {
	if l.resets < l.resetsNeeded {
		return nil, &meta.NoKindMatchError{GroupKind: gk}
	}
	return &meta.RESTMapping{GroupVersionKind: gk.WithVersion("v1")}, nil
}

func patient(base *lateMapper, defined bool) *patientMapper {
	return &patientMapper{
		ResettableRESTMapper: base,
		defined:              func(schema.GroupKind) bool { return defined },
		patience:             2 * time.Second,
		pause:                time.Millisecond,
	}
}

func TestAKindOfAnExistingCRDIsMappedOnceDiscoveryListsIt(t *testing.T) {
	base := &lateMapper{resetsNeeded: 3}
	mapping, err := patient(base, true).RESTMapping(schema.GroupKind{Group: "shop.example.com", Kind: "Widget"}, "v1")
	if err != nil || mapping.GroupVersionKind.Kind != "Widget" {
		t.Fatalf("mapping %v, error %v", mapping, err)
	}
	if base.resets != 3 {
		t.Fatalf("asked discovery again %d times, want 3", base.resets)
	}
}

func TestAKindNoCRDDefinesFailsAtOnce(t *testing.T) {
	base := &lateMapper{resetsNeeded: 1}
	_, err := patient(base, false).RESTMapping(schema.GroupKind{Group: "shop.example.com", Kind: "Gadget"}, "v1")
	if !meta.IsNoMatchError(err) || base.resets != 0 {
		t.Fatalf("error %v after %d resets, want a no-match error at once", err, base.resets)
	}
}

func TestAKindStillUnknownAfterThePatienceFails(t *testing.T) {
	base := &lateMapper{resetsNeeded: 1 << 30}
	m := patient(base, true)
	m.patience = 50 * time.Millisecond
	_, err := m.RESTMapping(schema.GroupKind{Group: "shop.example.com", Kind: "Widget"}, "v1")
	if !meta.IsNoMatchError(err) {
		t.Fatalf("error %v, want a no-match error", err)
	}
}

func TestTheAPIServersWarningsReachTheCall(t *testing.T) {
	var got []string
	w := apiWarnings{warn: func(text string) { got = append(got, text) }}
	w.HandleWarningHeader(299, "", "shop.example.com/v1alpha1 Gadget is deprecated; use v1")
	w.HandleWarningHeader(299, "", "")
	if len(got) != 1 || got[0] != "shop.example.com/v1alpha1 Gadget is deprecated; use v1" {
		t.Fatalf("warnings %q", got)
	}
}
