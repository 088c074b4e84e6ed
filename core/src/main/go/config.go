package main

import (
	"context"
	"log/slog"
	"strings"
	"sync"

	"helm.sh/helm/v4/pkg/action"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// memoryGetter is a RESTClientGetter over kubeconfig contents, as Helm's CLI has one over files.
type memoryGetter struct {
	loader clientcmd.ClientConfig

	once      sync.Once
	config    *rest.Config
	discovery discovery.CachedDiscoveryInterface
	mapper    meta.RESTMapper
	err       error

	// warn receives the API server's warnings (a deprecated API version, an unknown field) for
	// the call's events; without it client-go would print them to standard error itself.
	warn func(text string)
}

// apiWarnings hands the API server's Warning headers to a call as events.
type apiWarnings struct{ warn func(string) }

func (w apiWarnings) HandleWarningHeader(_ int, _ string, text string) {
	if w.warn != nil && text != "" {
		w.warn(text)
	}
}

var _ genericclioptions.RESTClientGetter = (*memoryGetter)(nil)

func newMemoryGetter(req clusterRequest) (*memoryGetter, error) {
	if strings.TrimSpace(req.Kubeconfig) == "" {
		return nil, &callError{Kind: kindInvalid, Message: "no kubeconfig given"}
	}
	raw, err := clientcmd.Load([]byte(req.Kubeconfig))
	if err != nil {
		return nil, &callError{Kind: kindInvalid, Message: "kubeconfig: " + err.Error()}
	}
	overrides := &clientcmd.ConfigOverrides{Context: clientcmdapi.Context{Namespace: req.Namespace}}
	return &memoryGetter{loader: clientcmd.NewDefaultClientConfig(*raw, overrides)}, nil
}

func (g *memoryGetter) init() error {
	g.once.Do(func() {
		cfg, err := g.loader.ClientConfig()
		if err != nil {
			g.err = err
			return
		}
		// Helm's CLI defaults; many releases at once must not throttle each other.
		cfg.QPS = 50
		cfg.Burst = 100
		cfg.WarningHandler = apiWarnings{warn: g.warn}
		dc, err := discovery.NewDiscoveryClientForConfig(cfg)
		if err != nil {
			g.err = err
			return
		}
		g.config = cfg
		g.discovery = memory.NewMemCacheClient(dc)
		expander := restmapper.NewShortcutExpander(restmapper.NewDeferredDiscoveryRESTMapper(g.discovery), g.discovery, nil)
		if resettable, ok := expander.(meta.ResettableRESTMapper); ok {
			g.mapper = newPatientMapper(resettable, cfg)
		} else {
			g.mapper = expander
		}
	})
	return g.err
}

func (g *memoryGetter) ToRESTConfig() (*rest.Config, error) {
	if err := g.init(); err != nil {
		return nil, err
	}
	return rest.CopyConfig(g.config), nil
}

func (g *memoryGetter) ToDiscoveryClient() (discovery.CachedDiscoveryInterface, error) {
	if err := g.init(); err != nil {
		return nil, err
	}
	return g.discovery, nil
}

func (g *memoryGetter) ToRESTMapper() (meta.RESTMapper, error) {
	if err := g.init(); err != nil {
		return nil, err
	}
	return g.mapper, nil
}

func (g *memoryGetter) ToRawKubeConfigLoader() clientcmd.ClientConfig { return g.loader }

// actionConfig is Helm's action configuration for one call: the release's cluster and namespace,
// Secret storage (Helm's default, so helm v3 and v4 read the records), and Helm's log records
// turned into events.
func actionConfig(c *call, req clusterRequest) (*action.Configuration, error) {
	if req.Namespace == "" {
		return nil, &callError{Kind: kindInvalid, Message: "no namespace given"}
	}
	getter, err := newMemoryGetter(req)
	if err != nil {
		return nil, err
	}
	getter.warn = func(text string) {
		c.emit(engineEvent{Type: eventWarning, Level: "warn", Message: text})
	}
	cfg := action.NewConfiguration(action.ConfigurationSetLogger(&eventHandler{emit: c.emit}))
	if err := cfg.Init(getter, req.Namespace, "secret"); err != nil {
		return nil, err
	}
	return cfg, nil
}

// reachableConfig is actionConfig for an operation on a release: it fails at once, of kind
// unreachable and with Helm's words for the cause, when the API server cannot be reached.
func reachableConfig(c *call, req clusterRequest) (*action.Configuration, error) {
	cfg, err := actionConfig(c, req)
	if err != nil {
		return nil, err
	}
	if err := cfg.KubeClient.IsReachable(); err != nil {
		// Helm's own check: whatever stopped it (refused, unknown host, bad credentials, a
		// certificate) means the release's cluster cannot be worked on.
		kind := kindOf(c.ctx, err)
		if kind != kindCancelled && kind != kindTimeout {
			kind = kindUnreachable
		}
		return nil, &callError{Kind: kind, Message: err.Error()}
	}
	return cfg, nil
}

// eventHandler forwards Helm's log records as events: while Helm waits it logs the resource it
// waits for, which deployer shows as progress.
type eventHandler struct {
	emit  func(engineEvent)
	attrs []slog.Attr
}

func (h *eventHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *eventHandler) Handle(_ context.Context, r slog.Record) error {
	fields := map[string]string{}
	for _, a := range h.attrs {
		fields[a.Key] = a.Value.String()
	}
	r.Attrs(func(a slog.Attr) bool {
		fields[a.Key] = a.Value.Resolve().String()
		return true
	})
	event := engineEvent{Type: eventLog, Level: strings.ToLower(r.Level.String()), Message: r.Message, Fields: fields}
	if r.Message == "waiting for resource" {
		event.Type = eventWaiting
	}
	h.emit(event)
	return nil
}

func (h *eventHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &eventHandler{emit: h.emit, attrs: append(append([]slog.Attr{}, h.attrs...), attrs...)}
}

func (h *eventHandler) WithGroup(string) slog.Handler { return h }
