# zoorun — build, test and benchmark. Every target installs the Debian packages it needs
# first (apt-get, as root) when they are missing, and says so.

SYSTEM_PACKAGES := libopenblas-dev libcfitsio-dev libpng-dev libjpeg62-turbo-dev libyaml-dev pkg-config
SWIFT ?= swift
RELEASE := $(SWIFT) build -c release
ZOORUN := .build/release/zoorun

# The FIRST radio galaxies (docs/results.md): the PyPI package's PNGs as a catalog under data/,
# never committed. FIRST_WHEELS: a folder of wheels pip looks in before PyPI, if it exists.
FIRST_DIR := data/first
FIRST_VENV := $(FIRST_DIR)/.venv
FIRST_VERSION := 0.2.1
FIRST_WHEELS ?= /tmp/fgd
DATA_PACKAGES := python3 python3-venv

.PHONY: deps build test fuzz bench run clean first-data

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

# The suite's fuzzers at campaign size: every decoder and parser, 20,000 seeded cases each.
fuzz: deps
	$(SWIFT) build --build-tests
	ZOO_FUZZ_CASES=$${ZOO_FUZZ_CASES:-20000} $(SWIFT) test --skip-build --filter "DecoderFuzzTests|ParserFuzzTests|LabelImportFuzzTests"

bench: build
	$(ZOORUN) bench --json bench/zoorun.json --overwrite

run: build
	$(ZOORUN) experiments/rings.yaml --out runs/rings
	@echo "make: the report is runs/rings/report.html"

clean:
	rm -rf .build

# The package's only payload is data; --no-deps skips torch, torchvision and the rest, which
# its dataset class needs and the catalog script does not.
first-data:
	$(call install_missing,$(DATA_PACKAGES))
	@test -x $(FIRST_VENV)/bin/python || python3 -m venv $(FIRST_VENV)
	@$(FIRST_VENV)/bin/python -c "import importlib.metadata as m; assert m.version('firstgalaxydata') == '$(FIRST_VERSION)'" 2>/dev/null || \
	  $(FIRST_VENV)/bin/python -m pip install -q --no-deps $$([ -d $(FIRST_WHEELS) ] && echo --find-links $(FIRST_WHEELS)) firstgalaxydata==$(FIRST_VERSION)
	$(FIRST_VENV)/bin/python scripts/first_catalog.py $(FIRST_DIR)
