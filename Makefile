# Thin wrapper over CMake + Ninja: the build graph lives in CMakeLists.txt (see cmake/Pipeline.cmake).
BUILD ?= build
CMAKE_FLAGS ?=
# The C++ compiler of a new build folder: clang++ (installed by make deps) compiles the pipeline in
# about half of g++'s CPU time, with every table and macro the same byte for byte (README,
# Performance). `make CXX=g++`, or CXX in the environment, picks another. Expanded when configure
# runs, after deps.
ifeq ($(origin CXX),default)
CXX = $(if $(shell command -v clang++ 2>/dev/null),clang++,g++)
endif
# Build steps at once: one per core. Ninja's default on two cores is three, and every chapter
# program runs two threads: three steps kept up to six threads on two cores and cost more CPU than
# they hid (README, Performance: a fresh make, two pairs in turn, 135.9-136.7 s and 263-265 CPU-s
# with three, 128.6-130.2 s and 240-252 CPU-s with two). `make JOBS=3` picks another.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# Every step that touches the build folder holds its lock (a second make waits, and says so).
LOCKED = scripts/locked.sh $(BUILD)

.PHONY: all deps configure test bench clean help

all: deps configure ## install what is missing, build, run every chapter, render figures and the report
	@# The first build in this folder records its CPU seconds (user, sys) for make bench.
	$(LOCKED) $(if $(wildcard $(BUILD)/first-build.ninja_log),,--cpu-record $(BUILD)/first-build.cpu_s) cmake --build $(BUILD) --parallel $(JOBS)
	@# Ninja's log of the first successful build in this folder: make bench reports its stages.
	@test -f $(BUILD)/first-build.ninja_log || cp $(BUILD)/.ninja_log $(BUILD)/first-build.ninja_log
	@echo "Report: paper/report.pdf   Figures: figures/   Results: $(BUILD)/results/"

deps: ## install missing Debian packages (as root), or print the apt command
	@scripts/install-deps.sh

configure: deps
	@$(LOCKED) sh -c 'test -f $(BUILD)/build.ninja || { t0=$$(date +%s.%N) && \
	  cmake -S . -B $(BUILD) -G Ninja -DCMAKE_CXX_COMPILER=$(CXX) $(CMAKE_FLAGS) && \
	  awk "BEGIN { print $$(date +%s.%N) - $$t0 }" > $(BUILD)/first-build.configure_s; }'

test: deps configure ## build and run every test (ctest)
	@# Three at a time on two cores: tests spend part of their time starting programs and writing
	@# files (measured: 15.0-15.7 s with -j2, 13.5-14.1 s with -j3). One lock over both steps: the
	@# golden tests read the build's results, which another make must not rebuild under them.
	$(LOCKED) sh -c 'cmake --build $(BUILD) --parallel $(JOBS) --target tests && ctest --test-dir $(BUILD) --output-on-failure -j3'

bench: deps configure ## time heavy steps two ways, every chapter, chapter 04's growth in N (minutes)
	$(LOCKED) cmake --build $(BUILD) --parallel $(JOBS) --target bench

clean: ## remove the build folder and every generated figure and report
	$(LOCKED) rm -rf $(BUILD) paper/report.pdf
	find figures -type f ! -name README.md -delete

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'
