# vitals_exporter image: built on Debian 12 with CMake from Debian packages only (the
# same list as `scripts/install-deps.sh build`); the image holds only the exporter and
# the Debian files it runs on (no shell, no package manager, as node_exporter's
# distroless image), and runs as an unprivileged user.
#   docker build -t vitals-exporter .
# See docs/stack.md (docker-compose.yml runs it with the host's /proc, /sys and /).

FROM debian:12 AS build
COPY scripts/install-deps.sh /src/scripts/install-deps.sh
RUN VITALS_BPF=OFF /src/scripts/install-deps.sh build && rm -rf /var/lib/apt/lists/*
COPY . /src
# -DVITALS_BPF=OFF: no BPF task iterator in the image (it runs unprivileged, where the
# processes collector reads /proc anyway), so no libbpf.so.1 in it either, and no clang
# or libbpf-dev in the build stage (VITALS_BPF=OFF above).
RUN cmake -S /src -B /build -DCMAKE_BUILD_TYPE=Release -DVITALS_BUILD_TESTS=OFF \
        -DVITALS_BUILD_BENCH=OFF -DVITALS_BPF=OFF \
    && cmake --build /build -j"$(nproc)" --target vitals_exporter \
    && strip /build/vitals_exporter

# The runtime's files, from this stage's Debian packages: the exporter, every library it
# links, the ones it dlopen()s (libcurl.so.4 for the probes, collectors/curl_api.h;
# libssl.so.3 and libcrypto.so.3 for TLS, --web.config.file, loaded by server/openssl_api.h
# and by civetweb as libssl.so and libcrypto.so; libsystemd.so.0 for the systemd
# collector's sd-bus, procfs/sd_bus_api.h) with theirs, the dynamic loader, the CA certificates (probes of
# HTTPS targets), and users root and vitals (uid 10100).
RUN set -e; multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH); lib=/usr/lib/$multiarch; \
    mkdir -p /rootfs$lib /rootfs/usr/bin /rootfs/etc/ssl/certs /rootfs/etc/vitals \
        /rootfs/var/lib/prometheus/node-exporter /rootfs/tmp; \
    chmod 1777 /rootfs/tmp; \
    cp /build/vitals_exporter /rootfs/usr/bin/; \
    dlopened="$lib/libcurl.so.4 $lib/libssl.so.3 $lib/libcrypto.so.3 $lib/libsystemd.so.0"; \
    for file in $dlopened $(ldd /build/vitals_exporter $dlopened \
                            | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u); do \
        cp -L "$file" /rootfs$lib/; \
    done; \
    ln -s libssl.so.3 /rootfs$lib/libssl.so; ln -s libcrypto.so.3 /rootfs$lib/libcrypto.so; \
    interpreter=$(readelf -l /build/vitals_exporter | sed -n 's/.*interpreter: \(.*\)]/\1/p'); \
    mkdir -p /rootfs$(dirname $interpreter); cp -L $interpreter /rootfs$interpreter; \
    cp /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/; \
    printf 'root:x:0:0:root:/root:/sbin/nologin\nvitals:x:10100:10100::/nonexistent:/sbin/nologin\n' \
        >/rootfs/etc/passwd; \
    printf 'root:x:0:\nvitals:x:10100:\n' >/rootfs/etc/group; \
    chroot /rootfs /usr/bin/vitals_exporter --version

FROM scratch
COPY --from=build /rootfs /
COPY packaging/vitals.yml /etc/vitals/vitals.yml
# /var/lib/prometheus/node-exporter: the textfile collector's default directory, empty
# (node_textfile_scrape_error 0); mount *.prom files there, or point the flag elsewhere.
USER 10100:10100
EXPOSE 10100
# The configuration file is part of the entry point: arguments given to `docker run`
# (or compose's `command:`) come after it and add to it rather than replace it.
ENTRYPOINT ["/usr/bin/vitals_exporter", "--config.file=/etc/vitals/vitals.yml"]
