// Command testcluster runs a Kubernetes control plane in one process for deployer's tests:
// embedded etcd, kube-apiserver, the controllers of kube-controller-manager that a deploy needs,
// and a simulator standing in for the scheduler, the kubelets and the cloud/storage provisioners.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap/zapcore"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
	apiserverapp "k8s.io/kubernetes/cmd/kube-apiserver/app"
	apiserveroptions "k8s.io/kubernetes/cmd/kube-apiserver/app/options"
	kcmapp "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	kcmoptions "k8s.io/kubernetes/cmd/kube-controller-manager/app/options"
)

const (
	serviceCIDR = "10.96.0.0/16"
	serviceIP   = "10.96.0.1"
)

// controllers are the kube-controller-manager loops started in-process. Left out on purpose:
// node-lifecycle (our nodes are simulated and never go away), node-ipam (the simulator assigns
// pod IPs), the cloud and CSR controllers, and the horizontal pod autoscaler (no metrics API).
var controllers = []string{
	"deployment-controller",
	"replicaset-controller",
	"statefulset-controller",
	"daemonset-controller",
	"job-controller",
	"cronjob-controller",
	"ttl-after-finished-controller",
	"replicationcontroller-controller",
	"namespace-controller",
	"garbage-collector-controller",
	"pod-garbage-collector-controller",
	"endpoints-controller",
	"endpointslice-controller",
	"endpointslice-mirroring-controller",
	"serviceaccount-controller",
	"serviceaccount-token-controller",
	"root-ca-certificate-publisher-controller",
	"resourcequota-controller",
	"disruption-controller",
	"clusterrole-aggregation-controller",
	"persistentvolume-binder-controller",
	"persistentvolumeclaim-protection-controller",
	"persistentvolume-protection-controller",
	"ephemeral-volume-controller",
	"service-cidr-controller",
}

func main() {
	dir := flag.String("dir", "", "data directory (kubeconfig, logs, etcd data, certificates)")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "testcluster: -dir is required")
		os.Exit(2)
	}
	if err := run(*dir); err != nil {
		fmt.Fprintf(os.Stderr, "testcluster: %v\n", err)
		os.Exit(1)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func run(dir string) error {
	began := time.Now()
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	readyFile := filepath.Join(dir, "ready")
	_ = os.Remove(readyFile)
	knobs, err := knobsFromEnv()
	if err != nil {
		return err
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)

	pk, err := newPKI(filepath.Join(dir, "pki"))
	if err != nil {
		return fmt.Errorf("certificates: %w", err)
	}

	etcd, etcdURL, err := startEtcd(filepath.Join(dir, "etcd"))
	if err != nil {
		return fmt.Errorf("etcd: %w", err)
	}
	go func() {
		sig := <-signals
		klog.Infof("testcluster: %v received, stopping", sig)
		_ = os.Remove(readyFile)
		// The data is disposable: give etcd a moment to close its files, then leave without
		// waiting for the API server's graceful shutdown.
		done := make(chan struct{})
		go func() { etcd.Close(); close(done) }()
		select {
		case <-done:
		case <-time.After(time.Second):
		}
		klog.Flush()
		os.Exit(0)
	}()

	if owner := os.Getenv("TESTCLUSTER_OWNER_PID"); owner != "" {
		pid, err := strconv.Atoi(owner)
		if err != nil || pid <= 0 {
			return fmt.Errorf("TESTCLUSTER_OWNER_PID=%q: want a process id", owner)
		}
		go exitWithOwner(pid, signals)
	}

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	port := listener.Addr().(*net.TCPAddr).Port
	server := "https://127.0.0.1:" + strconv.Itoa(port)
	kubeconfig := filepath.Join(dir, "kubeconfig")
	if err := pk.writeKubeconfig(kubeconfig, server); err != nil {
		return err
	}

	apiErr := make(chan error, 1)
	go func() { apiErr <- runAPIServer(ctx, pk, etcdURL, listener) }()

	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return err
	}
	cfg.QPS, cfg.Burst = 200, 400
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	if err := waitFor(ctx, apiErr, "kube-apiserver /readyz", 2*time.Minute, func(ctx context.Context) (bool, error) {
		status := 0
		client.CoreV1().RESTClient().Get().AbsPath("/readyz").Do(ctx).StatusCode(&status)
		return status == 200, nil
	}); err != nil {
		return err
	}
	klog.Infof("testcluster: kube-apiserver ready after %v", time.Since(began).Round(time.Millisecond))

	kcmErr := make(chan error, 1)
	go func() { kcmErr <- runControllerManager(ctx, pk, kubeconfig) }()
	go func() {
		if err := <-kcmErr; err != nil && ctx.Err() == nil {
			klog.Errorf("testcluster: kube-controller-manager stopped: %v", err)
			os.Exit(1)
		}
	}()

	if err := startSimulator(ctx, cfg, knobs); err != nil {
		return fmt.Errorf("simulator: %w", err)
	}

	if err := waitFor(ctx, apiErr, "the default ServiceAccount", 2*time.Minute, func(ctx context.Context) (bool, error) {
		_, err := client.CoreV1().ServiceAccounts(metav1.NamespaceDefault).Get(ctx, "default", metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return false, nil
		}
		return err == nil, nil
	}); err != nil {
		return err
	}

	if err := os.WriteFile(readyFile, []byte(kubeconfig+"\n"), 0o644); err != nil {
		return err
	}
	klog.Infof("testcluster: ready after %v, server %s, kubeconfig %s", time.Since(began).Round(time.Millisecond), server, kubeconfig)
	fmt.Fprintf(os.Stderr, "testcluster: ready %s\n", kubeconfig)

	err = <-apiErr
	if ctx.Err() != nil {
		select {} // the signal handler exits
	}
	if err == nil {
		err = errors.New("kube-apiserver stopped")
	}
	return err
}

func waitFor(ctx context.Context, died <-chan error, what string, timeout time.Duration, cond wait.ConditionWithContextFunc) error {
	err := wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, timeout, true, func(ctx context.Context) (bool, error) {
		select {
		case err := <-died:
			return false, fmt.Errorf("kube-apiserver stopped: %v", err)
		default:
		}
		return cond(ctx)
	})
	if err != nil {
		return fmt.Errorf("waiting for %s: %w", what, err)
	}
	return nil
}

func startEtcd(dir string) (*embed.Etcd, string, error) {
	// A restart on the same directory starts from an empty store: the ports differ every time.
	if err := os.RemoveAll(dir); err != nil {
		return nil, "", err
	}
	clientPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	peerPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	clientURL, _ := url.Parse("http://127.0.0.1:" + strconv.Itoa(clientPort))
	peerURL, _ := url.Parse("http://127.0.0.1:" + strconv.Itoa(peerPort))
	cfg := embed.NewConfig()
	cfg.Name = "testcluster"
	cfg.Dir = dir
	cfg.ListenClientUrls = []url.URL{*clientURL}
	cfg.AdvertiseClientUrls = []url.URL{*clientURL}
	cfg.ListenPeerUrls = []url.URL{*peerURL}
	cfg.AdvertisePeerUrls = []url.URL{*peerURL}
	cfg.InitialCluster = cfg.Name + "=" + peerURL.String()
	cfg.UnsafeNoFsync = true // test data: speed over durability
	cfg.LogLevel = zapcore.ErrorLevel.String()
	cfg.ListenMetricsUrls = nil
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, "", err
	}
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(60 * time.Second):
		e.Close()
		return nil, "", errors.New("etcd did not become ready within 60s")
	case err := <-e.Err():
		return nil, "", err
	}
	return e, clientURL.String(), nil
}

func parseFlags(name string, fss interface{ FlagSet(string) *pflag.FlagSet }, sets []*pflag.FlagSet, args []string) error {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	for _, s := range sets {
		fs.AddFlagSet(s)
	}
	return fs.Parse(args)
}

func runAPIServer(ctx context.Context, pk *pki, etcdURL string, listener net.Listener) error {
	s := apiserveroptions.NewServerRunOptions()
	named := s.Flags()
	var sets []*pflag.FlagSet
	for _, f := range named.FlagSets {
		sets = append(sets, f)
	}
	args := []string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--endpoint-reconciler-type=none",
		"--tls-cert-file=" + pk.servingCert,
		"--tls-private-key-file=" + pk.servKey,
		"--client-ca-file=" + pk.caCert,
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + pk.saPub,
		"--service-account-signing-key-file=" + pk.saKey,
		"--authorization-mode=RBAC",
		"--service-cluster-ip-range=" + serviceCIDR,
		"--allow-privileged=true",
		"--profiling=false",
		// Nodes are simulated and always ready: nothing would take the not-ready taint off.
		"--disable-admission-plugins=TaintNodesByCondition",
	}
	if err := parseFlags("kube-apiserver", &named, sets, args); err != nil {
		return err
	}
	s.SecureServing.Listener = listener
	s.SecureServing.BindPort = listener.Addr().(*net.TCPAddr).Port
	if err := s.GenericServerRunOptions.ComponentGlobalsRegistry.Set(); err != nil {
		return err
	}
	rest.SetDefaultWarningHandler(rest.NoWarnings{})
	completed, err := s.Complete(ctx)
	if err != nil {
		return err
	}
	if errs := completed.Validate(); len(errs) != 0 {
		return fmt.Errorf("kube-apiserver options: %v", errs)
	}
	return apiserverapp.Run(ctx, completed)
}

func runControllerManager(ctx context.Context, pk *pki, kubeconfig string) error {
	s, err := kcmoptions.NewKubeControllerManagerOptions()
	if err != nil {
		return err
	}
	all, disabled, aliases := kcmapp.KnownControllers(), kcmapp.ControllersDisabledByDefault(), kcmapp.ControllerAliases()
	named := s.Flags(all, disabled, aliases)
	var sets []*pflag.FlagSet
	for _, f := range named.FlagSets {
		sets = append(sets, f)
	}
	args := []string{
		"--kubeconfig=" + kubeconfig,
		"--controllers=" + strings.Join(controllers, ","),
		"--leader-elect=false",
		"--use-service-account-credentials=false",
		"--service-account-private-key-file=" + pk.saKey,
		"--root-ca-file=" + pk.caCert,
		"--secure-port=0",
		"--kube-api-qps=200",
		"--kube-api-burst=400",
		"--controller-start-interval=0",
		"--concurrent-gc-syncs=20",
	}
	if err := parseFlags("kube-controller-manager", &named, sets, args); err != nil {
		return err
	}
	s.ParsedFlags = &named
	if err := s.ComponentGlobalsRegistry.Set(); err != nil {
		return err
	}
	c, err := s.Config(ctx, all, disabled, aliases)
	if err != nil {
		return err
	}
	return kcmapp.Run(ctx, c.Complete())
}

// exitWithOwner stops the control plane once the process that asked for it is gone (a test JVM
// killed before its shutdown hooks ran), so that no control plane outlives its user.
func exitWithOwner(pid int, signals chan<- os.Signal) {
	for {
		time.Sleep(2 * time.Second)
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			klog.Infof("testcluster: owner process %d is gone", pid)
			signals <- syscall.SIGTERM
			return
		}
	}
}
