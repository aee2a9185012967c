# msf_add_model(TARGET MODEL file [NAME name] [LABELS file] [INPUT file]
#               [DEPENDS files...] [PLAN planning options...])
#
# A static library TARGET holding the model's C, generated at build time by
# `msf gen` (again whenever MODEL, LABELS, INPUT or DEPENDS change), linked
# with the runtime; link it into an application and include NAME.h (NAME
# defaults to model). PLAN takes msf gen's planning options as they are
# typed (--min-ram --max-overhead 20%, --min-macs --max-ram 64K,
# --plan plan.json: name a plan file in DEPENDS too). The msf command is the
# one this project builds, or MSF_EXECUTABLE (required when cross-compiling:
# build msf for the host first).
function(msf_add_model target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "MODEL;NAME;LABELS;INPUT" "PLAN;DEPENDS")
  if(NOT ARG_MODEL)
    message(FATAL_ERROR "msf_add_model(${target}): MODEL is required")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "msf_add_model(${target}): unexpected arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_NAME)
    set(ARG_NAME model)
  endif()
  if(MSF_EXECUTABLE)
    set(msf "${MSF_EXECUTABLE}")
    set(msf_dep "")
  elseif(TARGET msf)
    set(msf $<TARGET_FILE:msf>)
    set(msf_dep msf)
  else()
    message(FATAL_ERROR "msf_add_model(${target}): no msf command: set MSF_EXECUTABLE to a host build of msf")
  endif()
  get_filename_component(model "${ARG_MODEL}" ABSOLUTE)
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/msf_${target}")
  set(args gen "${model}" -o "${dir}" --name "${ARG_NAME}")
  set(deps "${model}" ${msf_dep})
  foreach(option LABELS INPUT)
    if(ARG_${option})
      string(TOLOWER "--${option}" flag)
      get_filename_component(file "${ARG_${option}}" ABSOLUTE)
      list(APPEND args ${flag} "${file}")
      list(APPEND deps "${file}")
    endif()
  endforeach()
  foreach(file ${ARG_DEPENDS})
    get_filename_component(file "${file}" ABSOLUTE)
    list(APPEND deps "${file}")
  endforeach()
  string(JOIN " " plan_text ${ARG_PLAN})
  add_custom_command(OUTPUT "${dir}/${ARG_NAME}.c" "${dir}/${ARG_NAME}.h"
                     COMMAND ${msf} ${args} ${ARG_PLAN}
                     DEPENDS ${deps}
                     COMMENT "msf gen ${ARG_MODEL} ${plan_text}"
                     VERBATIM)
  add_library(${target} STATIC "${dir}/${ARG_NAME}.c" "${dir}/${ARG_NAME}.h")
  target_include_directories(${target} PUBLIC "${dir}")
  target_link_libraries(${target} PUBLIC msf_runtime)
endfunction()
