# Installing Shoal and packaging it as a .deb (docs/operations.md).
#
# After `cmake --build build`, `cmake --install build` puts the three tools
# in bin, the demo and an example member configuration in share/shoal, the
# docs in share/doc/shoal, the systemd unit in lib/systemd/system and the
# member configuration in <sysconfdir>/shoal (/etc/shoal under the default
# prefix /usr). `cpack -G DEB` in the build folder makes
# shoal_<version>_<arch>.deb of the same files, stripped, with Depends
# computed by dpkg-shlibdeps, the maintainer scripts of packaging/debian and
# the configuration as a conffile.
# Included from the top-level CMakeLists.txt after the apps.

include(GNUInstallDirs)

# `install` and cpack's `preinstall` take what is built and build nothing:
# the package test runs cpack after the build, and must not rebuild every
# target (the tests too) when one source changed since.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)

# Absolute paths, configured into the unit and the conffiles list: they must
# name where the files land on the target system.
set(SHOAL_BIN_DIR ${CMAKE_INSTALL_FULL_BINDIR})
set(SHOAL_CONF_DIR ${CMAKE_INSTALL_FULL_SYSCONFDIR}/shoal)
set(SHOAL_DOC_DIR ${CMAKE_INSTALL_FULL_DOCDIR})
set(SHOAL_PACKAGING_DIR ${CMAKE_BINARY_DIR}/packaging)
configure_file(${CMAKE_SOURCE_DIR}/packaging/shoal-node.service.in
               ${SHOAL_PACKAGING_DIR}/shoal-node.service @ONLY)
configure_file(${CMAKE_SOURCE_DIR}/packaging/debian/conffiles.in
               ${SHOAL_PACKAGING_DIR}/conffiles @ONLY)

install(TARGETS shoal-node shoalctl shoal-bench
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/config/demo
        DESTINATION ${CMAKE_INSTALL_DATADIR}/shoal
        PATTERN "__pycache__" EXCLUDE PATTERN "*.pyc" EXCLUDE)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/shoal.toml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/shoal/examples)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
        FILES_MATCHING PATTERN "*.md")
install(FILES ${SHOAL_PACKAGING_DIR}/shoal-node.service
        DESTINATION lib/systemd/system)
# The one absolute destination: /etc is not under the prefix /usr.
install(FILES ${CMAKE_SOURCE_DIR}/packaging/shoal.toml DESTINATION ${SHOAL_CONF_DIR})

# -- the .deb --------------------------------------------------------------------

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME shoal)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Shoal maintainers <shoal@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Serves ML models over high-frequency sensor streams, event by event")
set(CPACK_PACKAGE_DESCRIPTION
    "Shoal is a distributed actor runtime on CAF: every sensor stream, feature \
function and model is an actor, every dependency edge a subscription, and \
results depend only on the samples. The package holds shoal-node (replay, \
demo and cluster member), shoalctl, shoal-bench, a systemd unit for a \
member and its configuration in /etc/shoal/shoal.toml.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
# The configuration's absolute destination goes into the package, not onto
# the machine that runs cpack.
set(CPACK_SET_DESTDIR ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# postinst creates the user with adduser; shlibdeps adds the libraries.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/debian/postinst
    ${CMAKE_SOURCE_DIR}/packaging/debian/prerm
    ${CMAKE_SOURCE_DIR}/packaging/debian/postrm
    ${SHOAL_PACKAGING_DIR}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
