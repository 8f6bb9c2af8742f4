# Shoal in a container (docs/operations.md, "In a container").
#
# Two stages on Debian 12: the first installs the build's Debian packages
# (scripts/common.sh's SHOAL_PACKAGES without what only the tests use),
# builds the three tools and packages them with cpack as the .deb of
# cmake/packaging.cmake; the second installs that .deb, so apt pulls in
# exactly the runtime libraries its Depends names, and runs shoal-node as
# the package's `shoal` user.
#
#   docker build -t shoal .
#   docker run --rm shoal --version
#   docker run -d --name n1 -p 7701:7701 -p 7781:7781 \
#     -v $PWD/n1.toml:/etc/shoal/shoal.toml:ro -v shoal-n1:/var/lib/shoal shoal
#   docker stop -t 60 n1        # a planned leave: SIGTERM, nodes handed over

FROM debian:12 AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src
COPY scripts/common.sh scripts/common.sh
# The tests' broker, database, browser and Python libraries stay out: the
# image builds without the tests.
RUN . scripts/common.sh \
 && pkgs=() \
 && for p in "${SHOAL_PACKAGES[@]}"; do \
      case "$p" in \
        chromium|influxdb|mosquitto|mosquitto-clients|python3-*) ;; \
        *) pkgs+=("$p") ;; \
      esac; \
    done \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      file "${pkgs[@]}" \
 && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
 && cmake --build build -j"$(nproc)" --target shoal-node shoalctl shoal-bench \
 && (cd build && cpack -G DEB -B /deb)

FROM debian:12
COPY --from=build /deb/shoal_*.deb /tmp/
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      /tmp/shoal_*.deb \
 && rm -rf /var/lib/apt/lists/* /tmp/shoal_*.deb \
 && install -d -o shoal -g shoal -m 0750 /var/lib/shoal
USER shoal
WORKDIR /var/lib/shoal
VOLUME /var/lib/shoal
# The member port ([node] listen) and the HTTP endpoint ([node] http) of
# the example configuration; a container's configuration listens on
# 0.0.0.0 with [security] (docs/security.md).
EXPOSE 7701 7781
STOPSIGNAL SIGTERM
ENTRYPOINT ["shoal-node"]
CMD ["--config", "/etc/shoal/shoal.toml"]
