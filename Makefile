# treatyline — `make` builds the whole dataset into output/, `make test` runs every test.
# One cargo profile (release) for both, so PROJ (built from source by the proj crate) builds once.

CARGO ?= cargo
BIN := target/release/treatyline

.PHONY: all deps build dataset readme test lint check clean

all: dataset readme

deps:
	@bash .ci/install-deps

build: deps
	$(CARGO) build --release --locked

dataset: build
	$(BIN) build --geodata geodata --out output

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

clean:
	$(CARGO) clean
