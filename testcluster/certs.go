package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// pki holds the files the control plane reads: one CA signs the serving certificate and the
// administrator's client certificate; the service-account key pair signs tokens.
type pki struct {
	dir                   string
	caCert, caKey         string
	servingCert, servKey  string
	adminCert, adminKey   string
	saKey, saPub          string
	caPEM, adminPEM, akey []byte
}

func writePEM(path, kind string, der []byte) ([]byte, error) {
	data := pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der})
	return data, os.WriteFile(path, data, 0o600)
}

func newKey() (*ecdsa.PrivateKey, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	der, err := x509.MarshalECPrivateKey(key)
	return key, der, err
}

var serial int64 = time.Now().UnixNano()

func sign(tmpl, parent *x509.Certificate, pub, signer any) ([]byte, error) {
	serial++
	tmpl.SerialNumber = big.NewInt(serial)
	tmpl.NotBefore = time.Now().Add(-time.Hour)
	tmpl.NotAfter = time.Now().Add(10 * 365 * 24 * time.Hour)
	return x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
}

// newPKI generates fresh keys and certificates under dir. Nothing is reused between starts.
func newPKI(dir string) (*pki, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	p := &pki{dir: dir}
	f := func(name string) string { return filepath.Join(dir, name) }
	p.caCert, p.caKey = f("ca.crt"), f("ca.key")
	p.servingCert, p.servKey = f("apiserver.crt"), f("apiserver.key")
	p.adminCert, p.adminKey = f("admin.crt"), f("admin.key")
	p.saKey, p.saPub = f("sa.key"), f("sa.pub")

	caKey, caDER, err := newKey()
	if err != nil {
		return nil, err
	}
	caTmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: "testcluster-ca"},
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caCertDER, err := sign(caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caCertDER)
	if err != nil {
		return nil, err
	}
	if p.caPEM, err = writePEM(p.caCert, "CERTIFICATE", caCertDER); err != nil {
		return nil, err
	}
	if _, err = writePEM(p.caKey, "EC PRIVATE KEY", caDER); err != nil {
		return nil, err
	}

	issue := func(tmpl *x509.Certificate, certPath, keyPath string) ([]byte, []byte, error) {
		key, keyDER, err := newKey()
		if err != nil {
			return nil, nil, err
		}
		der, err := sign(tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			return nil, nil, err
		}
		certPEM, err := writePEM(certPath, "CERTIFICATE", der)
		if err != nil {
			return nil, nil, err
		}
		keyPEM, err := writePEM(keyPath, "EC PRIVATE KEY", keyDER)
		return certPEM, keyPEM, err
	}
	_, _, err = issue(&x509.Certificate{
		Subject:     pkix.Name{CommonName: "kube-apiserver"},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames: []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
			"kubernetes.default.svc.cluster.local"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1"), net.ParseIP(serviceIP)},
	}, p.servingCert, p.servKey)
	if err != nil {
		return nil, err
	}
	p.adminPEM, p.akey, err = issue(&x509.Certificate{
		Subject:     pkix.Name{CommonName: "testcluster-admin", Organization: []string{"system:masters"}},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}, p.adminCert, p.adminKey)
	if err != nil {
		return nil, err
	}

	saKey, saDER, err := newKey()
	if err != nil {
		return nil, err
	}
	if _, err = writePEM(p.saKey, "EC PRIVATE KEY", saDER); err != nil {
		return nil, err
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&saKey.PublicKey)
	if err != nil {
		return nil, err
	}
	if _, err = writePEM(p.saPub, "PUBLIC KEY", pubDER); err != nil {
		return nil, err
	}
	return p, nil
}

// writeKubeconfig writes a self-contained kubeconfig (certificates embedded) with one context
// named "testcluster".
func (p *pki) writeKubeconfig(path, server string) error {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["testcluster"] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: p.caPEM}
	cfg.AuthInfos["testcluster-admin"] = &clientcmdapi.AuthInfo{ClientCertificateData: p.adminPEM, ClientKeyData: p.akey}
	cfg.Contexts["testcluster"] = &clientcmdapi.Context{Cluster: "testcluster", AuthInfo: "testcluster-admin", Namespace: "default"}
	cfg.CurrentContext = "testcluster"
	tmp := path + ".tmp"
	if err := clientcmd.WriteToFile(*cfg, tmp); err != nil {
		return fmt.Errorf("writing kubeconfig: %w", err)
	}
	return os.Rename(tmp, path)
}
