# Install rules and the Debian package (CPack DEB): `cmake --build build --target package`
# writes build/vitals-exporter_<version>_<arch>.deb. Layout: docs/packaging.md.
#
# /etc and /lib/systemd/system are absolute on purpose: that is where Debian looks for
# them whatever the prefix; everything else follows CPACK_PACKAGING_INSTALL_PREFIX (/usr).
include(GNUInstallDirs)

set(VITALS_DOC_DIR share/doc/vitals-exporter)

install(TARGETS vitals_exporter RUNTIME DESTINATION bin)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/vitals_exporter.service
        DESTINATION /lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/vitals.yml DESTINATION /etc/vitals)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/vitals_exporter.default
        DESTINATION /etc/default RENAME vitals_exporter)
# The textfile collector's default directory, empty (shared with Debian's
# prometheus-node-exporter): without it node_textfile_scrape_error would be 1 on every
# host without that package, and node-mixin's NodeTextFileCollectorScrapeError would fire.
install(DIRECTORY DESTINATION /var/lib/prometheus/node-exporter)

# Man pages are shipped compressed (Debian policy 12.1); -n keeps the .gz reproducible.
find_program(GZIP_EXE gzip REQUIRED)
set(VITALS_MAN_PAGE ${PROJECT_BINARY_DIR}/packaging/vitals_exporter.1)
add_custom_command(
  OUTPUT ${VITALS_MAN_PAGE}.gz
  COMMAND ${CMAKE_COMMAND} -E copy ${PROJECT_SOURCE_DIR}/packaging/vitals_exporter.1
          ${VITALS_MAN_PAGE}
  COMMAND ${GZIP_EXE} -9nf ${VITALS_MAN_PAGE}
  DEPENDS ${PROJECT_SOURCE_DIR}/packaging/vitals_exporter.1
  COMMENT "Compressing the man page"
  VERBATIM)
add_custom_target(vitals_man_page ALL DEPENDS ${VITALS_MAN_PAGE}.gz)
install(FILES ${VITALS_MAN_PAGE}.gz DESTINATION share/man/man1)

install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${VITALS_DOC_DIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${VITALS_DOC_DIR}
        FILES_MATCHING PATTERN "*.md")
install(FILES ${PROJECT_SOURCE_DIR}/packaging/capabilities.conf
              ${PROJECT_SOURCE_DIR}/packaging/bpf.conf
        DESTINATION ${VITALS_DOC_DIR}/examples)

# The monitoring stack around the exporter, for Prometheus and Alertmanager to load.
# OPTIONAL: a directory that does not exist (yet) in this checkout is skipped.
foreach(stack_dir rules alertmanager dashboards)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${stack_dir} DESTINATION share/vitals OPTIONAL
          PATTERN "tests" EXCLUDE
          PATTERN "__pycache__" EXCLUDE
          PATTERN "*.py" EXCLUDE)
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vitals-exporter)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "vitals maintainers <vitals@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Prometheus exporter for Linux hosts, process groups, ports and probes")
set(CPACK_PACKAGE_DESCRIPTION
    "vitals_exporter publishes host metrics under node_exporter's names, process groups\n\
under process-exporter's names, listening ports and HTTP/TCP probes. The package\n\
also ships Prometheus rules, an Alertmanager configuration and Grafana dashboards\n\
under /usr/share/vitals.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends computed by dpkg-shlibdeps (dpkg-dev) from the libraries the binary links.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# deb-systemd-helper and deb-systemd-invoke, for the maintainer scripts. Libraries the
# binary dlopen()s instead of linking, so dpkg-shlibdeps cannot see them: libcurl4 (the
# probes, collectors/curl_api.h), libsystemd0 (the systemd collector's sd-bus,
# procfs/sd_bus_api.h; sd_bus_close_unref is from 241) and libssl3 (libssl.so.3 and
# libcrypto.so.3 for TLS, server/openssl_api.h; SSL_get1_peer_certificate is 3.0's).
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "init-system-helpers (>= 1.52), libcurl4 (>= 7.85), libsystemd0 (>= 241), libssl3 (>= 3.0.0)")
# libbpf.so.1 (procfs/libbpf_api.h), dlopen()ed for the processes collector's BPF path:
# only recommended, since without it (or without the privileges) the collector reads /proc.
if(VITALS_BPF)
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libbpf1")
endif()
# Its timers write the *.prom files the textfile collector reads by default
# (/var/lib/prometheus/node-exporter), as Debian's node_exporter recommends it.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "prometheus-node-exporter-collectors")
# conffiles: without it dpkg would overwrite locally edited /etc files on upgrade.
# postinst/prerm/postrm: enable, start, stop the service (no user: DynamicUser=yes).
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/prerm ${PROJECT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
