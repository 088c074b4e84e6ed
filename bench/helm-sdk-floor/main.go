// Command helm-sdk-floor is the lower bound of `deployer build` for bench/vs-helm-sdk.sh: it
// renders every release of a plan written by bench/generate-plan.py with Helm v4's SDK in one
// process, as `helm template` would (client-only install), loading the plan's one chart once, and
// writes each release's manifest to <out>/manifests/<namespace>-<name>.yml. No checks, no review
// files: only the work Helm itself must do.
//
// Usage: helm-sdk-floor [-parallel N] PLAN_DIR OUT_DIR
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/loader"
	release "helm.sh/helm/v4/pkg/release/v1"
	"sigs.k8s.io/yaml"
)

type plan struct {
	Releases []struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
		Chart     string `json:"chart"`
	} `json:"releases"`
}

func main() {
	parallel := flag.Int("parallel", runtime.NumCPU(), "releases rendered at once")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: helm-sdk-floor [-parallel N] PLAN_DIR OUT_DIR")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), flag.Arg(1), *parallel); err != nil {
		fmt.Fprintln(os.Stderr, "helm-sdk-floor:", err)
		os.Exit(1)
	}
}

func run(planDir, out string, parallel int) error {
	text, err := os.ReadFile(filepath.Join(planDir, "deployer.yml"))
	if err != nil {
		return err
	}
	var p plan
	if err := yaml.Unmarshal(text, &p); err != nil {
		return err
	}
	if len(p.Releases) == 0 {
		return fmt.Errorf("no releases in %s", planDir)
	}
	// generate-plan.py puts every release on the same chart: load it once.
	ch, err := loader.Load(filepath.Join(planDir, p.Releases[0].Chart))
	if err != nil {
		return err
	}
	kv, err := common.ParseKubeVersion("1.31.0")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(out, "manifests"), 0o755); err != nil {
		return err
	}
	work := make(chan int)
	errs := make(chan error, len(p.Releases))
	var wg sync.WaitGroup
	for w := 0; w < parallel; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				r := p.Releases[i]
				install := action.NewInstall(action.NewConfiguration())
				install.DryRunStrategy = action.DryRunClient
				install.Replace = true
				install.ReleaseName = r.Name
				install.Namespace = r.Namespace
				install.KubeVersion = kv
				rel, err := install.RunWithContext(context.Background(), ch, map[string]any{})
				if err != nil {
					errs <- fmt.Errorf("%s: %w", r.Name, err)
					continue
				}
				manifest := strings.TrimSpace(rel.(*release.Release).Manifest) + "\n"
				file := filepath.Join(out, "manifests", r.Namespace+"-"+r.Name+".yml")
				if err := os.WriteFile(file, []byte(manifest), 0o644); err != nil {
					errs <- err
				}
			}
		}()
	}
	for i := range p.Releases {
		work <- i
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}
	return nil
}
