GO ?= go
PKGS := ./...
FUZZTIME ?= 10s

.PHONY: build test bench fuzz lint lint-ci demo generate browser

build:
	$(GO) build -o bin/lambdacheck ./cmd/lambdacheck

test: lint
	$(GO) test -count=1 $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

# Short fuzzing pass over every fuzz target; FUZZTIME sets the length of each.
# Minimising each new input would take most of that time (a target ran only
# tens of inputs), so it is off; each target prints its executions.
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    log=$$(mktemp); \
	    if ! $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 0 $$pkg >$$log 2>&1; then \
	      cat $$log; rm -f $$log; exit 1; \
	    fi; \
	    echo "fuzz $$pkg $$t: $$(grep -o 'execs: [0-9]*' $$log | tail -1)"; rm -f $$log; \
	  done; \
	done

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

# The GitHub workflow, checked with actionlint from the Go module proxy (and
# shellcheck on its run scripts when shellcheck is installed). Not part of
# `make test`, which needs nothing beyond Go and the project's own modules.
ACTIONLINT ?= github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
lint-ci:
	$(GO) run $(ACTIONLINT) .github/workflows/*.yml

generate:
	$(GO) generate ./...

demo:
	$(GO) run ./cmd/lambdacheck simulate fixtures/thumbnails

# Installs Debian's Chromium for the browser test of the HTML report (run
# as root, or with sudo). Without it that test skips and says so; make test
# needs only Go.
browser:
	@if command -v chromium >/dev/null 2>&1; then echo "chromium: $$(command -v chromium)"; \
	elif ! command -v apt-get >/dev/null 2>&1; then echo "no apt-get: install Chromium yourself for the browser test"; exit 1; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi
