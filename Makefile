# treatyline — `make` builds the whole dataset into output/, `make test` runs every test.
# One cargo profile (release) for both, so PROJ (built from source by the proj crate) builds once.

CARGO ?= cargo
BIN := target/release/treatyline

.PHONY: all deps build dataset maps readme test lint check bench fuzz clean

all: dataset readme

deps:
	@bash .ci/install-deps

build: deps
	$(CARGO) build --release --locked

dataset: build
	$(BIN) build --geodata geodata --out output
	$(BIN) render --geodata geodata --out output/maps

# Splice the build's summary table into the README between its markers.
readme: dataset
	@python3 tools/splice_readme.py README.md output/SUMMARY.md

check: build
	$(BIN) check --geodata geodata

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --release --locked --all-targets -- -D warnings

test: build lint
	$(CARGO) test --release --locked

# Timings: the full build at 1x, 10x and 100x the vertices against a shapely/pyproj reference.
bench: build
	bash benches/run.sh

# Fuzz the geodata loader and the rule parser (cargo fuzz; FUZZ_SECONDS per target, default 600).
fuzz:
	bash fuzz/run.sh

clean:
	$(CARGO) clean
