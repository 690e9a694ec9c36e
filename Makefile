# Comptoir: `make run` opens the app (training mode without credentials),
# `make test` runs every test. Both install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := run
.PHONY: setup build run test lint unit ui-test e2e api-check bench audit bindings package package-test

UI_SOURCES := $(shell find ui/src -type f 2>/dev/null) ui/index.html ui/vite.config.ts ui/tsconfig.json ui/package-lock.json
APP := target/debug/comptoir-app

setup:
	@scripts/setup

ui/dist/index.html: $(UI_SOURCES) | setup
	cd ui && npm run build

build: setup ui/dist/index.html
	cargo build --workspace

## Opens the window. Without a display, run it inside scripts/desktop-session.
run: build
	$(APP)

## Everything CI runs: formatting and lints, Rust unit and integration
## tests, UI tests in Chromium, the end-to-end test of the real window.
test: build lint unit ui-test api-check e2e

# Dependencies: licences, sources and bans by deny.toml (advisories need the
# RustSec database from GitHub, which this machine cannot reach).
lint: setup
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo fetch --target x86_64-unknown-linux-gnu
	.tools/deny/bin/cargo-deny --offline --workspace check licenses bans sources

# The kernel keyring stands in for the OS keyring only where no desktop
# session exists; the end-to-end test uses the real GNOME keyring.
unit: setup
	COMPTOIR_SECRET_STORE=kernel cargo test --workspace
	# Orange's tests again against the prose document's shapes (the first
	# run served the OpenAPI's): the client must read both.
	COMPTOIR_SIM_ORANGE_SHAPE=prose COMPTOIR_SECRET_STORE=kernel cargo test --test it -- esim:: sale:: orange_support:: crash:: tickets::

ui-test: ui/dist/index.html
	cd ui && npm test

## The Anomalie Adresse and Orange Travel simulators against their OpenAPIs (schemathesis).
api-check: build
	scripts/check-openapi

e2e: build
	scripts/desktop-session cargo test -p comptoir-app --test e2e -- --ignored --test-threads=1
	@echo "screenshots: target/e2e/*.png"

## The Debian package (and the RPM) with Tauri's bundler: target/package/.
package: setup
	scripts/package

## The package on a clean Debian 12 (debootstrap): installs, upgrades over
## the previous release's sales, runs the window, uninstalls keeping the data.
package-test: setup
	scripts/package-test

## The UI's TypeScript types, generated from the Rust ones (ts-rs) into
## ui/src/bindings/; `make test` fails while they are stale.
bindings:
	COMPTOIR_WRITE_BINDINGS=1 cargo test --test it bindings

## Security advisories (RustSec): needs GitHub, where the database lives,
## so it is not part of `make test` on machines without it.
audit: setup
	.tools/deny/bin/cargo-deny --workspace check advisories

## Figures against targets (release build), written to bench/results.md:
## the journal at a million orders (seeded once into target/bench/), the
## operations against the simulators, the binaries, the window's start.
bench: setup ui/dist/index.html
	cargo build --release --bin comptoir
	cargo build --release -p comptoir-app
	rm -f target/bench/ui.json && cd ui && node tests/bench.mjs
	scripts/desktop-session cargo bench --bench journal
