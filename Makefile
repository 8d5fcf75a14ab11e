# FaaS: `make run` starts the platform, `make test` runs every test. Each target installs what it needs.
CONFIG  ?= Release
OUT     ?= out
RID     ?= linux-x64
PUBLISH  = dotnet publish -c $(CONFIG) -r $(RID) --self-contained -p:PublishReadyToRun=true -p:PublishSingleFile=true -p:DebugType=none -nologo -v quiet
PORT    ?= 8080

.PHONY: run test bench publish publish-watchdog clean deps-test deps-bench

## run: start a watchdog serving the sample function on 127.0.0.1:$(PORT) (the gateway takes over in a later issue)
run: publish-watchdog
	@echo "Invoke it:  curl -d 'you' http://127.0.0.1:$(PORT)/     (Ctrl-C stops it)"
	@fprocess="$(CURDIR)/samples/hello/handler.sh" mode=streaming listen_address=127.0.0.1 port=$(PORT) \
	  metrics_port=$$(($(PORT)+1)) healthcheck_interval=0 exec $(OUT)/watchdog

## test: every test project, against real processes on loopback; the watchdog tests run the published binary
test: deps-test publish-watchdog
	FAAS_WATCHDOG_BIN=$(CURDIR)/$(OUT)/watchdog ./scripts/test.sh

## bench: the benchmark scenarios; results go to bench/results/
bench: deps-bench publish
	dotnet run --project bench/Faas.Bench -c $(CONFIG) -- $(SCENARIOS)

## publish: self-contained, trimmed, ReadyToRun single-file executables in $(OUT)/
publish: publish-watchdog
	$(PUBLISH) tests/Faas.TestUpstream -o $(OUT)

publish-watchdog:
	$(PUBLISH) watchdog/Faas.Watchdog -o $(OUT)

deps-test:
	./scripts/ensure-packages.sh promtool:prometheus

deps-bench:
	./scripts/ensure-packages.sh wrk:wrk hyperfine:hyperfine

clean:
	rm -rf $(OUT)
	find . -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
