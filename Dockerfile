# syntax=docker/dockerfile:1
#
# newsflow container image.
#   docker build -t newsflow:0.1.0 .
# Stage 1 compiles the release binary; rdkafka builds its bundled librdkafka
# from source, which needs a C toolchain, make, cmake, pkg-config and zlib.
# Stage 2 is a small Debian runtime (same glibc as the builder) that runs the
# binary as an unprivileged user, with config/ in /app and data/ where the
# binary looks beside itself (../share/newsflow/data from /usr/local/bin).

ARG RUST_VERSION=1.95

FROM rust:${RUST_VERSION}-bookworm AS builder
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
# The binary embeds data/ as well; the runtime stage also installs the files
# beside it so that an operator can read (or mount over) what it uses.
WORKDIR /app
COPY . .
# Cache mounts keep the crate registry and target dir between builds
# (BuildKit); the binary is copied out of the cached target dir.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/app/target \
    cargo build --release --locked --bin newsflow \
 && install -D -m 0755 target/release/newsflow /out/newsflow \
 && strip --strip-debug /out/newsflow

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 newsflow \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin newsflow
WORKDIR /app
COPY --from=builder /out/newsflow /usr/local/bin/newsflow
COPY config/ /app/config/
COPY data/ /usr/local/share/newsflow/data/
# Listen on every interface inside the container so Prometheus can scrape
# /metrics and the orchestrator can probe /health and /ready.
ENV NEWSFLOW_METRICS__LISTEN=0.0.0.0:9898
USER 10001:10001
EXPOSE 9898
ENTRYPOINT ["/usr/local/bin/newsflow"]
CMD ["run", "--config", "/app/config/newsflow.toml"]
