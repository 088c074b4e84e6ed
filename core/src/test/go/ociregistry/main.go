// Command ociregistry is an OCI registry for deployer's tests: distribution's registry in this
// process, with in-memory storage and (given -user and -password) htpasswd basic authentication,
// listening on a free loopback port over plain HTTP. Charts given with -push are pushed into it
// with Helm's own registry client before it reports ready.
//
// On standard output it prints one line per pushed chart,
//
//	PUSHED oci://127.0.0.1:PORT/charts/NAME:TAG sha256:LAYER
//
// then one line
//
//	READY 127.0.0.1:PORT
//
// and serves until standard input is closed or it receives SIGTERM or SIGINT. Logs go to
// standard error. Helm stores the '+' of a semver build in tags as '_'.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"syscall"
	"time"

	"github.com/distribution/distribution/v3/configuration"
	"github.com/distribution/distribution/v3/registry/handlers"
	"github.com/sirupsen/logrus"
	"golang.org/x/crypto/bcrypt"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/registry"

	_ "github.com/distribution/distribution/v3/registry/auth/htpasswd"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/inmemory"
)

func main() {
	user := flag.String("user", "", "username the registry requires (with -password); none: anonymous access")
	password := flag.String("password", "", "password the registry requires (with -user)")
	push := flag.String("push", "", "glob of packaged charts (.tgz) to push once the registry is up")
	repo := flag.String("repo", "charts", "repository path the charts are pushed under")
	flag.Parse()
	if (*user == "") != (*password == "") {
		fmt.Fprintln(os.Stderr, "ociregistry: -user and -password go together")
		os.Exit(2)
	}
	if err := run(*user, *password, *push, *repo); err != nil {
		fmt.Fprintln(os.Stderr, "ociregistry:", err)
		os.Exit(1)
	}
}

func run(user, password, push, repo string) error {
	logrus.SetOutput(os.Stderr)
	logrus.SetLevel(logrus.WarnLevel)

	work, err := os.MkdirTemp("", "ociregistry-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	config, err := registryConfig(work, user, password)
	if err != nil {
		return err
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	host := listener.Addr().String()
	config.HTTP.Addr = host

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	app := handlers.NewApp(ctx, config)
	server := &http.Server{Handler: app, ReadHeaderTimeout: 30 * time.Second}
	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()

	if push != "" {
		if err := pushCharts(work, host, repo, push, user, password); err != nil {
			_ = server.Close()
			return err
		}
	}
	fmt.Printf("READY %s\n", host)

	stdinClosed := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		close(stdinClosed)
	}()
	select {
	case <-ctx.Done():
	case <-stdinClosed:
	case err := <-served:
		return fmt.Errorf("serving %s: %w", host, err)
	}

	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = server.Shutdown(shutdown)
	_ = app.Shutdown()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// registryConfig is an in-memory registry, behind htpasswd basic auth when a user is given.
func registryConfig(work, user, password string) (*configuration.Configuration, error) {
	config := &configuration.Configuration{}
	config.Storage = configuration.Storage{"inmemory": configuration.Parameters{}}
	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	config.HTTP.Secret = hex.EncodeToString(secret)
	if user != "" {
		hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
		if err != nil {
			return nil, err
		}
		htpasswd := filepath.Join(work, "htpasswd")
		if err := os.WriteFile(htpasswd, fmt.Appendf(nil, "%s:%s\n", user, hash), 0o600); err != nil {
			return nil, err
		}
		config.Auth = configuration.Auth{
			"htpasswd": configuration.Parameters{"realm": "ociregistry", "path": htpasswd},
		}
	}
	return config, nil
}

// pushCharts logs in (when the registry wants credentials) and pushes every chart matching glob
// as HOST/REPO/NAME:VERSION, as `helm push` does. The login is recorded in a credentials file in
// work, never in the user's Helm or Docker configuration.
func pushCharts(work, host, repo, glob, user, password string) error {
	archives, err := filepath.Glob(glob)
	if err != nil {
		return fmt.Errorf("-push %q: %w", glob, err)
	}
	if len(archives) == 0 {
		return fmt.Errorf("-push %q matches no file", glob)
	}
	sort.Strings(archives)

	client, err := registry.NewClient(
		registry.ClientOptPlainHTTP(),
		registry.ClientOptWriter(os.Stderr),
		registry.ClientOptCredentialsFile(filepath.Join(work, "registry-config.json")),
	)
	if err != nil {
		return err
	}
	if user != "" {
		if err := client.Login(host, registry.LoginOptBasicAuth(user, password)); err != nil {
			return err
		}
	}
	for _, archive := range archives {
		chart, err := loader.LoadFile(archive)
		if err != nil {
			return fmt.Errorf("%s: %w", archive, err)
		}
		data, err := os.ReadFile(archive)
		if err != nil {
			return err
		}
		ref := fmt.Sprintf("%s/%s/%s:%s", host, repo, chart.Metadata.Name, chart.Metadata.Version)
		result, err := client.Push(data, ref)
		if err != nil {
			return fmt.Errorf("pushing %s as %s: %w", archive, ref, err)
		}
		fmt.Printf("PUSHED oci://%s %s\n", result.Ref, result.Chart.Digest)
	}
	return nil
}
