# Runs one libFuzzer target (see CMakeLists.txt), or prints the soak runs'
# figures (SUMMARY=ON, NAMES: the targets, "|"-separated).
#
# A run: FUZZER for SECONDS on WORK/corpus, with WORK/seeds made afresh from
# SEEDS ("|"-separated globs of files up to 64 KiB; "demo": the model
# DEMO_MODEL writes) and the libFuzzer dictionary DICT when given. With
# SOAK=ON, WORK is $MSF_FUZZ_OUT/NAME and its corpus is kept from run to
# run, SECONDS is $FUZZ_SECONDS (600 when unset); otherwise the corpus
# starts empty. The fuzzer's output goes to WORK/fuzz.log, a crashing input
# to WORK/crash-*, its figures to WORK/summary.txt.
cmake_minimum_required(VERSION 3.16)

set(MAX_SEED_BYTES 65536)

if(SUMMARY)
  string(REPLACE "|" ";" names "${NAMES}")
  foreach(name ${names})
    set(file "$ENV{MSF_FUZZ_OUT}/${name}/summary.txt")
    if(EXISTS "${file}")
      file(STRINGS "${file}" line)
      message("${line}")
    else()
      message("${name}: no summary (${file})")
    endif()
  endforeach()
  return()
endif()

if(SOAK)
  if("$ENV{MSF_FUZZ_OUT}" STREQUAL "")
    message(FATAL_ERROR "set MSF_FUZZ_OUT to the folder of the kept corpora (make fuzz does)")
  endif()
  set(WORK "$ENV{MSF_FUZZ_OUT}/${NAME}")
  set(SECONDS "$ENV{FUZZ_SECONDS}")
  if(SECONDS STREQUAL "")
    set(SECONDS 600)
  endif()
else()
  file(REMOVE_RECURSE "${WORK}")
endif()
file(REMOVE_RECURSE "${WORK}/seeds")
file(MAKE_DIRECTORY "${WORK}/corpus" "${WORK}/seeds")

# Seeds: written by the project's own tools or read where they lie.
string(REPLACE "|" ";" seed_globs "${SEEDS}")
set(n 0)
foreach(glob ${seed_globs})
  if(glob STREQUAL "demo")
    execute_process(COMMAND "${DEMO_MODEL}" "${WORK}/seeds/demo.tflite" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "msf-demo-model failed (${rc})")
    endif()
    math(EXPR n "${n} + 1")
    continue()
  endif()
  file(GLOB files "${glob}")
  foreach(seed ${files})
    file(SIZE "${seed}" size)
    if(size LESS_EQUAL MAX_SEED_BYTES)
      math(EXPR n "${n} + 1")
      get_filename_component(base "${seed}" NAME)
      configure_file("${seed}" "${WORK}/seeds/${n}-${base}" COPYONLY)
    endif()
  endforeach()
endforeach()
file(GLOB kept "${WORK}/corpus/*")
list(LENGTH kept n_kept)
message(STATUS "${NAME}: ${n} seeds, ${n_kept} inputs kept in ${WORK}/corpus, ${SECONDS} s")

set(dict "")
if(DICT)
  set(dict "-dict=${DICT}")
endif()
execute_process(COMMAND "${FUZZER}" -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048
                        -print_final_stats=1 ${dict} -artifact_prefix=${WORK}/ "${WORK}/corpus" "${WORK}/seeds"
                RESULT_VARIABLE rc OUTPUT_FILE "${WORK}/fuzz.log" ERROR_FILE "${WORK}/fuzz.log")

# The figures: executions from the final stats, coverage and speed from
# the last status line ("#N<tab>DONE   cov: C ft: F corp: K/SIZE lim: L
# exec/s: E ..."). Only the matched parts are kept: other text of the log
# may hold ';' or brackets, which CMake lists do not survive.
file(READ "${WORK}/fuzz.log" log)
string(REGEX MATCHALL "cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9a-zA-Z]+( lim: [0-9]+)? exec/s: [0-9]+" status "${log}")
list(POP_BACK status last)
string(REGEX MATCH "stat::number_of_executed_units: *[0-9]+" runs "${log}")
string(REGEX REPLACE "[^0-9]*([0-9]+)" "\\1" runs "${runs}")
string(REGEX MATCH "cov: [0-9]+ ft: [0-9]+ corp: [^ ]+" coverage "${last}")
string(REGEX MATCH "exec/s: [0-9]+" speed "${last}")
set(line "${NAME}: ${runs} runs in ${SECONDS} s (${speed}), ${coverage}")
file(WRITE "${WORK}/summary.txt" "${line}\n")
message(STATUS "${line}")

if(NOT rc EQUAL 0)
  # The end of the log: the sanitizer's or libFuzzer's report.
  string(LENGTH "${log}" n)
  if(n GREATER 12000)
    math(EXPR from "${n} - 12000")
    string(SUBSTRING "${log}" ${from} 12000 log)
  endif()
  message("${log}")
  message(FATAL_ERROR "fuzz_${NAME} failed (exit ${rc}); the log and the failing input (crash-*) are in ${WORK}")
endif()
