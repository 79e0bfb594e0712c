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
	cd $(CHECK_BUILD) && ctest --output-on-failure -j $(JOBS)

demo: coso
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

clean:
	rm -rf $(BUILD) $(CHECK_BUILD)
