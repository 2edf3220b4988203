# syntax=docker/dockerfile:1
# breakglass in a container: a static-stdlib build on the official Swift image, run as a non-root user on a slim
# Ubuntu. The root file system can be read-only: the only writable paths are the /var/lib/breakglass volume (the
# watch service's SQLite file and anything you write) and /tmp (mount a tmpfs). README "Container".
#
#   scripts/build-image.sh                        # stamps the version from git, builds with docker or podman
#   docker run --rm breakglass audit --demo
#   docker compose up                             # watch + PostgreSQL (compose.yaml)

ARG SWIFT_IMAGE=swift:6.3-noble
ARG RUNTIME_IMAGE=ubuntu:24.04
# build: compile in the image. prebuilt: take ./breakglass from the build context (scripts/build-image.sh --binary,
# e.g. the executable scripts/release.sh made), so a release is packaged without a second build.
ARG BINARY_FROM=build

FROM ${SWIFT_IMAGE} AS build
# GRDB links the system SQLite. Packages are not pinned to versions: the base image's release pins them, and
# security updates should apply.
# hadolint ignore=DL3008
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
# Dependencies first, so a change to the sources reuses this layer.
COPY Package.swift ./
RUN swift package resolve
COPY . .
# The version --version prints: scripts/build-image.sh passes the git tag (or dev version) and the commit.
ARG BREAKGLASS_VERSION=""
ARG BREAKGLASS_COMMIT=""
RUN if [ -n "$BREAKGLASS_VERSION" ]; then \
      scripts/release/stamp-version.sh "$BREAKGLASS_VERSION" "$BREAKGLASS_COMMIT" Sources/breakglass/Support/BuildInfo.swift; \
    fi \
    && swift build -c release --product breakglass --static-swift-stdlib \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/breakglass" /staging/usr/local/bin/breakglass \
    && /staging/usr/local/bin/breakglass --version

FROM scratch AS prebuilt
COPY breakglass /staging/usr/local/bin/breakglass

# hadolint ignore=DL3006
FROM ${BINARY_FROM} AS binary

FROM ${RUNTIME_IMAGE} AS runtime
# libsqlite3-0: GRDB (custody ledger, watch state); ca-certificates: TLS to Microsoft Graph and PostgreSQL;
# tzdata: time zones in reports.
# hadolint ignore=DL3008
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libsqlite3-0 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/breakglass --no-create-home \
       --shell /usr/sbin/nologin breakglass \
    && install -d -o breakglass -g breakglass -m 0700 /var/lib/breakglass \
    && install -d -m 0755 /etc/breakglass
COPY --from=binary /staging/ /
RUN breakglass --version
ENV HOME=/var/lib/breakglass TMPDIR=/tmp NO_COLOR=1
WORKDIR /var/lib/breakglass
VOLUME ["/var/lib/breakglass"]
# Numeric, so Kubernetes runAsNonRoot can check it.
USER 10001:10001
# The watch service: breakglass watch --config /etc/breakglass/breakglass.yml --host 0.0.0.0 --port 8080
EXPOSE 8080
# No curl in the image: the binary probes /healthz itself (exit 0 healthy, 1 not).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["breakglass", "healthcheck", "--url", "http://127.0.0.1:8080/healthz", "--timeout", "5"]
ENTRYPOINT ["breakglass"]
CMD ["--help"]
