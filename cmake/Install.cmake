# `cmake --install BUILD --prefix /usr [--strip]` (with DESTDIR for a package or an image) lays out
# what the systemd unit and the container image expect: the binary in bin/, the web apps and the
# migrations and message templates in share/visioguichet/ (where the installed binary looks first, InstallLayout.hpp),
# the unit, its system user and the examples. The development pages (web/dev/) stay out: a
# deployment never serves them.
include(GNUInstallDirs)
set(vg_data_dir ${CMAKE_INSTALL_DATADIR}/visioguichet)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/web/ DESTINATION ${vg_data_dir}/web
        PATTERN dev EXCLUDE)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/migrations/ DESTINATION ${vg_data_dir}/migrations
        FILES_MATCHING PATTERN "*.sql")
# The default wording of messages to citizens (message_templates_dir points at a changed copy).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/messages/ DESTINATION ${vg_data_dir}/messages)

# The unit names /usr/bin/visioguichet; another prefix (`--prefix` is known at install time only)
# gets a unit that names its own binary. Destinations stay relative, so they follow the prefix.
install(CODE "
  file(READ \"${PROJECT_SOURCE_DIR}/deploy/visioguichet.service\" vg_unit)
  string(REPLACE \"/usr/bin/visioguichet\"
         \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/visioguichet\" vg_unit \"\${vg_unit}\")
  file(WRITE \"${PROJECT_BINARY_DIR}/deploy/visioguichet.service\" \"\${vg_unit}\")")
install(FILES ${PROJECT_BINARY_DIR}/deploy/visioguichet.service DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/visioguichet.sysusers
        DESTINATION lib/sysusers.d RENAME visioguichet.conf)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/visioguichet.conf.example
              ${PROJECT_SOURCE_DIR}/deploy/coturn.conf
              ${PROJECT_SOURCE_DIR}/deploy/grafana-dashboard.json
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(FILES ${PROJECT_SOURCE_DIR}/docs/operations.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
