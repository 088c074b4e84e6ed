package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/component-helpers/scheduling/corev1/nodeaffinity"
	"k8s.io/utils/ptr"
)

// podMemory is what a kubelet would know about a pod beyond its status.
type podMemory struct {
	uid        types.UID
	ip         string
	started    time.Time // when the simulated kubelet first ran the pod
	upSince    time.Time // crash loop: the containers' last start
	down       bool      // crash loop: in back-off
	crashedAt  time.Time // crash loop: the last exit
	restarts   int32
	announced  bool // the container start events were sent
	unhealthy  bool // the never-ready event was sent
	waitReason string
}

func (s *simulator) memoryOf(pod *corev1.Pod) *podMemory {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := pod.Namespace + "/" + pod.Name
	m := s.memory[key]
	if m == nil || m.uid != pod.UID {
		m = &podMemory{uid: pod.UID}
		s.memory[key] = m
	}
	return m
}

func (s *simulator) forget(ns, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.memory, ns+"/"+name)
}

func (s *simulator) syncPod(ctx context.Context, ns, name string) (time.Duration, error) {
	pod, err := s.pods.Pods(ns).Get(name)
	if apierrors.IsNotFound(err) {
		s.forget(ns, name)
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if pod.Spec.NodeName == "" {
		if pod.DeletionTimestamp != nil {
			return 0, nil
		}
		return s.schedule(ctx, pod)
	}
	node := s.nodeByName[pod.Spec.NodeName]
	if node == nil {
		return 0, nil // not one of ours: the pod garbage collector deals with it
	}
	if pod.DeletionTimestamp != nil {
		return 0, s.terminate(ctx, pod)
	}
	if pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		return 0, nil
	}
	return s.runPod(ctx, pod, node)
}

// ---- scheduler ----

func (s *simulator) schedule(ctx context.Context, pod *corev1.Pod) (time.Duration, error) {
	if pod.Spec.SchedulerName != "" && pod.Spec.SchedulerName != corev1.DefaultSchedulerName {
		return 0, nil
	}
	mem := s.memoryOf(pod)
	unschedulable := func(reason string) (time.Duration, error) {
		if mem.waitReason != reason {
			mem.waitReason = reason
			s.sched.Eventf(pod, corev1.EventTypeWarning, "FailedScheduling", "0/%d nodes are available: %s", len(s.nodes), reason)
			s.setUnschedulable(ctx, pod, reason)
		}
		return time.Second, nil
	}
	affinity := nodeaffinity.GetRequiredNodeAffinity(pod)
	var fits []*simNode
	for i := range s.nodes {
		n := &s.nodes[i]
		ok, err := affinity.Match(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: n.name, Labels: n.labels}})
		if err == nil && ok {
			fits = append(fits, n)
		}
	}
	if len(fits) == 0 {
		return unschedulable(fmt.Sprintf("%d node(s) didn't match Pod's node affinity/selector.", len(s.nodes)))
	}
	s.mu.Lock()
	s.nextNode++
	node := fits[s.nextNode%len(fits)]
	s.mu.Unlock()

	for _, v := range pod.Spec.Volumes {
		claim := ""
		switch {
		case v.PersistentVolumeClaim != nil:
			claim = v.PersistentVolumeClaim.ClaimName
		case v.Ephemeral != nil:
			claim = pod.Name + "-" + v.Name
		}
		if claim == "" {
			continue
		}
		pvc, err := s.pvcs.PersistentVolumeClaims(pod.Namespace).Get(claim)
		if err != nil {
			return unschedulable(fmt.Sprintf("persistentvolumeclaim %q not found.", claim))
		}
		if pvc.Status.Phase == corev1.ClaimBound {
			continue
		}
		if class := s.ourClass(pvc); class != nil && pvc.Annotations[selectedNodeAnno] == "" &&
			class.VolumeBindingMode != nil && *class.VolumeBindingMode == "WaitForFirstConsumer" {
			patch := fmt.Sprintf(`{"metadata":{"annotations":{%q:%q}}}`, selectedNodeAnno, node.name)
			if _, err := s.client.CoreV1().PersistentVolumeClaims(pod.Namespace).Patch(ctx, claim, types.MergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
				return 0, err
			}
		}
		return unschedulable("pod has unbound immediate PersistentVolumeClaims.")
	}

	err := s.client.CoreV1().Pods(pod.Namespace).Bind(ctx, &corev1.Binding{
		ObjectMeta: metav1.ObjectMeta{Name: pod.Name, Namespace: pod.Namespace, UID: pod.UID},
		Target:     corev1.ObjectReference{Kind: "Node", Name: node.name},
	}, metav1.CreateOptions{})
	if err != nil {
		return 0, err
	}
	s.sched.Eventf(pod, corev1.EventTypeNormal, "Scheduled", "Successfully assigned %s/%s to %s", pod.Namespace, pod.Name, node.name)
	return 0, nil
}

func (s *simulator) setUnschedulable(ctx context.Context, pod *corev1.Pod, reason string) {
	updated := pod.DeepCopy()
	setCondition(&updated.Status, pod.Status.Conditions, corev1.PodCondition{
		Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable,
		Message: fmt.Sprintf("0/%d nodes are available: %s", len(s.nodes), reason),
	})
	_, _ = s.client.CoreV1().Pods(pod.Namespace).UpdateStatus(ctx, updated, metav1.UpdateOptions{})
}

// ---- kubelet ----

// terminate finishes a graceful deletion at once, as a kubelet does once the containers exited.
func (s *simulator) terminate(ctx context.Context, pod *corev1.Pod) error {
	terminal := pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed
	if len(pod.Finalizers) > 0 && !terminal {
		// Controllers holding a finalizer (Jobs) want to see the pod's end before it goes.
		updated := pod.DeepCopy()
		now := metav1.Now()
		updated.Status.Phase = corev1.PodFailed
		for i := range updated.Status.ContainerStatuses {
			cs := &updated.Status.ContainerStatuses[i]
			started := now
			if cs.State.Running != nil {
				started = cs.State.Running.StartedAt
			}
			cs.Ready, cs.Started = false, ptr.To(false)
			cs.State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
				ExitCode: 143, Reason: "Error", StartedAt: started, FinishedAt: now, ContainerID: cs.ContainerID,
			}}
		}
		for _, t := range []corev1.PodConditionType{corev1.PodReady, corev1.ContainersReady} {
			setCondition(&updated.Status, pod.Status.Conditions, corev1.PodCondition{Type: t, Status: corev1.ConditionFalse, Reason: "PodCompleted"})
		}
		if _, err := s.client.CoreV1().Pods(pod.Namespace).UpdateStatus(ctx, updated, metav1.UpdateOptions{}); err != nil {
			return err
		}
	}
	err := s.client.CoreV1().Pods(pod.Namespace).Delete(ctx, pod.Name, metav1.DeleteOptions{
		GracePeriodSeconds: ptr.To[int64](0),
		Preconditions:      &metav1.Preconditions{UID: &pod.UID},
	})
	if apierrors.IsNotFound(err) || apierrors.IsConflict(err) {
		return nil
	}
	return err
}

func jobNameOf(pod *corev1.Pod) string {
	if n := pod.Labels["batch.kubernetes.io/job-name"]; n != "" {
		return n
	}
	for _, ref := range pod.OwnerReferences {
		if ref.Kind == "Job" && strings.HasPrefix(ref.APIVersion, "batch/") {
			return ref.Name
		}
	}
	return pod.Labels["job-name"]
}

type podPlan struct {
	phase      corev1.PodPhase
	ready      bool
	running    bool      // containers running (else waiting in back-off or terminated)
	startedAt  time.Time // the containers' current (or last) start
	exitCode   int32     // terminated containers
	terminated bool
	backOff    bool
}

func (s *simulator) runPod(ctx context.Context, pod *corev1.Pod, node *simNode) (time.Duration, error) {
	mem := s.memoryOf(pod)
	now := time.Now()
	s.mu.Lock()
	if mem.started.IsZero() {
		mem.started = now
		if pod.Status.StartTime != nil {
			mem.started = pod.Status.StartTime.Time
		}
	}
	if mem.ip == "" {
		if pod.Spec.HostNetwork {
			mem.ip = node.hostIP
		} else {
			c := s.nextIP[node.index]
			s.nextIP[node.index] = c + 1
			mem.ip = fmt.Sprintf("10.%d.%d.%d", 240+node.index%16, (c/250)%256, c%250+2)
		}
	}
	s.mu.Unlock()

	toCompletion := pod.Spec.RestartPolicy == corev1.RestartPolicyNever || pod.Spec.RestartPolicy == corev1.RestartPolicyOnFailure
	fail := toCompletion && matches(s.knobs.jobFail, jobNameOf(pod), pod.Name)
	crash := (!toCompletion && matches(s.knobs.crash, pod.Name)) || (fail && pod.Spec.RestartPolicy == corev1.RestartPolicyOnFailure)
	neverReady := matches(s.knobs.neverReady, pod.Name)

	var after time.Duration
	plan := podPlan{phase: corev1.PodRunning, running: true, startedAt: mem.started}
	switch {
	case crash:
		if mem.upSince.IsZero() {
			mem.upSince = mem.started
		}
		if !mem.down && now.Sub(mem.upSince) >= crashPeriod {
			mem.down, mem.crashedAt = true, now
			mem.restarts++
			for _, c := range pod.Spec.Containers {
				s.kubelet[node.name].Eventf(pod, corev1.EventTypeWarning, "BackOff",
					"Back-off restarting failed container %s in pod %s_%s(%s)", c.Name, pod.Name, pod.Namespace, pod.UID)
			}
		} else if mem.down && now.Sub(mem.crashedAt) >= crashPeriod {
			mem.down, mem.upSince = false, now
		}
		plan.running, plan.backOff, plan.startedAt = !mem.down, mem.down, mem.upSince
		plan.ready = plan.running && !neverReady
		after = crashPeriod
	case toCompletion:
		if elapsed := now.Sub(mem.started); elapsed < completeAfter {
			plan.ready = !neverReady
			after = completeAfter - elapsed + 10*time.Millisecond
		} else {
			plan.running, plan.terminated, plan.phase = false, true, corev1.PodSucceeded
			if fail {
				plan.phase, plan.exitCode = corev1.PodFailed, 1
			}
		}
	default:
		plan.ready = !neverReady
	}

	status := s.statusFor(pod, node, mem, plan)
	if !mem.announced {
		mem.announced = true
		rec := s.kubelet[node.name]
		for _, c := range pod.Spec.Containers {
			rec.Eventf(pod, corev1.EventTypeNormal, "Pulled", "Container image %q already present on machine", c.Image)
			rec.Eventf(pod, corev1.EventTypeNormal, "Created", "Created container: %s", c.Name)
			rec.Eventf(pod, corev1.EventTypeNormal, "Started", "Started container %s", c.Name)
		}
	}
	if neverReady && !mem.unhealthy {
		mem.unhealthy = true
		s.kubelet[node.name].Eventf(pod, corev1.EventTypeWarning, "Unhealthy",
			"Readiness probe failed: testcluster: TESTCLUSTER_NEVER_READY matches pod %s", pod.Name)
	}
	if apiequality.Semantic.DeepEqual(status, pod.Status) {
		return after, nil
	}
	updated := pod.DeepCopy()
	updated.Status = status
	if _, err := s.client.CoreV1().Pods(pod.Namespace).UpdateStatus(ctx, updated, metav1.UpdateOptions{}); err != nil {
		return 0, err
	}
	return after, nil
}

func imageID(image string) string {
	repo := image
	if at := strings.Index(repo, "@"); at >= 0 {
		return repo
	}
	if colon := strings.LastIndex(repo, ":"); colon > strings.LastIndex(repo, "/") {
		repo = repo[:colon]
	}
	if !strings.Contains(repo, "/") {
		repo = "docker.io/library/" + repo
	}
	return repo + "@sha256:" + fakeID("image", image)
}

// statusFor writes the status a kubelet would report for the plan, keeping the times of what
// did not change so that an unchanged pod is not updated again.
func (s *simulator) statusFor(pod *corev1.Pod, node *simNode, mem *podMemory, plan podPlan) corev1.PodStatus {
	status := pod.Status.DeepCopy()
	started := metav1.NewTime(mem.started.Truncate(time.Second))
	status.Phase = plan.phase
	status.Reason, status.Message = "", ""
	status.HostIP = node.hostIP
	status.HostIPs = []corev1.HostIP{{IP: node.hostIP}}
	status.PodIP = mem.ip
	status.PodIPs = []corev1.PodIP{{IP: mem.ip}}
	if status.StartTime == nil {
		status.StartTime = &started
	}

	status.InitContainerStatuses = nil
	for _, c := range pod.Spec.InitContainers {
		cs := corev1.ContainerStatus{
			Name: c.Name, Image: c.Image, ImageID: imageID(c.Image),
			ContainerID: "containerd://" + fakeID(string(pod.UID), c.Name),
			Ready:       true, Started: ptr.To(false),
		}
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways && !plan.terminated {
			cs.Started = ptr.To(true) // a sidecar keeps running
			cs.State.Running = &corev1.ContainerStateRunning{StartedAt: started}
		} else {
			cs.State.Terminated = &corev1.ContainerStateTerminated{
				ExitCode: 0, Reason: "Completed", StartedAt: started, FinishedAt: started, ContainerID: cs.ContainerID,
			}
		}
		status.InitContainerStatuses = append(status.InitContainerStatuses, cs)
	}

	ready := plan.ready
	for _, gate := range pod.Spec.ReadinessGates {
		ok := false
		for _, c := range pod.Status.Conditions {
			if c.Type == gate.ConditionType && c.Status == corev1.ConditionTrue {
				ok = true
			}
		}
		ready = ready && ok
	}

	status.ContainerStatuses = nil
	var unready []string
	for _, c := range pod.Spec.Containers {
		id := "containerd://" + fakeID(string(pod.UID), c.Name, fmt.Sprint(mem.restarts))
		cs := corev1.ContainerStatus{
			Name: c.Name, Image: c.Image, ImageID: imageID(c.Image), ContainerID: id,
			Ready: plan.ready, Started: ptr.To(plan.running), RestartCount: mem.restarts,
		}
		at := metav1.NewTime(plan.startedAt.Truncate(time.Second))
		switch {
		case plan.running:
			cs.State.Running = &corev1.ContainerStateRunning{StartedAt: at}
		case plan.backOff:
			cs.State.Waiting = &corev1.ContainerStateWaiting{
				Reason:  "CrashLoopBackOff",
				Message: fmt.Sprintf("back-off 10s restarting failed container=%s pod=%s_%s(%s)", c.Name, pod.Name, pod.Namespace, pod.UID),
			}
		case plan.terminated:
			reason := "Completed"
			if plan.exitCode != 0 {
				reason = "Error"
			}
			cs.State.Terminated = &corev1.ContainerStateTerminated{
				ExitCode: plan.exitCode, Reason: reason, StartedAt: at,
				FinishedAt: metav1.NewTime(plan.startedAt.Add(completeAfter).Truncate(time.Second)), ContainerID: id,
			}
		}
		if mem.restarts > 0 {
			up := metav1.NewTime(mem.upSince.Truncate(time.Second))
			if plan.running {
				up = metav1.NewTime(mem.crashedAt.Add(-crashPeriod).Truncate(time.Second))
			}
			cs.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{
				ExitCode: 1, Reason: "Error", StartedAt: up, FinishedAt: metav1.NewTime(mem.crashedAt.Truncate(time.Second)),
				ContainerID: "containerd://" + fakeID(string(pod.UID), c.Name, fmt.Sprint(mem.restarts-1)),
			}
		}
		if !cs.Ready {
			unready = append(unready, c.Name)
		}
		status.ContainerStatuses = append(status.ContainerStatuses, cs)
	}

	cond := func(t corev1.PodConditionType, ok bool, reason, msg string) {
		c := corev1.PodCondition{Type: t, Status: corev1.ConditionTrue}
		if !ok {
			c.Status, c.Reason, c.Message = corev1.ConditionFalse, reason, msg
		}
		setCondition(status, pod.Status.Conditions, c)
	}
	notReadyReason, notReadyMsg := "ContainersNotReady", fmt.Sprintf("containers with unready status: [%s]", strings.Join(unready, " "))
	if plan.terminated {
		notReadyReason, notReadyMsg = "PodCompleted", ""
	}
	cond(corev1.PodReadyToStartContainers, !plan.terminated, "", "")
	cond(corev1.PodInitialized, true, "", "")
	cond(corev1.PodReady, ready, notReadyReason, notReadyMsg)
	cond(corev1.ContainersReady, plan.ready, notReadyReason, notReadyMsg)
	cond(corev1.PodScheduled, true, "", "")
	return *status
}

// setCondition replaces the condition of c's type, keeping its transition time when the status
// did not change.
func setCondition(status *corev1.PodStatus, old []corev1.PodCondition, c corev1.PodCondition) {
	c.LastTransitionTime = metav1.NewTime(time.Now().Truncate(time.Second))
	for _, o := range old {
		if o.Type == c.Type && o.Status == c.Status {
			c.LastTransitionTime = o.LastTransitionTime
			c.LastProbeTime = o.LastProbeTime
		}
	}
	for i := range status.Conditions {
		if status.Conditions[i].Type == c.Type {
			status.Conditions[i] = c
			return
		}
	}
	status.Conditions = append(status.Conditions, c)
}
