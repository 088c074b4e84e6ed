package main

// The engine's protocol, in one place: every request and result an operation takes and gives,
// the error kinds, the lint severities and the event shape. The Java side mirrors each of these
// as a record (dev.deployer.core.helm.EngineProtocol); the fixtures in
// core/src/test/resources/engine-protocol are read by both sides' tests, so a field renamed on
// one side only fails a test.

// Error kinds: what the Java side decides on, never the message.
const (
	// kindInvalid: the request itself is wrong (a missing field, an unknown wait strategy).
	kindInvalid = "invalid"
	// kindRender: the chart could not be loaded or rendered.
	kindRender = "render"
	// kindNotFound: no such release or revision.
	kindNotFound = "not_found"
	// kindFailed: Helm's operation failed for any other reason.
	kindFailed = "failed"
	// kindCancelled: deployer cancelled the call.
	kindCancelled = "cancelled"
	// kindTimeout: the operation's own timeout ran out (Helm's wait, a hook).
	kindTimeout = "timeout"
	// kindUnreachable: the API server could not be reached.
	kindUnreachable = "unreachable"
	// kindConflict: another writer holds the release or the object (a pending operation, a
	// resourceVersion conflict, an object that already exists).
	kindConflict = "conflict"
)

// Lint severities.
const (
	severityError   = "error"
	severityWarning = "warning"
	severityInfo    = "info"
)

// Event types.
const (
	eventLog     = "log"
	eventWaiting = "waiting"
	eventWarning = "warning"
)

// request is what every call has in common; the operation decodes the rest itself.
type request struct {
	Op string `json:"op"`
}

// result is the envelope of every answer: exactly one of Error or Result is set.
type result struct {
	Result any        `json:"result,omitempty"`
	Error  *callError `json:"error,omitempty"`
}

type callError struct {
	// Kind is one of the kind constants above.
	Kind    string `json:"kind"`
	Message string `json:"message"`
	// Release is the release as Helm left it after a failed operation, when there is one.
	Release *releaseInfo `json:"release,omitempty"`
}

func (e *callError) Error() string { return e.Message }

// engineEvent is something the engine reports while a call runs.
type engineEvent struct {
	Type    string            `json:"type"`
	Level   string            `json:"level"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// clusterRequest names the cluster and namespace of an operation on a release. The kubeconfig is
// handed over in memory: nothing with credentials is written to disk.
type clusterRequest struct {
	Kubeconfig string `json:"kubeconfig"`
	Namespace  string `json:"namespace"`
}

// chartRequest is a local chart (directory or .tgz) and the values to render it with.
type chartRequest struct {
	Chart        string         `json:"chart"`
	ValuesFiles  []string       `json:"values_files"`
	PostRenderer *postRenderCmd `json:"post_renderer,omitempty"`
}

// postRenderCmd runs a command over the rendered manifests, as Helm 3's --post-renderer did:
// the manifests on its standard input, the result on its standard output.
type postRenderCmd struct {
	Command string   `json:"command"`
	Args    []string `json:"args"`
	Dir     string   `json:"dir"`
}

// releaseInfo is one revision of a release as Helm recorded it.
type releaseInfo struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
	Revision  int    `json:"revision"`
	// Status is Helm's own word (deployed, superseded, failed, pending-install, ...).
	Status        string            `json:"status"`
	Description   string            `json:"description"`
	ChartName     string            `json:"chart_name"`
	ChartVersion  string            `json:"chart_version"`
	AppVersion    string            `json:"app_version"`
	FirstDeployed string            `json:"first_deployed,omitempty"`
	LastDeployed  string            `json:"last_deployed,omitempty"`
	Manifest      string            `json:"manifest"`
	Hooks         []hookInfo        `json:"hooks,omitempty"`
	Labels        map[string]string `json:"labels,omitempty"`
	ApplyMethod   string            `json:"apply_method,omitempty"`
	// Config is the values the user supplied for this revision (not the chart's defaults).
	Config map[string]any `json:"config,omitempty"`
}

type hookInfo struct {
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Path     string   `json:"path"`
	Manifest string   `json:"manifest"`
	Events   []string `json:"events"`
}

type versionResult struct {
	Protocol int    `json:"protocol"`
	Helm     string `json:"helm"`
	Go       string `json:"go"`
	Kube     string `json:"kube_client"`
}

type renderRequest struct {
	chartRequest
	ReleaseName string `json:"release_name"`
	Namespace   string `json:"namespace"`
	KubeVersion string `json:"kube_version"`
}

type renderResult struct {
	// Manifest is what `helm template` prints: the release's manifest, then each hook.
	Manifest string `json:"manifest"`
	Notes    string `json:"notes,omitempty"`
}

// upgradeRequest is both an upgrade's and a plan_upgrade's.
type upgradeRequest struct {
	clusterRequest
	chartRequest
	ReleaseName string `json:"release_name"`
	// Wait is watcher, legacy or hookOnly.
	Wait                     string            `json:"wait"`
	WaitForJobs              bool              `json:"wait_for_jobs"`
	TimeoutMs                int64             `json:"timeout_ms"`
	RollbackOnFailure        bool              `json:"rollback_on_failure"`
	Force                    bool              `json:"force"`
	CleanupOnFail            bool              `json:"cleanup_on_fail"`
	DisableHooks             bool              `json:"disable_hooks"`
	SkipCRDs                 bool              `json:"skip_crds"`
	MaxHistory               int               `json:"max_history"`
	EnableDNS                bool              `json:"enable_dns"`
	Description              string            `json:"description"`
	Labels                   map[string]string `json:"labels"`
	ResetValues              bool              `json:"reset_values"`
	ReuseValues              bool              `json:"reuse_values"`
	DisableOpenAPIValidation bool              `json:"disable_openapi_validation"`
	CreateNamespace          bool              `json:"create_namespace"`
	// ServerSide is "auto" (Helm 4's choice: what the release used before, server-side for a new
	// one), "true" or "false".
	ServerSide string `json:"server_side"`
}

type upgradeResult struct {
	Installed bool         `json:"installed"`
	Release   *releaseInfo `json:"release"`
}

// planUpgradeResult is what an upgrade would write, next to what is deployed now.
type planUpgradeResult struct {
	// Planned is the revision the upgrade would record: its manifest, hooks and values, rendered
	// as the upgrade itself renders them (with `lookup` answered by the cluster).
	Planned *releaseInfo `json:"planned"`
	// Latest is the release's newest revision, whatever its status; nil when not installed.
	Latest *releaseInfo `json:"latest,omitempty"`
	// Deployed is the newest revision whose status is deployed; nil when there is none.
	Deployed *releaseInfo `json:"deployed,omitempty"`
	// Exact is false when the render could not ask the cluster (a first install of a chart whose
	// CRDs are not in the cluster yet): Note says why.
	Exact bool   `json:"exact"`
	Note  string `json:"note,omitempty"`
}

type rollbackRequest struct {
	clusterRequest
	ReleaseName string `json:"release_name"`
	// Revision 0 goes back to the revision before the current one, as `helm rollback` does.
	Revision      int    `json:"revision"`
	Wait          string `json:"wait"`
	WaitForJobs   bool   `json:"wait_for_jobs"`
	TimeoutMs     int64  `json:"timeout_ms"`
	Force         bool   `json:"force"`
	CleanupOnFail bool   `json:"cleanup_on_fail"`
	DisableHooks  bool   `json:"disable_hooks"`
	MaxHistory    int    `json:"max_history"`
	Description   string `json:"description"`
}

type rollbackResult struct {
	Release *releaseInfo `json:"release"`
}

type uninstallRequest struct {
	clusterRequest
	ReleaseName  string `json:"release_name"`
	Wait         string `json:"wait"`
	TimeoutMs    int64  `json:"timeout_ms"`
	KeepHistory  bool   `json:"keep_history"`
	DisableHooks bool   `json:"disable_hooks"`
	// DeletionPropagation is background (Helm's default, also for ""), foreground or orphan.
	DeletionPropagation string `json:"deletion_propagation"`
	Description         string `json:"description"`
	IgnoreNotFound      bool   `json:"ignore_not_found"`
}

type uninstallResult struct {
	Found bool   `json:"found"`
	Info  string `json:"info,omitempty"`
}

type historyRequest struct {
	clusterRequest
	ReleaseName string `json:"release_name"`
}

type historyResult struct {
	// Revisions are oldest first.
	Revisions []*releaseInfo `json:"revisions"`
}

type markFailedRequest struct {
	clusterRequest
	ReleaseName string `json:"release_name"`
	Revision    int    `json:"revision"`
	Description string `json:"description"`
}

type markFailedResult struct {
	Release *releaseInfo `json:"release"`
	// Changed is false when the revision was not pending, and is left as it was.
	Changed bool `json:"changed"`
}

type dependencyRequest struct {
	Chart string `json:"chart"`
	// Update re-resolves the dependencies (`helm dependency update`) instead of building them
	// from Chart.lock (`helm dependency build`).
	Update bool `json:"update"`
}

type dependencyResult struct {
	Output string `json:"output"`
}

type packageRequest struct {
	Chart       string `json:"chart"`
	Destination string `json:"destination"`
}

type packageResult struct {
	Path string `json:"path"`
}

type lintRequest struct {
	chartRequest
	Namespace   string `json:"namespace"`
	KubeVersion string `json:"kube_version"`
}

type lintMessage struct {
	// Severity is one of the severity constants above.
	Severity string `json:"severity"`
	Path     string `json:"path"`
	Message  string `json:"message"`
}

type lintResult struct {
	Messages []lintMessage `json:"messages"`
	Errors   []string      `json:"errors"`
}
