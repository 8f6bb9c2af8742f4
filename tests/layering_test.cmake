# The layering rule of STYLE.md, checked on the sources: runtime/ never
# includes actors/ or apps/, actors/ never includes apps/, and the tests of a
# layer include nothing above it. The libraries enforce the same at link
# time (CMakeLists.txt, shoal_layering_check); this catches header-only uses.
# Run: cmake -DROOT=<repository> -P tests/layering_test.cmake

set(rules
  "runtime|actors/|apps/"
  "actors|apps/"
  "tests/runtime|actors/|apps/"
  "tests/actors|apps/")
set(violations "")
foreach(rule IN LISTS rules)
  string(REPLACE "|" ";" parts "${rule}")
  list(POP_FRONT parts folder)
  file(GLOB_RECURSE files "${ROOT}/${folder}/*.hpp" "${ROOT}/${folder}/*.cpp")
  foreach(f IN LISTS files)
    file(STRINGS "${f}" includes REGEX "^#include \"")
    foreach(line IN LISTS includes)
      foreach(above IN LISTS parts)
        if(line MATCHES "^#include \"${above}")
          file(RELATIVE_PATH rel "${ROOT}" "${f}")
          string(APPEND violations "  ${rel}: ${line}\n")
        endif()
      endforeach()
    endforeach()
  endforeach()
endforeach()
if(violations)
  message(FATAL_ERROR "upward includes (STYLE.md: dependencies run one way):\n"
                      "${violations}")
endif()
message(STATUS "layering: no upward include")
