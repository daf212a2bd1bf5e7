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
# The shared libraries vitals_exporter links (the runtime side of the -dev packages),
# libcurl4 for the probes (dlopen()ed at their first run, collectors/curl_api.h) and
# ca-certificates for their HTTPS targets. civetweb dlopen()s the unversioned names
# libssl.so / libcrypto.so for TLS (--web.config.file): two symbolic links to libssl3's
# files instead of libssl-dev (headers and static libraries, 12 MB). apt's downloaded
# packages, caches, lists and logs are not kept (apt-get clean: Docker Hub's debian
# images do it by themselves, a debootstrap-made one does not). docs/stack.md, "The
# image", has the sizes.
RUN apt-get update -q \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        ca-certificates libprometheus-cpp-core1.0 libcivetweb1 libyaml-cpp0.7 libspdlog1.10 \
        libfmt9 libpcre2-8-0 libcurl4 zlib1g libssl3 libcrypt1 libsystemd0 \
    && for lib in libssl libcrypto; do \
         so=$(ls /usr/lib/*/$lib.so.3) && ln -s "${so##*/}" "${so%.3}" || exit 1; \
       done \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/* /var/cache/debconf/*-old /var/log/apt /var/log/dpkg.log \
        /var/log/alternatives.log \
    && useradd --system --uid 10100 --no-create-home --shell /usr/sbin/nologin vitals \
    && mkdir -p /var/lib/prometheus/node-exporter
# /var/lib/prometheus/node-exporter: the textfile collector's default directory, empty
# (node_textfile_scrape_error 0); mount *.prom files there, or point the flag elsewhere.
COPY --from=build /build/vitals_exporter /usr/bin/vitals_exporter
COPY packaging/vitals.yml /etc/vitals/vitals.yml
USER vitals
EXPOSE 10100
# The configuration file is part of the entry point: arguments given to `docker run`
# (or compose's `command:`) come after it and add to it rather than replace it.
ENTRYPOINT ["/usr/bin/vitals_exporter", "--config.file=/etc/vitals/vitals.yml"]
