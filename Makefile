# The commands people and CI use. Everything heavy lives in scripts; this file only names them.
MVN ?= mvn -B -ntp
export FRESHET_TESTBED_DIR ?= $(CURDIR)/.testbed

.PHONY: packages build image dev test soak bench footprint unit-test fuzz format testbed-build testbed-cosign testbed-actionlint testbed-helm testbed-up testbed-down testbed-status clean

## build: compiles and installs every module, builds the operator image as an OCI tarball
## (operator/target/jib-image.tar, offline), leaves the freshet launcher at bin/freshet and
## reassembles deploy/install.yaml around the CRD and the image digest the build produced.
build:
	$(MVN) -q -DskipTests install
	install -D -m 0755 operator/src/main/dist/freshet bin/freshet
	deploy/assemble-install.sh >/dev/null

## image: builds the operator image and pushes it to IMAGE (make image IMAGE=registry.example.com/freshet:0.1.0),
## then prints it by digest: the digest install.yaml names when the sources are the same. INSECURE=true
## allows a plain-HTTP registry.
IMAGE ?=
INSECURE ?= false
image:
	@test -n "$(IMAGE)" || { echo "usage: make image IMAGE=host/repository:tag [INSECURE=true]" >&2; exit 1; }
	$(MVN) -q -DskipTests package -DpushImage=$(IMAGE) -Djib.allowInsecureRegistries=$(INSECURE)
	@echo "$(IMAGE)@$$(cat operator/target/jib-pushed.digest)"

## dev: the operator in the foreground on a testbed of its own (.testbed/dev, so it never collides with
## the test testbed), with the CRD and the sample App applied; Ctrl-C stops what it started.
dev: packages build
	FRESHET_TESTBED_DIR=$(CURDIR)/.testbed/dev deploy/dev.sh

## test: unit and integration tests; the integration tests run on the testbed, which this starts (or reuses),
## sign images with cosign, check the workflows with actionlint and test the chart with helm, each built once.
test: packages testbed-up testbed-cosign testbed-actionlint testbed-helm
	$(MVN) verify

## soak: the long variants of the crash and fault tests (-Dfreshet.soak=true: a thousand rollouts under
## operator kills, thirty minutes of control-plane faults) and a summary table of their figures, in
## target/soak/summary.txt. SOAK_ITS, SOAK_MODULES and SOAK_ARGS choose other tests or shorter runs
## (soak/run.sh says how).
soak: packages testbed-up
	MVN="$(MVN)" soak/run.sh

## bench: the bench harness on a testbed of its own (about 45 minutes on 2 cores; BENCH_SCALE=small takes a few):
## every scenario beside its baseline, results and plots in bench/results/, the table printed.
## BENCH_ARGS picks scenarios or adds a peer operator (bench/run.sh --help says how).
BENCH_ARGS ?=
bench: packages
	MVN="$(MVN)" bench/run.sh $(BENCH_ARGS)

## footprint: live heap per workload in an informer's cache, as served and as Freshet caches it
## (CacheFootprintIT; FOOTPRINT_WORKLOADS Deployments on the testbed, default 2000).
footprint: testbed-up
	$(MVN) -pl operator -am verify -Dtest=NoSuch -Dit.test=CacheFootprintIT -Dfreshet.footprint=true \
		-Dfreshet.footprint.workloads=$(or $(FOOTPRINT_WORKLOADS),2000) \
		-Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false

unit-test:
	$(MVN) test

## fuzz: fuzzes every Jazzer @FuzzTest (make test only replays their regression inputs) for
## FUZZ_SECONDS each (default 60), FUZZ_JOBS at once (default 1), and prints executions per target
## and in total; fails on a finding, which is left in target/fuzz/findings/. See fuzz/run.sh.
fuzz:
	MVN="$(MVN)" fuzz/run.sh

## format: rewrites every Java source with google-java-format; the build refuses unformatted sources.
format:
	$(MVN) -q spotless:apply

## packages: installs the Debian packages a fresh machine lacks (make dev and make test run it first).
packages:
	testbed/packages.sh

testbed-build:
	testbed/build.sh

## testbed-actionlint: builds actionlint (checks .github/workflows) from the Go module proxy into its cache.
testbed-actionlint:
	testbed/actionlint.sh

## testbed-cosign: builds cosign (for signing test images) from the Go module proxy into its cache.
testbed-cosign:
	testbed/cosign.sh

## testbed-helm: builds helm (for the chart's tests) from the Go module proxy into its cache.
testbed-helm:
	testbed/helm.sh >/dev/null

testbed-up:
	testbed/up.sh

testbed-down:
	testbed/down.sh

testbed-status:
	testbed/status.sh

clean:
	$(MVN) -q clean
