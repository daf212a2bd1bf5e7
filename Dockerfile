# vitals_exporter image: Debian 12, built with CMake from Debian packages only
# (the same list as `scripts/install-deps.sh build`), run as an unprivileged user.
#   docker build -t vitals-exporter .
# See docs/stack.md (docker-compose.yml runs it with the host's /proc, /sys and /).

FROM debian:12 AS build
COPY scripts/install-deps.sh /src/scripts/install-deps.sh
RUN /src/scripts/install-deps.sh build && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN cmake -S /src -B /build -DCMAKE_BUILD_TYPE=Release -DVITALS_BUILD_TESTS=OFF \
        -DVITALS_BUILD_BENCH=OFF \
    && cmake --build /build -j"$(nproc)" --target vitals_exporter \
    && strip /build/vitals_exporter

FROM debian:12-slim
# /var/lib/prometheus/node-exporter: the textfile collector's default directory, empty
# (node_textfile_scrape_error 0); mount *.prom files there, or point the flag elsewhere.
# The shared libraries vitals_exporter links (the runtime side of the -dev packages).
# libssl-dev too: civetweb dlopen()s the unversioned libssl.so/libcrypto.so for TLS
# (--web.config.file), and only the -dev package provides those names.
RUN apt-get update -q \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        ca-certificates libprometheus-cpp-core1.0 libcivetweb1 libyaml-cpp0.7 libspdlog1.10 \
        libfmt9 libpcre2-8-0 libcurl4 zlib1g libssl3 libcrypt1 libsystemd0 \
        libssl-dev \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10100 --no-create-home --shell /usr/sbin/nologin vitals \
    && mkdir -p /var/lib/prometheus/node-exporter
COPY --from=build /build/vitals_exporter /usr/bin/vitals_exporter
COPY packaging/vitals.yml /etc/vitals/vitals.yml
USER vitals
EXPOSE 10100
ENTRYPOINT ["/usr/bin/vitals_exporter"]
CMD ["--config.file=/etc/vitals/vitals.yml"]
