package main

import (
	"fmt"
	"os"
	"regexp"
)

// knobs make scenarios fail on purpose. Each is a regular expression read from the environment at
// start; an unset or empty variable matches nothing.
type knobs struct {
	neverReady *regexp.Regexp // TESTCLUSTER_NEVER_READY: pod name
	crash      *regexp.Regexp // TESTCLUSTER_CRASH: pod name
	jobFail    *regexp.Regexp // TESTCLUSTER_JOB_FAIL: Job name or pod name
	noAddress  *regexp.Regexp // TESTCLUSTER_NO_ADDRESS: LoadBalancer Service name
}

func knobsFromEnv() (*knobs, error) {
	k := &knobs{}
	for _, v := range []struct {
		name string
		re   **regexp.Regexp
	}{
		{"TESTCLUSTER_NEVER_READY", &k.neverReady},
		{"TESTCLUSTER_CRASH", &k.crash},
		{"TESTCLUSTER_JOB_FAIL", &k.jobFail},
		{"TESTCLUSTER_NO_ADDRESS", &k.noAddress},
	} {
		value := os.Getenv(v.name)
		if value == "" {
			continue
		}
		re, err := regexp.Compile(value)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", v.name, err)
		}
		*v.re = re
	}
	return k, nil
}

func matches(re *regexp.Regexp, names ...string) bool {
	if re == nil {
		return false
	}
	for _, n := range names {
		if n != "" && re.MatchString(n) {
			return true
		}
	}
	return false
}
