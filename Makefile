# zoorun — build, test and benchmark. Every target installs the Debian packages it needs
# first (apt-get, as root) when they are missing, and says so.

SYSTEM_PACKAGES := libopenblas-dev libcfitsio-dev libpng-dev libjpeg62-turbo-dev libyaml-dev pkg-config
SWIFT ?= swift
RELEASE := $(SWIFT) build -c release
ZOORUN := .build/release/zoorun

.PHONY: deps build test bench run clean

# $(call install_missing,PACKAGES): apt-get install those of PACKAGES that are not installed.
define install_missing
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing missing system packages:$$missing"; \
	  if [ "$$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
endef

deps:
	$(call install_missing,$(SYSTEM_PACKAGES))

build: deps
	$(RELEASE)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	@if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then \
	  echo "make: the suite again with ZOO_CPU=baseline: the portable kernels that CPUs without AVX-512 run"; \
	  ZOO_CPU=baseline $(SWIFT) test --skip-build; \
	fi

bench: build
	$(ZOORUN) bench --json bench/zoorun.json

run: build
	$(ZOORUN) experiments/rings.yaml --out runs/rings
	@echo "make: the report is runs/rings/report.html"

clean:
	rm -rf .build

