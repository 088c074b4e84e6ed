package main

import (
	"context"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
)

// A CRD reports Established before the API server's discovery lists its kinds: the two are
// updated by separate controllers. Helm waits for Established after installing a chart's CRDs,
// resets its REST mapper, and then maps the chart's custom resources; under load that mapping can
// still fail with "no matches for kind". patientMapper closes that gap: when a kind is unknown but
// a CRD defining it exists, it asks discovery again for a bounded time. A kind no CRD defines
// fails at once, so a real mistake (or a build that renders custom resources before their CRD is
// installed) is not delayed.
type patientMapper struct {
	meta.ResettableRESTMapper
	// defined tells whether a CRD in the cluster defines the kind.
	defined  func(gk schema.GroupKind) bool
	patience time.Duration
	pause    time.Duration
}

func newPatientMapper(mapper meta.ResettableRESTMapper, config *rest.Config) *patientMapper {
	config = rest.CopyConfig(config)
	return &patientMapper{
		ResettableRESTMapper: mapper,
		defined:              func(gk schema.GroupKind) bool { return crdDefines(config, gk) },
		patience:             discoveryPatience,
		pause:                250 * time.Millisecond,
	}
}

const discoveryPatience = 30 * time.Second

func (m *patientMapper) RESTMapping(gk schema.GroupKind, versions ...string) (*meta.RESTMapping, error) {
	mapping, err := m.ResettableRESTMapper.RESTMapping(gk, versions...)
	if err == nil || !m.worthWaiting(gk, err) {
		return mapping, err
	}
	deadline := time.Now().Add(m.patience)
	for time.Now().Before(deadline) {
		time.Sleep(m.pause)
		m.Reset()
		mapping, err = m.ResettableRESTMapper.RESTMapping(gk, versions...)
		if err == nil || !meta.IsNoMatchError(err) {
			return mapping, err
		}
	}
	return mapping, err
}

func (m *patientMapper) RESTMappings(gk schema.GroupKind, versions ...string) ([]*meta.RESTMapping, error) {
	mappings, err := m.ResettableRESTMapper.RESTMappings(gk, versions...)
	if err == nil || !m.worthWaiting(gk, err) {
		return mappings, err
	}
	if _, err := m.RESTMapping(gk, versions...); err != nil {
		return nil, err
	}
	return m.ResettableRESTMapper.RESTMappings(gk, versions...)
}

// worthWaiting is true for an unknown kind of an API group that a CRD in the cluster defines.
func (m *patientMapper) worthWaiting(gk schema.GroupKind, err error) bool {
	return meta.IsNoMatchError(err) && gk.Group != "" && m.defined(gk)
}

// crdDefines is true when a CRD in the cluster defines the kind.
func crdDefines(config *rest.Config, gk schema.GroupKind) bool {
	client, cerr := dynamic.NewForConfig(config)
	if cerr != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	crds := schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	list, lerr := client.Resource(crds).List(ctx, metav1.ListOptions{})
	if lerr != nil {
		return false
	}
	for _, crd := range list.Items {
		spec, _ := crd.Object["spec"].(map[string]any)
		names, _ := spec["names"].(map[string]any)
		if spec["group"] == gk.Group && names["kind"] == gk.Kind {
			return true
		}
	}
	return false
}
