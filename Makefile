# The two commands of the README:
#   make demo    builds coso, imports the Điện Biên demo into demo.db, prints the article's report,
#                makes one user per role (random passwords, printed) and serves the interface
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
	@# cadres: the article's training figures and the standards share per commune (docs/CADRES.md)
	$(COSO) --db $(DEMO_DB) cadres report --from 2016-01-01 --to 2018-05-22 --scope 11
	@# services (docs/SERVICES.md): the demo's year of cases
	$(COSO) --db $(DEMO_DB) services report --scope 11 --from 2024-01-01 --to 2024-12-31
	@echo
	@# One user per role (docs/SECURITY.md), each with a password made now by
	@# the CSPRNG: there is no default account and no default password.
	@echo "Users of the demo (sign in at http://127.0.0.1:8080/; the passwords are new at every make demo):"
	@for u in "quantri admin" "tinh provincial 11" "huyen district 100" "xa clerk 03124" "lanhdao leader 11"; do \
	  set -- $$u; $(COSO) --db $(DEMO_DB) user add $$1 --role $$2 $${3:+--scope $$3} --generate-password || exit 1; \
	done
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

# ---- Long runs (make stress). Each part is a prerequisite of stress, so other
# long runs can be added beside it. Durability (docs/DURABILITY.md): the kill
# test with many rounds on the sanitizer build, on the oracle's medium registry
# and on a small national one, and many online backups under writes.
.PHONY: stress stress-durability

stress: stress-durability

stress-durability: deps
	cmake -S . -B $(CHECK_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCOSO_SANITIZE=ON -DCOSO_TESTS=ON >/dev/null
	cmake --build $(CHECK_BUILD) -j $(JOBS) --target coso
	COSO=$(CHECK_BUILD)/coso python3 tests/durability/test_kill.py --iterations 300 --size medium --seed 1
	COSO=$(CHECK_BUILD)/coso python3 tests/durability/test_kill.py --iterations 40 --size large --seed 2
	COSO=$(CHECK_BUILD)/coso python3 tests/durability/test_backup.py --rounds 30 --seed 3

# ---- Hardening (docs/HARDENING.md): the long runs. make check replays the
# fuzz corpus and runs a 10 s load test; these run for longer.
#   make fuzz          each libFuzzer harness for FUZZ_SECONDS (clang, in build-fuzz)
#   make stress-load   the load test for STRESS_SECONDS against the release coso
FUZZ_SECONDS   ?= 60
STRESS_SECONDS ?= 120

.PHONY: fuzz stress-load

stress: stress-load

fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_BUILD=build-fuzz FUZZ_JOBS=$(JOBS) fuzz/run.sh

stress-load: coso
	COSO=$(COSO) tests/stress/load.sh $(STRESS_SECONDS) --json $(BUILD)/stress-load.json
