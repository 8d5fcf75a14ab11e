# FaaS: `make run` starts the platform, `make test` runs every test. Each target installs what it needs.
CONFIG  ?= Release
OUT     ?= out
RID     ?= linux-x64
PUBLISH  = dotnet publish -c $(CONFIG) -r $(RID) --self-contained -p:PublishReadyToRun=true -p:PublishSingleFile=true -p:DebugType=none -nologo -v quiet
PORT    ?= 8080

.PHONY: run test bench images images-rootfs publish publish-watchdog publish-gateway publish-gateway-aot publish-cli clean deps-run deps-test deps-bench

## run: the gateway on 127.0.0.1:$(PORT) with the local backend and the sample functions deployed (state in FAAS_STATE_DIR, default .state/)
run: deps-run publish-watchdog publish-gateway publish-cli
	PORT=$(PORT) ./scripts/run.sh

## test: every test project, against real processes on loopback; the watchdog tests run the published binary
test: deps-test publish-watchdog publish-gateway publish-gateway-aot publish-cli images-rootfs
	FAAS_WATCHDOG_BIN=$(CURDIR)/$(OUT)/watchdog KUBEBUILDER_ASSETS=$$(./scripts/envtest.sh) ./scripts/test.sh

## bench: the benchmark scenarios; results go to bench/results/
bench: deps-bench publish
	dotnet run --project bench/Faas.Bench -c $(CONFIG) -- $(SCENARIOS)

## publish: in $(OUT)/: the watchdog as Native AOT, the test upstream as a self-contained trimmed ReadyToRun single file; the gateway
## framework-dependent (the shared framework's pages are shared and mapped on demand: a smaller RSS, a 15 s publish)
publish: publish-watchdog publish-gateway publish-gateway-aot publish-cli
	$(PUBLISH) tests/Faas.TestUpstream -o $(OUT)

## publish-watchdog: Native AOT (clang and lld from Debian link it)
publish-watchdog:
	./scripts/ensure-packages.sh clang:clang ld.lld:lld
	dotnet publish -c $(CONFIG) -r $(RID) -p:PublishAot=true -p:DebugType=none -p:StripSymbols=true -nologo -v quiet watchdog/Faas.Watchdog -o $(OUT)

## publish-gateway: framework-dependent, with its dashboard (gateway/dashboard, TypeScript built with Node.js and npm) embedded
publish-gateway:
	./scripts/ensure-packages.sh node:nodejs npm:npm
	dotnet publish -c Release -p:DebugType=none -nologo -v quiet gateway/Faas.Gateway -o $(OUT)

## publish-gateway-aot: $(OUT)/gateway-aot, the gateway as Native AOT with the local backend only (the others' client
## libraries serialize by reflection); about half the memory of $(OUT)/gateway (bench scenario gateway-aot)
publish-gateway-aot:
	./scripts/ensure-packages.sh clang:clang ld.lld:lld node:nodejs npm:npm
	dotnet publish -c $(CONFIG) -r $(RID) -p:PublishAot=true -p:FaasLocalOnly=true -p:DebugType=none -p:StripSymbols=true -nologo -v quiet gateway/Faas.Gateway -o $(OUT)/.gateway-aot
	cp $(OUT)/.gateway-aot/gateway $(OUT)/gateway-aot

publish-cli:
	dotnet publish -c Release -p:DebugType=none -nologo -v quiet cli/Faas.Cli -o $(OUT)

deps-run:
	./scripts/ensure-packages.sh curl:curl python3:python3 node:nodejs npm:npm bwrap:bubblewrap

deps-test:
	./scripts/ensure-packages.sh promtool:prometheus python3:python3 node:nodejs npm:npm chromium:chromium nats-server:nats-server dockerd:docker.io busybox:busybox-static debootstrap:debootstrap docker-registry:docker-registry bwrap:bubblewrap etcd:etcd-server xz:xz-utils rabbitmq-server:rabbitmq-server mosquitto:mosquitto valgrind:valgrind callgrind_control:valgrind

## images: the gateway image and the templates' base images, made without a registry and imported into the Docker Engine (see README)
images: images-rootfs
	./scripts/ensure-packages.sh docker:docker.io
	./scripts/images.sh --import

## images-rootfs: the base images' root filesystems in $(OUT)/images/ (debootstrap; made once, then reused)
images-rootfs: publish-watchdog
	./scripts/ensure-packages.sh debootstrap:debootstrap busybox:busybox-static
	./scripts/images.sh

deps-bench:
	./scripts/ensure-packages.sh wrk:wrk hyperfine:hyperfine nginx:nginx-light nats-server:nats-server python3:python3 node:nodejs npm:npm chromium:chromium dockerd:docker.io busybox:busybox-static rabbitmq-server:rabbitmq-server mosquitto:mosquitto valgrind:valgrind

clean:
	rm -rf $(OUT)
	find . -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
