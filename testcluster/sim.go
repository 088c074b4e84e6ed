package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	typedcorev1 "k8s.io/client-go/kubernetes/typed/core/v1"
	corelisters "k8s.io/client-go/listers/core/v1"
	storagelisters "k8s.io/client-go/listers/storage/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/klog/v2"
	"k8s.io/utils/ptr"
)

// The simulator plays every part of a cluster that is not the control plane: the scheduler
// (binding pods to nodes), the kubelets (driving pod status), a cloud load-balancer controller
// and a volume provisioner. Nothing runs: statuses are written as a real cluster would write them.

const (
	provisioner      = "testcluster.deployer.dev/simulated"
	defaultClass     = "standard"
	kubeletVersion   = "v1.37.2"
	completeAfter    = time.Second             // a run-to-completion pod's containers exit after this
	crashPeriod      = 1500 * time.Millisecond // a crash-looping container is up, then down, this long
	heartbeatPeriod  = 20 * time.Second
	selectedNodeAnno = "volume.kubernetes.io/selected-node"
)

type simNode struct {
	name   string
	index  int
	hostIP string
	labels map[string]string
}

type simulator struct {
	client     kubernetes.Interface
	knobs      *knobs
	nodes      []simNode
	nodeByName map[string]*simNode
	pods       corelisters.PodLister
	pvcs       corelisters.PersistentVolumeClaimLister
	pvs        corelisters.PersistentVolumeLister
	services   corelisters.ServiceLister
	classes    storagelisters.StorageClassLister
	queue      workqueue.TypedRateLimitingInterface[string]
	events     record.EventBroadcaster
	sched      record.EventRecorder
	kubelet    map[string]record.EventRecorder

	mu       sync.Mutex
	memory   map[string]*podMemory
	nextIP   map[int]int
	nextLB   int
	nextNode int
}

func startSimulator(ctx context.Context, cfg *rest.Config, k *knobs) error {
	client, err := kubernetes.NewForConfig(rest.CopyConfig(cfg))
	if err != nil {
		return err
	}
	count := 3
	if v := os.Getenv("TESTCLUSTER_NODES"); v != "" {
		if count, err = strconv.Atoi(v); err != nil || count < 1 {
			return fmt.Errorf("TESTCLUSTER_NODES=%q: want a positive number", v)
		}
	}
	s := &simulator{
		client:     client,
		knobs:      k,
		nodeByName: map[string]*simNode{},
		queue:      workqueue.NewTypedRateLimitingQueue(workqueue.NewTypedItemExponentialFailureRateLimiter[string](50*time.Millisecond, 2*time.Second)),
		kubelet:    map[string]record.EventRecorder{},
		memory:     map[string]*podMemory{},
		nextIP:     map[int]int{},
	}
	s.events = record.NewBroadcaster(record.WithContext(ctx))
	s.events.StartRecordingToSink(&typedcorev1.EventSinkImpl{Interface: client.CoreV1().Events("")})
	s.sched = s.events.NewRecorder(scheme.Scheme, corev1.EventSource{Component: "default-scheduler"})
	for i := 1; i <= count; i++ {
		name := fmt.Sprintf("testcluster-node-%d", i)
		s.nodes = append(s.nodes, simNode{
			name:   name,
			index:  i,
			hostIP: fmt.Sprintf("172.18.0.%d", 10+i),
			labels: map[string]string{
				"kubernetes.io/hostname":           name,
				"kubernetes.io/os":                 "linux",
				"kubernetes.io/arch":               "amd64",
				"node.kubernetes.io/instance-type": "simulated",
				"topology.kubernetes.io/region":    "testcluster",
				"topology.kubernetes.io/zone":      fmt.Sprintf("testcluster-%c", 'a'+(i-1)%3),
			},
		})
	}
	for i := range s.nodes {
		n := &s.nodes[i]
		s.nodeByName[n.name] = n
		s.kubelet[n.name] = s.events.NewRecorder(scheme.Scheme, corev1.EventSource{Component: "kubelet", Host: n.name})
		if err := s.registerNode(ctx, n); err != nil {
			return fmt.Errorf("node %s: %w", n.name, err)
		}
	}
	if err := s.ensureStorageClass(ctx); err != nil {
		return fmt.Errorf("storage class: %w", err)
	}

	factory := informers.NewSharedInformerFactory(client, 0)
	s.pods = factory.Core().V1().Pods().Lister()
	s.pvcs = factory.Core().V1().PersistentVolumeClaims().Lister()
	s.pvs = factory.Core().V1().PersistentVolumes().Lister()
	s.services = factory.Core().V1().Services().Lister()
	s.classes = factory.Storage().V1().StorageClasses().Lister()
	on := func(kind string, inf cache.SharedIndexInformer) {
		enqueue := func(obj any) {
			if key, err := cache.DeletionHandlingMetaNamespaceKeyFunc(obj); err == nil {
				s.queue.Add(kind + "|" + key)
			}
		}
		_, _ = inf.AddEventHandler(cache.ResourceEventHandlerFuncs{
			AddFunc:    enqueue,
			UpdateFunc: func(_, obj any) { enqueue(obj) },
			DeleteFunc: enqueue,
		})
	}
	on("pod", factory.Core().V1().Pods().Informer())
	on("pvc", factory.Core().V1().PersistentVolumeClaims().Informer())
	on("pv", factory.Core().V1().PersistentVolumes().Informer())
	on("svc", factory.Core().V1().Services().Informer())
	factory.Storage().V1().StorageClasses().Informer()
	factory.Start(ctx.Done())
	for typ, ok := range factory.WaitForCacheSync(ctx.Done()) {
		if !ok {
			return fmt.Errorf("informer for %v did not sync", typ)
		}
	}
	for i := 0; i < 4; i++ {
		go s.work(ctx)
	}
	go s.heartbeats(ctx)
	go func() { <-ctx.Done(); s.queue.ShutDown() }()
	return nil
}

func (s *simulator) work(ctx context.Context) {
	for {
		item, quit := s.queue.Get()
		if quit {
			return
		}
		kind, key, _ := strings.Cut(item, "|")
		ns, name, _ := cache.SplitMetaNamespaceKey(key)
		var err error
		var after time.Duration
		switch kind {
		case "pod":
			after, err = s.syncPod(ctx, ns, name)
		case "pvc":
			err = s.syncClaim(ctx, ns, name)
		case "pv":
			err = s.syncVolume(ctx, name)
		case "svc":
			err = s.syncService(ctx, ns, name)
		}
		switch {
		case err != nil && ctx.Err() == nil:
			if !apierrors.IsConflict(err) && !apierrors.IsNotFound(err) {
				klog.V(2).Infof("simulator: %s %s: %v", kind, key, err)
			}
			s.queue.AddRateLimited(item)
		case after > 0:
			s.queue.Forget(item)
			s.queue.AddAfter(item, after)
		default:
			s.queue.Forget(item)
		}
		s.queue.Done(item)
	}
}

// ---- nodes ----

func (s *simulator) nodeStatus(n *simNode, now metav1.Time) corev1.NodeStatus {
	resources := corev1.ResourceList{
		corev1.ResourceCPU:              resource.MustParse("16"),
		corev1.ResourceMemory:           resource.MustParse("64Gi"),
		corev1.ResourcePods:             resource.MustParse("250"),
		corev1.ResourceEphemeralStorage: resource.MustParse("200Gi"),
	}
	cond := func(t corev1.NodeConditionType, status corev1.ConditionStatus, reason, msg string) corev1.NodeCondition {
		return corev1.NodeCondition{Type: t, Status: status, Reason: reason, Message: msg, LastHeartbeatTime: now, LastTransitionTime: now}
	}
	return corev1.NodeStatus{
		Capacity:    resources,
		Allocatable: resources,
		Phase:       corev1.NodeRunning,
		Conditions: []corev1.NodeCondition{
			cond(corev1.NodeMemoryPressure, corev1.ConditionFalse, "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
			cond(corev1.NodeDiskPressure, corev1.ConditionFalse, "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
			cond(corev1.NodePIDPressure, corev1.ConditionFalse, "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
			cond(corev1.NodeReady, corev1.ConditionTrue, "KubeletReady", "kubelet is posting ready status (simulated by testcluster)"),
		},
		Addresses: []corev1.NodeAddress{
			{Type: corev1.NodeInternalIP, Address: n.hostIP},
			{Type: corev1.NodeHostName, Address: n.name},
		},
		DaemonEndpoints: corev1.NodeDaemonEndpoints{KubeletEndpoint: corev1.DaemonEndpoint{Port: 10250}},
		NodeInfo: corev1.NodeSystemInfo{
			MachineID:               n.name,
			SystemUUID:              n.name,
			BootID:                  n.name,
			KernelVersion:           "6.1.0-testcluster",
			OSImage:                 "testcluster simulated node",
			ContainerRuntimeVersion: "containerd://2.1.0",
			KubeletVersion:          kubeletVersion,
			OperatingSystem:         "linux",
			Architecture:            "amd64",
		},
	}
}

func (s *simulator) registerNode(ctx context.Context, n *simNode) error {
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: n.name, Labels: n.labels}}
	created, err := s.client.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		created, err = s.client.CoreV1().Nodes().Get(ctx, n.name, metav1.GetOptions{})
	}
	if err != nil {
		return err
	}
	created.Spec.Taints = nil
	if created, err = s.client.CoreV1().Nodes().Update(ctx, created, metav1.UpdateOptions{}); err != nil {
		return err
	}
	created.Status = s.nodeStatus(n, metav1.Now())
	_, err = s.client.CoreV1().Nodes().UpdateStatus(ctx, created, metav1.UpdateOptions{})
	return err
}

// heartbeats keep the node leases and Ready conditions fresh, as kubelets do.
func (s *simulator) heartbeats(ctx context.Context) {
	for {
		for i := range s.nodes {
			n := &s.nodes[i]
			now := metav1.NowMicro()
			leases := s.client.CoordinationV1().Leases(corev1.NamespaceNodeLease)
			lease, err := leases.Get(ctx, n.name, metav1.GetOptions{})
			if apierrors.IsNotFound(err) {
				_, err = leases.Create(ctx, &coordinationv1.Lease{
					ObjectMeta: metav1.ObjectMeta{Name: n.name},
					Spec:       coordinationv1.LeaseSpec{HolderIdentity: ptr.To(n.name), LeaseDurationSeconds: ptr.To[int32](40), RenewTime: &now},
				}, metav1.CreateOptions{})
			} else if err == nil {
				lease.Spec.RenewTime = &now
				_, err = leases.Update(ctx, lease, metav1.UpdateOptions{})
			}
			if err != nil && ctx.Err() == nil {
				klog.V(2).Infof("simulator: lease %s: %v", n.name, err)
			}
			if node, err := s.client.CoreV1().Nodes().Get(ctx, n.name, metav1.GetOptions{}); err == nil {
				for j := range node.Status.Conditions {
					node.Status.Conditions[j].LastHeartbeatTime = metav1.Now()
				}
				_, _ = s.client.CoreV1().Nodes().UpdateStatus(ctx, node, metav1.UpdateOptions{})
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(heartbeatPeriod):
		}
	}
}

// ---- storage ----

func (s *simulator) ensureStorageClass(ctx context.Context) error {
	class := &storagev1.StorageClass{
		ObjectMeta: metav1.ObjectMeta{
			Name:        defaultClass,
			Annotations: map[string]string{"storageclass.kubernetes.io/is-default-class": "true"},
		},
		Provisioner:          provisioner,
		ReclaimPolicy:        ptr.To(corev1.PersistentVolumeReclaimDelete),
		VolumeBindingMode:    ptr.To(storagev1.VolumeBindingImmediate),
		AllowVolumeExpansion: ptr.To(true),
	}
	_, err := s.client.StorageV1().StorageClasses().Create(ctx, class, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	return err
}

func claimClass(pvc *corev1.PersistentVolumeClaim) string {
	if pvc.Spec.StorageClassName != nil {
		return *pvc.Spec.StorageClassName
	}
	return pvc.Annotations[corev1.BetaStorageClassAnnotation]
}

// ourClass returns the claim's class when this simulator provisions for it.
func (s *simulator) ourClass(pvc *corev1.PersistentVolumeClaim) *storagev1.StorageClass {
	name := claimClass(pvc)
	if name == "" {
		return nil
	}
	class, err := s.classes.Get(name)
	if err != nil || class.Provisioner != provisioner {
		return nil
	}
	return class
}

// syncClaim provisions a volume for a pending claim of one of our classes; the persistent volume
// controller then binds the two.
func (s *simulator) syncClaim(ctx context.Context, ns, name string) error {
	pvc, err := s.pvcs.PersistentVolumeClaims(ns).Get(name)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if pvc.DeletionTimestamp != nil || pvc.Spec.VolumeName != "" || pvc.Status.Phase != corev1.ClaimPending {
		return nil
	}
	class := s.ourClass(pvc)
	if class == nil {
		return nil
	}
	if class.VolumeBindingMode != nil && *class.VolumeBindingMode == storagev1.VolumeBindingWaitForFirstConsumer &&
		pvc.Annotations[selectedNodeAnno] == "" {
		return nil
	}
	size := resource.MustParse("1Gi")
	if q, ok := pvc.Spec.Resources.Requests[corev1.ResourceStorage]; ok {
		size = q
	}
	modes := pvc.Spec.AccessModes
	if len(modes) == 0 {
		modes = []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}
	}
	reclaim := corev1.PersistentVolumeReclaimDelete
	if class.ReclaimPolicy != nil {
		reclaim = *class.ReclaimPolicy
	}
	pvName := "pvc-" + string(pvc.UID)
	pv := &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{
			Name:        pvName,
			Annotations: map[string]string{"pv.kubernetes.io/provisioned-by": provisioner},
		},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: size},
			AccessModes:                   modes,
			PersistentVolumeReclaimPolicy: reclaim,
			StorageClassName:              class.Name,
			VolumeMode:                    pvc.Spec.VolumeMode,
			MountOptions:                  class.MountOptions,
			ClaimRef: &corev1.ObjectReference{
				Kind: "PersistentVolumeClaim", APIVersion: "v1",
				Namespace: pvc.Namespace, Name: pvc.Name, UID: pvc.UID, ResourceVersion: pvc.ResourceVersion,
			},
			PersistentVolumeSource: corev1.PersistentVolumeSource{
				HostPath: &corev1.HostPathVolumeSource{Path: "/var/lib/testcluster/volumes/" + pvName},
			},
		},
	}
	if _, err := s.pvs.Get(pvName); err == nil {
		return nil
	}
	_, err = s.client.CoreV1().PersistentVolumes().Create(ctx, pv, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	if err == nil {
		klog.V(1).Infof("simulator: provisioned %s for %s/%s", pvName, ns, name)
	}
	return err
}

// syncVolume deletes a released volume we provisioned when its policy says so.
func (s *simulator) syncVolume(ctx context.Context, name string) error {
	pv, err := s.pvs.Get(name)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if pv.DeletionTimestamp != nil || pv.Annotations["pv.kubernetes.io/provisioned-by"] != provisioner ||
		pv.Spec.PersistentVolumeReclaimPolicy != corev1.PersistentVolumeReclaimDelete || pv.Status.Phase != corev1.VolumeReleased {
		return nil
	}
	err = s.client.CoreV1().PersistentVolumes().Delete(ctx, name, metav1.DeleteOptions{Preconditions: &metav1.Preconditions{UID: &pv.UID}})
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}

// ---- load balancers ----

func (s *simulator) syncService(ctx context.Context, ns, name string) error {
	svc, err := s.services.Services(ns).Get(name)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	wantLB := svc.Spec.Type == corev1.ServiceTypeLoadBalancer && svc.Spec.LoadBalancerClass == nil && svc.DeletionTimestamp == nil &&
		!matches(s.knobs.noAddress, svc.Name)
	has := len(svc.Status.LoadBalancer.Ingress) > 0
	if wantLB == has {
		return nil
	}
	updated := svc.DeepCopy()
	if wantLB {
		s.mu.Lock()
		s.nextLB++
		n := s.nextLB
		s.mu.Unlock()
		// Documentation ranges (RFC 5737): shown in status only, nothing answers there.
		ip := fmt.Sprintf("192.0.2.%d", 1+(n-1)%254)
		if n > 254 {
			ip = fmt.Sprintf("198.51.100.%d", 1+(n-255)%254)
		}
		updated.Status.LoadBalancer.Ingress = []corev1.LoadBalancerIngress{{IP: ip, IPMode: ptr.To(corev1.LoadBalancerIPModeVIP)}}
	} else {
		updated.Status.LoadBalancer = corev1.LoadBalancerStatus{}
	}
	_, err = s.client.CoreV1().Services(ns).UpdateStatus(ctx, updated, metav1.UpdateOptions{})
	return err
}

func fakeID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "/")))
	return hex.EncodeToString(sum[:])
}
