# The two commands of the README:
#   make demo    builds coso, imports the Điện Biên demo into demo.db, prints the article's report
#   make check   builds with ASan/UBSan and runs every test
# Both install missing Debian packages first (scripts/setup-deps.sh).

BUILD       ?= build
CHECK_BUILD ?= build-check
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)
DEMO_DB     ?= demo.db
COSO        := $(BUILD)/coso

.PHONY: all deps coso check demo clean format

all: coso

deps:
	@scripts/setup-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOSO_TESTS=OFF

coso: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# The test build: sanitizers on, every test under ctest (the summary line is last).
check: deps
	cmake -S . -B $(CHECK_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCOSO_SANITIZE=ON -DCOSO_TESTS=ON >/dev/null
	cmake --build $(CHECK_BUILD) -j $(JOBS)
	@scripts/setup-deps.sh --browser
	@$(MAKE) --no-print-directory web browser-deps
	cd $(CHECK_BUILD) && ctest --output-on-failure -j $(JOBS)

demo: coso web
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(COSO) --db $(DEMO_DB) import data/demo/dien-bien
	@echo
	$(COSO) --db $(DEMO_DB) report --as-of 2018-05-22 --compare 2016-01-01 --scope 11
	@echo
	$(COSO) --db $(DEMO_DB) report --from 2016-01-01 --to 2018-05-22 --scope 11
	@echo
	$(COSO) --db $(DEMO_DB) report --from 2018-01-01 --to 2018-03-31 --scope 11
	@echo
	$(COSO) --db $(DEMO_DB) report --as-of 2026-01-01 --scope 11
	@echo
	$(COSO) --db $(DEMO_DB) serve --port 8080 --web web/dist

clean:
	rm -rf $(BUILD) $(CHECK_BUILD)

# ---- The browser interface (web/: Vite 7 + TypeScript, see docs/WEB.md), built
# into web/dist. npm ci runs again only when a lockfile changed, the build only
# when a source did (the stamps).
WEB_SRC := $(shell find web/src web/index.html web/package.json web/package-lock.json web/tsconfig.json web/vite.config.ts -type f 2>/dev/null)
NODE_OK := node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a < 20 || (a === 20 && b < 19)) { console.error("web: Vite 7 needs Node.js 20.19 or later, this is " + process.version); process.exit(1); }'

.PHONY: web browser-deps

web: web/dist/.stamp

web/node_modules/.stamp: web/package-lock.json | deps
	@$(NODE_OK)
	cd web && npm ci --no-audit --no-fund
	@touch $@

web/dist/.stamp: web/node_modules/.stamp $(WEB_SRC)
	cd web && npm run build
	@touch $@

# The browser tests' driver (playwright-core, no browser download: they use Debian's chromium).
browser-deps: tests/browser/node_modules/.stamp

tests/browser/node_modules/.stamp: tests/browser/package-lock.json | deps
	cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	@touch $@
